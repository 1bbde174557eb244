"""The school profile form: the school, the coordinator's details and email preferences."""

from __future__ import annotations

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from onderwijsplatform.forms.coordinator_common import (
    TOO_LONG,
    InChoices,
    SingleLine,
    checkboxes,
    clean,
    vocabulary_choices,
)
from onderwijsplatform.i18n import current_locale

# BRIN: two digits and two letters, optionally a two-digit branch number ("12AB", "12AB01").
_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}([0-9]{2})?")


def _upper(value):
    return value.upper().replace(" ", "") if isinstance(value, str) else value


def parse_phone(value: str | None) -> str | None:
    """E.164 for a valid Dutch or foreign number, None for empty; ValueError otherwise."""
    if not value:
        return None
    if len(value) > 30:
        raise ValueError(value)
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError(value) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SchoolProfileForm(FlaskForm):
    name = StringField(
        _l("Naam van de school"),
        filters=[clean],
        validators=[
            DataRequired(_l("Vul de naam van de school in.")),
            Length(max=200, message=TOO_LONG),
            SingleLine(),
        ],
    )
    brin_code = StringField(
        _l("BRIN-code"),
        filters=[clean, _upper],
        validators=[Length(max=6, message=TOO_LONG), SingleLine()],
        description=_l("Bijvoorbeeld 12AB of 12AB01."),
    )
    school_type = SelectField(
        _l("Soort school"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies de soort school.")), InChoices()],
    )
    postcode = StringField(
        _l("Postcode"), filters=[clean], validators=[Length(max=7, message=TOO_LONG), SingleLine()]
    )
    place = StringField(
        _l("Plaats"), filters=[clean], validators=[Length(max=100, message=TOO_LONG), SingleLine()]
    )
    sectors = checkboxes(
        _l("Profielen die de school geeft"), validate_choice=False, validators=[InChoices()]
    )
    contact_name = StringField(
        _l("Uw naam"),
        filters=[clean],
        validators=[
            DataRequired(_l("Vul uw naam in.")),
            Length(max=200, message=TOO_LONG),
            SingleLine(),
        ],
    )
    phone = StringField(_l("Telefoon"), filters=[clean], validators=[SingleLine()])
    digest_enabled = BooleanField(_l("Stuur mij hooguit één e-mail per dag met nieuwe suggesties"))
    language = SelectField(_l("Taal van e-mails"), validate_choice=False, validators=[InChoices()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school_type.choices = [
            SelectChoice("po", _l("Primair onderwijs")),
            SelectChoice("vmbo", _l("vmbo")),
            SelectChoice("mbo", _l("mbo")),
            SelectChoice("other", _l("Anders")),
        ]
        self.sectors.choices = vocabulary_choices("sectors", current_locale())
        self.language.choices = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]

    def validate_brin_code(self, field) -> None:
        if field.data and not _BRIN.fullmatch(field.data):
            raise ValidationError(_l("Een BRIN-code is 2 cijfers en 2 letters, zoals 12AB."))

    def validate_phone(self, field) -> None:
        try:
            parse_phone(field.data)
        except ValueError:
            raise ValidationError(
                _l("Vul een geldig telefoonnummer in, zoals 06 12345678.")
            ) from None

    def validate_place(self, field) -> None:
        if not field.data and not self.postcode.data:
            raise ValidationError(_l("Vul een postcode of een plaats in."))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "brin_code": self.brin_code.data or None,
            "school_type": self.school_type.data,
            "postcode": self.postcode.data or None,
            "place": self.place.data or None,
            "sectors": list(dict.fromkeys(self.sectors.data or [])),
            "contact_name": self.contact_name.data,
            "phone": parse_phone(self.phone.data),
            "digest_enabled": bool(self.digest_enabled.data),
            "language": self.language.data or "nl",
        }
