"""Field helpers for the company intake and self-service forms: clean text, bounded values."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matching import vocabulary
from onderwijsplatform.i18n import current_locale

# C0 controls and DEL are dropped; tab, LF and CR survive in multi-line text only.
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi overrides and zero-width characters hide what a name really says.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# U+FFFD is what invalid UTF-8 in a form body decodes to; surrogates cannot be stored.
_BROKEN = re.compile(r"[\ud800-\udfff\ufffd]")

BAD_CHARACTERS = _l("Dit veld bevat tekens die niet zijn toegestaan.")
REQUIRED = _l("Vul dit veld in.")


def clean_line(value: object) -> object:
    """One line of text: NFC, control characters removed, trimmed."""
    if not isinstance(value, str):
        return value
    return _CONTROL_LINE.sub("", unicodedata.normalize("NFC", value)).strip()


def clean_text(value: object) -> object:
    """Free text: NFC, control characters other than tab and line breaks removed, trimmed."""
    if not isinstance(value, str):
        return value
    text = _CONTROL_TEXT.sub("", unicodedata.normalize("NFC", value))
    return text.replace("\r\n", "\n").strip()


class Characters:
    """Refuse broken text everywhere, and invisible characters in names."""

    def __init__(self, *, name: bool = False) -> None:
        self.name = name

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if _BROKEN.search(value) or (self.name and _INVISIBLE.search(value)):
            raise ValidationError(BAD_CHARACTERS)


class OneEmail:
    """Exactly one plain address (no list, no display name, no header injection)."""

    message = _l("Vul één geldig e-mailadres in, zoals naam@bedrijf.nl.")

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        if any(c in value for c in ',;<>"% ') or len(value) > 254 or _BROKEN.search(value):
            raise ValidationError(self.message)
        try:
            result = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
        local, _at, domain = result.normalized.rpartition("@")
        field.data = f"{local}@{domain.lower()}"


def normalise_email(value: str) -> str:
    """An address as it is stored: trimmed, NFC, the domain lower-cased."""
    value = str(clean_line(value or ""))
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


class Phone:
    """A Dutch or foreign phone number; ``field.data`` becomes E.164."""

    message = _l("Vul een geldig telefoonnummer in, zoals 06 12345678 of +31 20 123 4567.")

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        if len(value) > 30 or not re.fullmatch(r"[0-9+()\- .]+", value):
            raise ValidationError(self.message)
        try:
            number = phonenumbers.parse(value, "NL")
        except phonenumbers.NumberParseException:
            raise ValidationError(self.message) from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(self.message)
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class WholeNumberField(StringField):
    """A whole number typed as text, bounded; ``.number`` holds it once valid.

    Text rather than IntegerField so that "1e3", "NaN" or 5000 digits get our own
    message instead of WTForms' English one, and nothing leaves int4's range.
    """

    def __init__(self, label=None, validators=None, *, low: int, high: int, **kwargs) -> None:
        super().__init__(label, validators, filters=[clean_line], **kwargs)
        self.low, self.high = low, high
        self.number: int | None = None

    def pre_validate(self, form) -> None:
        self.number = None
        value = self.data or ""
        if not value:
            return
        if not re.fullmatch(r"[0-9]{1,7}", value) or not self.low <= int(value) <= self.high:
            raise ValidationError(
                _l(
                    "Vul een heel getal in van %(low)s tot en met %(high)s.",
                    low=self.low,
                    high=self.high,
                )
            )
        self.number = int(value)


class IsoDateField(StringField):
    """A date as YYYY-MM-DD (what <input type="date"> sends); ``.day`` holds it once valid."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"type": "date"})
        super().__init__(label, validators, filters=[clean_line], **kwargs)
        self.day: date | None = None

    def pre_validate(self, form) -> None:
        self.day = None
        value = self.data or ""
        if not value:
            return
        message = _l("Vul een geldige datum in (dd-mm-jjjj) tussen 2020 en 2100.")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValidationError(message)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(message) from None
        if not 2020 <= day.year <= 2100:
            raise ValidationError(message)
        self.day = day


class CodesField(SelectMultipleField):
    """Checkboxes for vocabulary codes; an unknown code gets a message naming the field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, *, vocabulary_name: str, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.vocabulary_name = vocabulary_name
        lang = current_locale()
        self.choices = [
            SelectChoice(code, text) for code, text in vocabulary.choices(vocabulary_name, lang)
        ]

    def pre_validate(self, form) -> None:
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("Kies alleen uit de genoemde mogelijkheden."))


def split_themes(text: str) -> list[str]:
    """Free keywords separated by commas or semicolons, without repeats, at most 10."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        keyword = " ".join(part.split())
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return list(seen.values())
