"""School years (1 August to 31 July): the one place that knows how they are counted."""

from __future__ import annotations

import re
from datetime import date

_YEAR = re.compile(r"(20[0-9]{2}|2100)-([0-9]{4})")


def school_year_of(day: date) -> str:
    """ "2026-2027" for any day from 1 August 2026 to 31 July 2027."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def school_year_bounds(year: str) -> tuple[date, date]:
    """'2026-2027' → 1 Aug 2026 up to (not including) 1 Aug 2027."""
    first = int(year.split("-", 1)[0])
    return date(first, 8, 1), date(first + 1, 8, 1)


def chosen_school_year(text: str | None, today: date) -> str:
    """The school year written as "2026-2027" in ``text``, else the one ``today`` is in."""
    match = _YEAR.fullmatch(text or "")
    if match and int(match.group(2)) == int(match.group(1)) + 1:
        return match.group(0)
    return school_year_of(today)
