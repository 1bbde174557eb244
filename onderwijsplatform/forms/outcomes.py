"""The outcome form that company and school fill in after an activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional

from onderwijsplatform.forms.fields import NumberField, text_field


class OutcomeForm(FlaskForm):
    """Did it take place, for how many pupils, how many hours and materials, a rating."""

    took_place = RadioField(
        _l("Heeft de activiteit plaatsgevonden?"),
        choices=[SelectChoice("ja", _l("Ja")), SelectChoice("nee", _l("Nee"))],
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    pupils = NumberField(_l("Aantal leerlingen"), low=0, high=100_000)
    hours = NumberField(_l("Uren die het bedrijf gaf"), low=0, high=100_000, decimals=2)
    materials = NumberField(_l("Waarde van materialen in euro"), low=0, high=1_000_000, decimals=2)
    rating = RadioField(
        _l("Waardering (1 = slecht, 5 = uitstekend)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
        validate_choice=True,
    )
    comment = text_field(_l("Opmerking"), 2000)
