"""Numbers, money and dates as people read them: Babel's formats in the page's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal

# One shape per width for every date on a page or in an email: "2 december 2026" and
# "2 dec 2026" in Dutch, "2 December 2026" in English (no US month-first order, no seconds,
# no time zone: the platform serves one time zone).
_DAY = {
    "full": "EEEE d MMMM y",
    "long": "d MMMM y",
    "medium": "d MMM y",
    # Without the year, where the page already says which year it is about.
    "weekday": "EEEE d MMMM",
    "month": "d MMMM",
    "short": "d MMM",
}
_TIME = "HH:mm"


def money(cents: int | None) -> str:
    """An amount held in cents: "€ 255,50" in Dutch, "€255.50" in English; "—" for None."""
    if cents is None:
        return "—"
    return format_currency(Decimal(cents) / 100, "EUR")


def number(value: int | float | Decimal | None, decimals: int = 2) -> str:
    """A count or a quantity: "1.234", "3,5" in Dutch; at most ``decimals`` decimals."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def score(value: float | None) -> str:
    """A match score between 0 and 1 with two decimals: "0,73" in Dutch."""
    if value is None:
        return "—"
    return format_decimal(value, format="0.00")


def day(value: date | datetime | str | None, width: str = "long") -> str:
    """A date: "woensdag 2 december 2026" (full), "2 december 2026" (long) or "2 dec 2026"
    (medium); "" for None.

    Also takes an ISO date as JSON columns hold it ("2026-12-02").
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, _DAY[width])


def moment(value: datetime | None, width: str = "long") -> str:
    """A moment in the platform's time zone: "2 december 2026, 22:11"; "" for None."""
    if value is None:
        return ""
    return format_datetime(value, f"{_DAY[width]}, {_TIME}")


def clock(value: datetime | None) -> str:
    """The time of day of a moment: "09:30"; "" for None."""
    if value is None:
        return ""
    return format_datetime(value, _TIME)


def for_input(value: int | Decimal | float | None, decimals: int = 2) -> str:
    """A number to prefill a form field: no thousands separator, the page's decimal sign.

    NumberField reads both "45,5" and "45.5" back, so the Dutch page can show "45,5".
    """
    if value is None:
        return ""
    pattern = "0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def cents_for_input(cents: int | None) -> str:
    """An amount held in cents to prefill a euro field: "45,50" on a Dutch page."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, format="0.00")


def one_stop(text: str) -> str:
    """One full stop where a name ending in "." ends a sentence: "Drenthe B.V." not "B.V..".

    An ellipsis ("...") stays; safe markup stays safe (Markup's own split, replace and
    join keep its type).
    """
    parts = [part.replace("..", ".") for part in text.split("...")]
    return (text[:0] + "...").join(parts)


FILTERS = {
    "one_stop": one_stop,
    "money": money,
    "number": number,
    "score": score,
    "day": day,
    "moment": moment,
    "clock": clock,
}


def init_app(app: Flask) -> None:
    """Register the filters: ``{{ cents|money }}``, ``{{ hours|number }}``, ``{{ d|day }}``…

    ``{{ _("… %(name)s.", name=…)|one_stop }}`` where a name may end a sentence.
    """
    app.jinja_env.filters.update(FILTERS)
