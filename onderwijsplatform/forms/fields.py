"""Form fields: lines and free text, Dutch numbers, dates in one range, codes with labels."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from onderwijsplatform import labels
from onderwijsplatform.forms.text import (
    REQUIRED,
    TOO_LONG,
    Characters,
    clean_line,
    clean_text,
    drop_controls,
    drop_controls_text,
)

CHOOSE_FROM_LIST = _l("Kies een van de mogelijkheden uit de lijst.")


def line_field(label, max_length: int, *, required=None, lenient=False, validators=(), **kwargs):
    """One line of text: cleaned, at most ``max_length`` characters, the character rule.

    ``required`` is the message when it is required (True for the plain one); ``lenient``
    drops control characters instead of refusing them (the public company forms); extra
    ``filters`` run after the cleaning.
    """
    first = [DataRequired(REQUIRED if required is True else required)] if required else []
    cleaning = [drop_controls, clean_line] if lenient else [clean_line]
    return StringField(
        label,
        [*first, Length(max=max_length, message=TOO_LONG), Characters(), *validators],
        filters=[*cleaning, *kwargs.pop("filters", ())],
        **kwargs,
    )


def text_field(label, max_length: int, *, required=None, lenient=False, validators=(), **kwargs):
    """Free text (a textarea): like ``line_field``, with tabs and line breaks allowed."""
    first = [DataRequired(REQUIRED if required is True else required)] if required else []
    checks = [Length(max=max_length, message=TOO_LONG), Characters(multiline=True)]
    return TextAreaField(
        label,
        [*first, *checks, *validators],
        filters=[drop_controls_text, clean_text] if lenient else [clean_text],
        **kwargs,
    )


INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
_INTEGER = re.compile(r"-?[0-9]{1,10}")
_DECIMAL = re.compile(r"-?[0-9]{1,12}(?:[.,][0-9]+)?")
# "1.250,50" as Dutch people write an amount: dots group thousands only before a comma.
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")
# An amount may come with its euro sign, as it is shown: "€ 45,50", "45,50 €", "€45.50".
_EURO = re.compile(r"\A€\s*|\s*€\Z")


def parse_number(text: str | None, *, low, high, decimals: int = 0) -> int | Decimal | None:
    """A number in [low, high] with at most ``decimals`` decimals, None when empty.

    "2,5" and "2.5" are the same number; a decimal one may carry a euro sign ("€ 45,50") and
    Dutch thousands dots before a comma ("1.250,50"). No exponents, NaN, signs other than
    "-", other separators or digits other than 0-9. ValueError otherwise.
    """
    if text in (None, ""):
        return None
    plain = text
    if decimals:
        plain = _EURO.sub("", plain)
        if _GROUPED.fullmatch(plain):
            plain = plain.replace(".", "")
    if not (_DECIMAL if decimals else _INTEGER).fullmatch(plain):
        raise ValueError(text)
    number = Decimal(plain.replace(",", "."))
    exponent = number.as_tuple().exponent  # an int: the pattern rules out NaN and Infinity
    if not isinstance(exponent, int) or -exponent > decimals or not low <= number <= high:
        raise ValueError(text)
    return number if decimals else int(number)


class NumberField(StringField):
    """A number typed as text with explicit bounds; ``.value`` holds it once valid.

    Text rather than WTForms' number fields: what was typed is shown again as it was, Dutch
    decimal commas are fine, "1e3" or 5000 digits get our own message, and no whole number
    leaves PostgreSQL's int4 range.
    """

    def __new__(cls, *args, **kwargs):
        # Checked where the field is declared, not first when a form is built.
        low, high = kwargs.get("low"), kwargs.get("high")
        if not kwargs.get("decimals") and not INT4_MIN <= low <= high <= INT4_MAX:
            raise ValueError(f"whole numbers stay within int4, not [{low}, {high}]")
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, label=None, validators=None, *, low, high, decimals=0, message=None, **kw):
        mode = "decimal" if decimals else "numeric"
        kw["render_kw"] = {"inputmode": mode, **kw.get("render_kw", {})}
        super().__init__(label, validators, filters=[clean_line], **kw)
        self.low, self.high, self.decimals = low, high, decimals
        self.message = message
        self.value: int | Decimal | None = None

    def pre_validate(self, form) -> None:
        self.value = None
        try:
            self.value = parse_number(
                self.data, low=self.low, high=self.high, decimals=self.decimals
            )
        except ValueError:
            raise ValidationError(self.message or self._default_message()) from None

    @property
    def whole(self) -> int | None:
        """The value of a whole-number field (decimals=0) as an int."""
        return None if self.value is None else int(self.value)

    def _default_message(self):
        bounds = {"low": self.low, "high": self.high}
        if self.decimals:
            return _l("Vul een getal in van %(low)s tot en met %(high)s, zoals 2,5.", **bounds)
        return _l("Vul een heel getal in van %(low)s tot en met %(high)s.", **bounds)


# One range for every date in every form.
EARLIEST, LATEST = date(2020, 1, 1), date(2100, 12, 31)
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DUTCH_DAY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")


def parse_day(text: str | None) -> date | None:
    """A date as <input type="date"> sends it (2027-03-01) or as people type it (1-3-2027).

    None when empty; ValueError for anything else or outside EARLIEST..LATEST.
    """
    if text in (None, ""):
        return None
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DUTCH_DAY.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise ValueError(text)
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(text) from None
    if not EARLIEST <= value <= LATEST:
        raise ValueError(text)
    return value


class DayField(StringField):
    """A date field (<input type="date">); ``.value`` holds the date once valid."""

    data: str | None

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {"type": "date", **kwargs.get("render_kw", {})}
        super().__init__(label, validators, filters=[clean_line], **kwargs)
        self.value: date | None = None

    def pre_validate(self, form) -> None:
        self.value = None
        try:
            self.value = parse_day(self.data)
        except ValueError:
            raise ValidationError(
                _l(
                    "Vul een geldige datum in (dd-mm-jjjj) tussen %(first)s en %(last)s.",
                    first=EARLIEST.year,
                    last=LATEST.year,
                )
            ) from None
        if self.value:
            self.data = self.value.isoformat()  # what <input type="date"> shows again


def check_period(start: DayField, end: DayField) -> None:
    """A period is both dates or neither, and does not end before it starts."""
    if start.errors or end.errors:
        return
    if (start.value is None) != (end.value is None):
        raise ValidationError(_l("Vul zowel het begin als het einde van de periode in."))
    if start.value and end.value and start.value > end.value:
        raise ValidationError(_l("Het einde van de periode ligt vóór het begin."))


class InChoices:
    """The value (or every value) is one of the field's choices; a Dutch message otherwise.

    For fields with ``validate_choice=False``, so WTForms' English message never shows.
    """

    def __call__(self, form, field) -> None:
        allowed = {str(choice.value) for choice in field.choices or ()}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in (None, "") and str(value) not in allowed for value in values):
            raise ValidationError(CHOOSE_FROM_LIST)


def code_choices(name: str) -> list[SelectChoice]:
    """The codes of a list of ``labels`` with their labels in the page's language."""
    return [SelectChoice(code, text) for code, text in labels.choices(name)]


class CheckboxesField(SelectMultipleField):
    """Checkboxes for a list of choices; each value once, no unknown ones."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form) -> None:
        InChoices()(form, self)


class CodesField(CheckboxesField):
    """Checkboxes for the codes of one list of ``labels``."""

    def __init__(self, label=None, validators=None, *, codes: str, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.choices = code_choices(codes)


def region_choices(regions: Iterable[Any]) -> list[SelectChoice]:
    """Choices of region codes, labelled with the regions' names."""
    return [SelectChoice(region.code, region.name) for region in regions]


class CodeField(SelectField):
    """A drop-down of the codes of one list of ``labels``; ``placeholder`` comes first."""

    def __init__(self, label=None, validators=None, *, codes: str, placeholder=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        first = [SelectChoice("", placeholder)] if placeholder else []
        self.choices = [*first, *code_choices(codes)]

    def pre_validate(self, form) -> None:
        InChoices()(form, self)
