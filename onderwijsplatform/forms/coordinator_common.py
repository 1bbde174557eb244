"""Shared field helpers for the coordinator forms: clean text, one email, vocabulary choices."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matching import vocabulary

# C0 controls and DEL; tab, LF and CR stay allowed in multi-line text only.
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi overrides and zero-width characters hide what a name really says.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(value: object) -> object:
    """NFC and trimmed; non-strings pass through (None stays None)."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", value).strip()


class SingleLine:
    """Refuse control characters (and, for names, invisible bidi/zero-width ones)."""

    def __init__(self, *, names: bool = True) -> None:
        self.names = names

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if _CONTROL_LINE.search(value) or _SURROGATE.search(value):
            raise ValidationError(_l("Dit veld bevat tekens die niet zijn toegestaan."))
        if self.names and _INVISIBLE.search(value):
            raise ValidationError(_l("Dit veld bevat onzichtbare tekens die niet zijn toegestaan."))


class MultiLine:
    """Free text: line breaks and tabs are fine, other control characters are not."""

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if _CONTROL_TEXT.search(value) or _SURROGATE.search(value):
            raise ValidationError(_l("Dit veld bevat tekens die niet zijn toegestaan."))


class OneEmail:
    """Exactly one plain address (no list, no display name, no header injection)."""

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        bad = any(c in value for c in ",;<>\r\n\x00 ") or _CONTROL_LINE.search(value)
        if bad or len(value) > 254:
            raise ValidationError(_l("Vul één geldig e-mailadres in, zoals naam@school.nl."))
        try:
            result = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(
                _l("Vul één geldig e-mailadres in, zoals naam@school.nl.")
            ) from None
        local, _at, domain = result.normalized.rpartition("@")
        field.data = f"{local}@{domain.lower()}"


def normalise_email(value: str) -> str:
    """The stored form of an address typed at sign-in: trimmed, the domain lower-cased."""
    value = clean(value or "")
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


def vocabulary_choices(name: str, lang: str) -> list[SelectChoice]:
    """The choices of a vocabulary in ``lang`` as SelectChoice (tuples are deprecated)."""
    return [SelectChoice(code, text) for code, text in vocabulary.choices(name, lang)]


def checkboxes(label, **kwargs) -> SelectMultipleField:
    """A SelectMultipleField drawn as checkboxes (the forms macro renders it as a fieldset)."""
    return SelectMultipleField(
        label,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **kwargs,
    )


class InChoices:
    """The value (or every value) is one of the field's choices; a Dutch message otherwise.

    Used with ``validate_choice=False`` so WTForms' own English "Not a valid choice" never
    shows up.
    """

    def __call__(self, form, field) -> None:
        allowed = {str(choice.value) for choice in field.choices or ()}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in (None, "") and str(value) not in allowed for value in values):
            raise ValidationError(_l("Kies een van de mogelijkheden uit de lijst."))


def labels(name: str, codes: list[str] | None, lang: str) -> str:
    """The labels of ``codes`` in ``lang``, joined for display."""
    return ", ".join(vocabulary.label(name, code, lang) for code in codes or [])


# WTForms formats the message with the limits: "%(max)d" becomes the column size.
TOO_LONG = _l("Gebruik hooguit %(max)d tekens.")
