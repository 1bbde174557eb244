"""The outcome form that company and school fill in after an activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from onderwijsplatform.forms.staff import NumberField, clean, no_controls


class OutcomeForm(FlaskForm):
    """Did it take place, for how many pupils, how many hours and materials, a rating."""

    took_place = RadioField(
        _l("Heeft de activiteit plaatsgevonden?"),
        choices=[SelectChoice("ja", _l("Ja")), SelectChoice("nee", _l("Nee"))],
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    pupils = NumberField(_l("Aantal leerlingen"), maximum=100_000)
    hours = NumberField(_l("Uren die het bedrijf gaf"), maximum=100_000, decimals=True)
    materials = NumberField(_l("Waarde van materialen in euro"), maximum=1_000_000, decimals=True)
    rating = RadioField(
        _l("Waardering (1 = slecht, 5 = uitstekend)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
        validate_choice=True,
    )
    comment = TextAreaField(
        _l("Opmerking"),
        filters=[clean],
        validators=[Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens.")), no_controls],
    )
