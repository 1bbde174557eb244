"""The outcome form that company and school fill in after an activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional

from onderwijsplatform.forms.fields import NumberField, text_field
from onderwijsplatform.models.outcomes import HOURS_MAX, MATERIALS_MAX_EUROS

HOURS_MESSAGE = _l(
    "Vul een aantal uren in van 0 tot en met %(max)s, zoals 2,5. Meer uren voor één "
    "activiteit is niet aannemelijk; neem anders contact op met het regioteam.",
    max=HOURS_MAX,
)
MATERIALS_MESSAGE = _l(
    "Vul een bedrag in euro in van 0 tot en met %(max)s, zoals 150,00. Een hogere waarde "
    "voor één activiteit is niet aannemelijk; neem anders contact op met het regioteam.",
    max=f"{MATERIALS_MAX_EUROS:_}".replace("_", "."),
)


class OutcomeForm(FlaskForm):
    """Did it take place, for how many pupils, how many hours and materials, a rating."""

    took_place = RadioField(
        _l("Heeft de activiteit plaatsgevonden?"),
        choices=[SelectChoice("ja", _l("Ja")), SelectChoice("nee", _l("Nee"))],
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    pupils = NumberField(_l("Aantal leerlingen"), low=0, high=100_000)
    hours = NumberField(
        _l("Uren die het bedrijf gaf"), low=0, high=HOURS_MAX, decimals=2, message=HOURS_MESSAGE
    )
    materials = NumberField(
        _l("Waarde van materialen in euro"),
        low=0,
        high=MATERIALS_MAX_EUROS,
        decimals=2,
        message=MATERIALS_MESSAGE,
    )
    rating = RadioField(
        _l("Waardering (1 = slecht, 5 = uitstekend)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
        validate_choice=True,
    )
    comment = text_field(_l("Opmerking"), 2000)
