"""Yearly progress-report exports (CSV, XLSX) of activities and co-financing."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from onderwijsplatform.models import Outcome, User
from onderwijsplatform.school_years import school_year_bounds
from onderwijsplatform.services import audit, outcomes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS = {
    "company": [
        "Bedrijf",
        "Activiteiten",
        "Leerlingen",
        "Uren",
        "Materialen (EUR)",
        "Cofinanciering (EUR)",
    ],
    "school": [
        "School",
        "Activiteiten",
        "Leerlingen",
        "Uren",
        "Materialen (EUR)",
        "Cofinanciering (EUR)",
    ],
    "activities": [
        "Datum",
        "Bedrijf",
        "School",
        "Soort",
        "Leerlingen",
        "Uren",
        "Materialen (EUR)",
        "Cofinanciering (EUR)",
        "Bevestigd door",
    ],
}


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading ' (OUT-06)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _confirmed(outcome: Outcome) -> str:
    sides = [
        name
        for name, when in (
            ("bedrijf", outcome.company_confirmed_at),
            ("school", outcome.school_confirmed_at),
        )
        if when
    ]
    return " + ".join(sides) or "-"


def _taken_place(actor: User, year: str) -> list[Outcome]:
    start, end = school_year_bounds(year)
    return [o for o in outcomes.ledger(actor, start, end) if o.took_place]


def rows(actor: User, kind: str, year: str) -> list[list]:
    """The table for ``kind`` (company, school or activities) in one school year."""
    entries = _taken_place(actor, year)
    if kind == "activities":
        return [
            [
                o.activity_date.date() if o.activity_date else None,
                o.introduction.offer.organisation.name,
                o.introduction.school_request.school.name,
                ", ".join(o.introduction.offer.kinds),
                o.pupils or 0,
                o.company_hours,
                _euros(o.materials_cents),
                _euros(o.value_cents),
                _confirmed(o),
            ]
            for o in entries
        ]
    totals: dict[str, list] = defaultdict(lambda: [0, 0, Decimal(0), 0, 0])
    for o in entries:
        intro = o.introduction
        name = (
            intro.offer.organisation.name if kind == "company" else intro.school_request.school.name
        )
        line = totals[name]
        line[0] += 1
        line[1] += o.pupils or 0
        line[2] += o.company_hours
        line[3] += o.materials_cents
        line[4] += o.value_cents
    return [
        [name, n, pupils, hours, _euros(materials), _euros(value)]
        for name, (n, pupils, hours, materials, value) in sorted(totals.items())
    ]


def to_csv(kind: str, table: list[list]) -> str:
    """RFC 4180 CSV (CRLF, quoted where needed) with formula escaping."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS[kind])
    for line in table:
        writer.writerow([escape_cell("" if v is None else str(v)) for v in line])
    return buffer.getvalue()


def to_xlsx(year: str, tables: dict[str, list[list]]) -> bytes:
    """One workbook with a sheet per table; text cells are formula-escaped."""
    book = Workbook()
    default = book.active  # a new workbook starts with one empty sheet; ours are named
    if default is not None:
        book.remove(default)
    titles = {"company": "Per bedrijf", "school": "Per school", "activities": "Activiteiten"}
    for kind, table in tables.items():
        sheet = book.create_sheet(titles[kind])
        sheet.append([f"Voortgangsrapportage {year}"])
        sheet.append(HEADERS[kind])
        for line in table:
            sheet.append([_cell(v) for v in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return escape_cell(value)
    return value


def export(actor: User, kind: str, fmt: str, year: str, now: datetime) -> tuple[str, bytes]:
    """Build an export and record it in the audit log (PRIV-08); returns (filename, bytes)."""
    if fmt == "xlsx":
        tables = {k: rows(actor, k, year) for k in ("company", "school", "activities")}
        data = to_xlsx(year, tables)
        name = f"voortgangsrapportage-{year}.xlsx"
    else:
        data = to_csv(kind, rows(actor, kind, year)).encode("utf-8-sig")
        name = f"cofinanciering-{kind}-{year}.csv"
    audit.record(actor, "export", None, {"kind": kind, "format": fmt, "year": year}, now)
    return name, data
