"""Text in forms: cleaning, the one character rule, email addresses, phones, themes, passwords."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from onderwijsplatform.identity.passwords import PASSWORD_MAX, PASSWORD_MIN

REQUIRED = _l("Dit veld is verplicht.")
# WTForms' Length fills in the limit: "%(max)d" becomes the column size.
TOO_LONG = _l("Gebruik hooguit %(max)d tekens.")
BAD_CHARACTERS = _l("Dit veld bevat tekens die niet zijn toegestaan.")
INVISIBLE_CHARACTERS = _l("Dit veld bevat onzichtbare tekens die niet zijn toegestaan.")

# The one character rule, for every field of every form:
# - control characters (C0, DEL, C1, the Unicode line and paragraph separators) never,
#   except tab and line breaks in free text;
# - broken text never: lone surrogates cannot be stored, U+FFFD is what invalid UTF-8 in a
#   form body decodes to;
# - invisible characters (bidi overrides, zero-width ones) never in one line of text, where
#   they hide what a name or an address really says; free text may carry them (emoji).
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_BROKEN = re.compile(r"[\ud800-\udfff\ufffd]")
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# The one-line rule as a pattern for the API's schema (JSON Schema reads these escapes too).
# Lone surrogates cannot travel in a UTF-8 query string, so only U+FFFD stands for _BROKEN.
VISIBLE_LINE = "^[^" + _CONTROL_LINE.pattern[1:-1] + _INVISIBLE.pattern[1:-1] + "\\ufffd]*$"
_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAK = re.compile(r"\r\n|[\r\u2028\u2029]")


def clean_line(value: object) -> object:
    """One line: NFC, each run of spaces one space, trimmed; non-strings pass through."""
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def clean_text(value: object) -> object:
    """Free text: NFC, every line break a line feed, trimmed; non-strings pass through."""
    if not isinstance(value, str):
        return value
    return _LINE_BREAK.sub("\n", unicodedata.normalize("NFC", value)).strip()


def drop_controls(value: object) -> object:
    """Remove the control characters of one line instead of refusing them.

    For the public company forms (people paste from other programs there) and for addresses
    looked up as typed (``normalise_email``).
    """
    return _CONTROL_LINE.sub("", value) if isinstance(value, str) else value


def drop_controls_text(value: object) -> object:
    """Remove the control characters of free text (tab and line breaks stay)."""
    if not isinstance(value, str):
        return value
    return _CONTROL_TEXT.sub("", _LINE_BREAK.sub("\n", value))


def character_problem(value: str, *, multiline: bool = False) -> str | None:
    """The message for text that breaks the character rule, or None when it is fine."""
    if (_CONTROL_TEXT if multiline else _CONTROL_LINE).search(value) or _BROKEN.search(value):
        return BAD_CHARACTERS
    if not multiline and _INVISIBLE.search(value):
        return INVISIBLE_CHARACTERS
    return None


class Characters:
    """The character rule as a validator: one line by default, ``multiline`` for free text."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        problem = character_problem(field.data or "", multiline=self.multiline)
        if problem:
            raise ValidationError(problem)


_NOT_IN_ADDRESS = re.compile(r'[\s,;<>"%]')


class OneEmail:
    """Exactly one plain address: no list, display name, quotes, encoded or hidden characters.

    ``field.data`` becomes the normalised address (the domain lower-cased).
    """

    def __init__(self, *, example: str = "naam@school.nl") -> None:
        self.message = _l("Vul één geldig e-mailadres in, zoals %(example)s.", example=example)

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        if len(value) > 254 or _NOT_IN_ADDRESS.search(value) or character_problem(value):
            raise ValidationError(self.message)
        try:
            result = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
        field.data = normalise_email(result.normalized)


def normalise_email(value: str | None) -> str:
    """An address as it is stored and looked up: one clean line, the domain lower-cased."""
    value = str(clean_line(drop_controls(value or "")))
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


PHONE_MESSAGE = _l("Vul een geldig telefoonnummer in, zoals 06 12345678 of +31 20 123 4567.")


def parse_phone(value: str | None) -> str | None:
    """E.164 for a valid Dutch or foreign number, None when empty; ValueError otherwise."""
    if not value:
        return None
    if len(value) > 30 or not re.fullmatch(r"[0-9+()\- .]+", value):
        raise ValueError(value)
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError(value) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Phone:
    """A Dutch or foreign phone number; ``field.data`` becomes E.164, or None when empty."""

    def __call__(self, form, field) -> None:
        try:
            field.data = parse_phone(field.data)
        except ValueError:
            raise ValidationError(PHONE_MESSAGE) from None


def split_themes(value: str | None) -> list[str]:
    """Keywords separated by commas, semicolons or lines: trimmed, without empty or repeated."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", value or ""):
        theme = " ".join(part.split())
        if theme and theme.casefold() not in seen:
            seen[theme.casefold()] = theme
    return list(seen.values())


class Themes:
    """At most ``count`` themes of at most ``length`` characters each."""

    def __init__(self, *, count: int = 10, length: int) -> None:
        self.count, self.length = count, length

    def __call__(self, form, field) -> None:
        themes = split_themes(field.data)
        if len(themes) > self.count:
            raise ValidationError(_l("Geef hooguit %(n)d thema's.", n=self.count))
        if any(len(theme) > self.length for theme in themes):
            raise ValidationError(_l("Een thema is hooguit %(n)d tekens lang.", n=self.length))


PASSWORD_LENGTH = _l(
    "Kies een wachtwoord van %(min)d tot %(max)d tekens (15 of meer is beter).",
    min=PASSWORD_MIN,
    max=PASSWORD_MAX,
)
PASSWORDS_DIFFER = _l("De twee wachtwoorden zijn niet gelijk.")


class NewPassword:
    """The one password rule of every account: its length and the character rule, nothing else.

    No composition rules; the length comes from identity.passwords, which the services
    check too.
    """

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
            raise ValidationError(PASSWORD_LENGTH)
        problem = character_problem(value)
        if problem:
            raise ValidationError(problem)
