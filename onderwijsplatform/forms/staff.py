"""Staff forms: enrolment, second factor, moderation and introduction decisions, corrections."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NUMBER = re.compile(r"\d{1,12}(?:[.,]\d{1,2})?")
REQUIRED = _l("Dit veld is verplicht.")


def clean(value: object) -> object:
    """NFC-normalised and trimmed text; other values pass through."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", value).strip()


def no_controls(form, field) -> None:
    """Refuse NUL and other control characters (PostgreSQL refuses NUL outright)."""
    if _CONTROL.search(field.data or ""):
        raise ValidationError(_l("Dit veld bevat tekens die niet zijn toegestaan."))


class NumberField(StringField):
    """A number typed as text: keeps what was typed, parses into ``value`` within bounds."""

    def __init__(self, label=None, *, minimum=0, maximum=1_000_000, decimals=False, **kwargs):
        super().__init__(label, filters=[clean], **kwargs)
        self.minimum, self.maximum, self.decimals = minimum, maximum, decimals
        self.value: Decimal | int | None = None

    def pre_validate(self, form) -> None:
        self.value = None
        text = self.data or ""
        if not text:
            return
        if not _NUMBER.fullmatch(text) or (not self.decimals and not text.isdigit()):
            message = (
                _l("Vul een getal in, bijvoorbeeld 2,5.")
                if self.decimals
                else _l("Vul een heel getal in.")
            )
            raise ValidationError(message)
        number = Decimal(text.replace(",", "."))
        if not (self.minimum <= number <= self.maximum):
            raise ValidationError(
                _l(
                    "Vul een getal in van %(low)s tot en met %(high)s.",
                    low=self.minimum,
                    high=self.maximum,
                )
            )
        self.value = number if self.decimals else int(number)


class EnrolForm(FlaskForm):
    """Set a password and confirm the authenticator with one code."""

    password = PasswordField(
        _l("Wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=8, max=128, message=_l("Gebruik 8 tot 128 tekens (15 of meer is beter).")),
        ],
    )
    password_repeat = PasswordField(
        _l("Wachtwoord nogmaals"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )
    code = StringField(
        _l("Code uit de app"),
        filters=[clean],
        validators=[DataRequired(REQUIRED), Length(max=20), no_controls],
    )


class SecondFactorForm(FlaskForm):
    """The six-digit code, or a recovery code."""

    code = StringField(
        _l("Code uit de app of herstelcode"),
        filters=[clean],
        validators=[DataRequired(REQUIRED), Length(max=20), no_controls],
    )


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class ReasonForm(FlaskForm):
    """A decision that needs a reason (decline, reject)."""

    reason = TextAreaField(
        _l("Reden"),
        filters=[clean],
        validators=[
            DataRequired(REQUIRED),
            Length(max=2000, message=_l("Gebruik hoogstens %(max)d tekens.", max=2000)),
            no_controls,
        ],
    )


class MergeForm(FlaskForm):
    """Merge a new organisation into an existing one."""

    into = SelectField(_l("Samenvoegen met"), coerce=int, validate_choice=True)


class AgreeDateForm(FlaskForm):
    """The date both sides agreed on."""

    day = DateField(
        _l("Afgesproken datum"),
        validators=[InputRequired(_l("Vul een geldige datum in."))],
        format="%Y-%m-%d",
    )

    def validate_day(self, field) -> None:
        if field.data and not (date(2020, 1, 1) <= field.data <= date(2100, 12, 31)):
            raise ValidationError(_l("Kies een datum tussen 2020 en 2100."))


class CorrectionForm(FlaskForm):
    """Staff correct a ledger entry."""

    pupils = NumberField(_l("Aantal leerlingen"), maximum=100_000)
    hours = NumberField(_l("Uren van het bedrijf"), maximum=100_000, decimals=True)
    materials = NumberField(_l("Materialen in euro"), maximum=1_000_000, decimals=True)
    note = TextAreaField(
        _l("Toelichting"),
        filters=[clean],
        validators=[DataRequired(REQUIRED), Length(max=500), no_controls],
    )
