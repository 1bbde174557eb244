"""Yearly progress-report exports (CSV, XLSX) of activities and co-financing."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from onderwijsplatform.models import Outcome, User
from onderwijsplatform.school_years import school_year_bounds
from onderwijsplatform.services import audit, outcomes, spreadsheets
from onderwijsplatform.services.spreadsheets import COUNT, DAY, EUROS, HOURS, Column, euros

_FIGURES = [
    Column("Activiteiten", COUNT),
    Column("Leerlingen", COUNT),
    Column("Uren", HOURS),
    Column("Materialen (EUR)", EUROS),
    Column("Cofinanciering (EUR)", EUROS),
]
COLUMNS = {
    "company": [Column("Bedrijf"), *_FIGURES],
    "school": [Column("School"), *_FIGURES],
    "activities": [
        Column("Datum", DAY),
        Column("Bedrijf"),
        Column("School"),
        Column("Soort"),
        Column("Leerlingen", COUNT),
        Column("Uren", HOURS),
        Column("Materialen (EUR)", EUROS),
        Column("Cofinanciering (EUR)", EUROS),
        Column("Bevestigd door"),
    ],
}
TITLES = {"company": "Per bedrijf", "school": "Per school", "activities": "Activiteiten"}


def _confirmed(outcome: Outcome) -> str:
    sides = [
        name
        for name, when in (
            ("bedrijf", outcome.company_confirmed_at),
            ("school", outcome.school_confirmed_at),
        )
        if when
    ]
    return " + ".join(sides) or "geen"  # not "-": a spreadsheet would see a formula


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
                euros(o.materials_cents),
                euros(o.value_cents),
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
        [name, n, pupils, hours, euros(materials), euros(value)]
        for name, (n, pupils, hours, materials, value) in sorted(totals.items())
    ]


def to_xlsx(year: str, tables: dict[str, list[list]]) -> bytes:
    """One workbook with a sheet per table, each ending in a bold totals row."""
    book = spreadsheets.workbook()
    for kind, table in tables.items():
        columns = COLUMNS[kind]
        total = spreadsheets.totals_row(columns, table)
        caption = f"Voortgangsrapportage {year}"
        spreadsheets.add_sheet(book, TITLES[kind], caption, columns, table, total)
    return spreadsheets.to_xlsx(book)


def export(actor: User, kind: str, fmt: str, year: str, now: datetime) -> tuple[str, bytes]:
    """Build an export and record it in the audit log (PRIV-08); returns (filename, bytes)."""
    if fmt == "xlsx":
        tables = {k: rows(actor, k, year) for k in ("company", "school", "activities")}
        data = to_xlsx(year, tables)
        name = f"voortgangsrapportage-{year}.xlsx"
    else:
        data = spreadsheets.to_csv(COLUMNS[kind], rows(actor, kind, year))
        name = f"cofinanciering-{kind}-{year}.csv"
    audit.record(actor, "export", None, {"kind": kind, "format": fmt, "year": year}, now)
    return name, data
