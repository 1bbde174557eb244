"""The national co-financing export: each region's figures and their sum, without any names."""

from __future__ import annotations

from datetime import datetime

from onderwijsplatform import scope
from onderwijsplatform.models import Role, User
from onderwijsplatform.services import audit, national, spreadsheets
from onderwijsplatform.services.errors import NotFound
from onderwijsplatform.services.national import NationalTotals, RegionTotals
from onderwijsplatform.services.spreadsheets import COUNT, EUROS, HOURS, Column, euros

# Regions and figures only: no person, school or company is named (PRIV-08).
COLUMNS = [
    Column("Regiocode"),
    Column("Regio"),
    Column("Activiteiten", COUNT),
    Column("Leerlingen", COUNT),
    Column("Uren", HOURS),
    Column("Materialen (EUR)", EUROS),
    Column("Cofinanciering (EUR)", EUROS),
]


def _line(code: str, name: str, figures: RegionTotals) -> list:
    return [
        code,
        name,
        figures.activities,
        figures.pupils,
        figures.hours,
        euros(figures.materials_cents),
        euros(figures.value_cents),
    ]


def rows(figures: NationalTotals) -> tuple[list[list], list]:
    """A row per region and the totals row, from the national totals of one school year.

    The figures are those of ``national.totals``: each activity counted once, in the region
    of the school that asked for it, valued at the hour rate of that region.
    """
    lines = [_line(r.code, r.name, r) for r in figures.regions]
    return lines, _line("Totaal", "", figures.total)


def export(actor: User, fmt: str, year: str, now: datetime) -> tuple[str, bytes]:
    """The national export as CSV or XLSX, recorded in the audit log; (filename, bytes).

    Only for a national viewer or a platform admin; anyone else gets NotFound.
    """
    if not (scope.sees_every_region(actor) or actor.role is Role.NATIONAL_VIEWER):
        raise NotFound()
    lines, total = rows(national.totals(year))
    if fmt == "xlsx":
        book = spreadsheets.workbook()
        caption = f"Cofinanciering per regio {year}"
        spreadsheets.add_sheet(book, "Per regio", caption, COLUMNS, lines, total)
        data = spreadsheets.to_xlsx(book)
    else:
        data = spreadsheets.to_csv(COLUMNS, lines, total)
    audit.record(actor, "export", None, {"kind": "national", "format": fmt, "year": year}, now)
    return f"cofinanciering-landelijk-{year}.{fmt}", data
