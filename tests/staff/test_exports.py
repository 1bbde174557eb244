"""Ledger exports for Dutch Excel: per region and national, CSV and XLSX, each activity once."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from onderwijsplatform.models import AuditEvent, Introduction, Outcome, Role
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import national
from tests.conftest import sign_in
from tests.factories import make_user

NOW = datetime.now(UTC)
YEAR = school_year_of(NOW.date())
LAST_YEAR = f"{int(YEAR[:4]) - 1}-{YEAR[:4]}"
EURO_FORMAT = '"€" #,##0.00'


def took_place(db, intro, *, pupils=24, hours="3", materials=0, rate=6000, day=NOW):
    outcome = Outcome(
        introduction_id=intro.id,
        took_place=True,
        activity_date=day,
        pupils=pupils,
        company_hours=Decimal(hours),
        hour_rate_cents=rate,
        materials_cents=materials,
        company_confirmed_at=day,
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def cross_region(db, world, other) -> Introduction:
    """An introduction between ``world``'s company and ``other``'s school (its region)."""
    intro = Introduction(
        request_id=other.request.id, offer_id=world.offer.id, requested_by_id=other.coordinator.id
    )
    db.session.add(intro)
    db.session.flush()
    return intro


def read_csv(data: bytes) -> list[list[str]]:
    """The file as Dutch Excel reads it: UTF-8 with a BOM, ";" between fields."""
    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def number(text: str) -> Decimal:
    """A number written with a decimal comma (and no thousands separator)."""
    assert "." not in text, text
    return Decimal(text.replace(",", "."))


def figures(line: list[str]) -> list[Decimal]:
    """The five numbers at the end of a company, school or region row."""
    return [number(v) for v in line[-5:]]


def download(client, user, path: str) -> bytes:
    sign_in(client, user)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.data


def make_ledger(db, world, other) -> None:
    """Two regions; one activity crosses them and belongs to the school's region only."""
    world.school.name, other.school.name = "Vakcollege Noord", "Vakcollege Zuid"
    world.company.name = "Bouwbedrijf; Noord"  # a ";" in a name stays one field
    other.region.hour_rate_cents = 5750  # each region values hours at its own rate
    took_place(db, world.intro, pupils=24, hours="3", materials=123456, rate=6000)
    took_place(db, other.intro, pupils=10, hours="1.25", materials=0, rate=5750)  # 71,875
    took_place(db, cross_region(db, world, other), pupils=5, hours="0.5", rate=5750)


# Per region: CSV for Dutch Excel ------------------------------------------------------


def test_region_csv_reads_back_in_dutch_excel_form(client, db, world, other):
    make_ledger(db, world, other)
    data = download(client, world.staff, f"/staff/export/company.csv?jaar={YEAR}")
    header, *lines = read_csv(data)
    assert header == [
        "Bedrijf",
        "Activiteiten",
        "Leerlingen",
        "Uren",
        "Materialen (EUR)",
        "Cofinanciering (EUR)",
    ]
    assert lines == [["Bouwbedrijf; Noord", "1", "24", "3,0", "1234,56", "1414,56"]]
    assert figures(lines[0]) == [1, 24, 3, Decimal("1234.56"), Decimal("1414.56")]


def test_region_activities_csv_has_dutch_dates_and_escapes_formulas(client, db, world, other):
    make_ledger(db, world, other)
    other.school.name = "=HYPERLINK(1)"
    other.company.name = "-2+3"
    db.session.flush()
    data = download(client, other.staff, f"/staff/export/activities.csv?jaar={YEAR}")
    header, *lines = read_csv(data)
    assert header[0] == "Datum"
    assert {line[0] for line in lines} == {NOW.strftime("%d-%m-%Y")}
    assert sorted(line[2] for line in lines) == ["'=HYPERLINK(1)", "'=HYPERLINK(1)"]
    assert sorted(line[1] for line in lines) == ["'-2+3", "Bouwbedrijf; Noord"]
    assert sorted(line[5] for line in lines) == ["0,5", "1,25"]
    assert {line[-1] for line in lines} == {"bedrijf"}


# Per region: XLSX with number formats and a totals row --------------------------------


def test_region_xlsx_has_number_formats_and_a_bold_totals_row(client, db, world, other):
    make_ledger(db, world, other)
    data = download(client, other.staff, f"/staff/export/company.xlsx?jaar={YEAR}")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Per bedrijf"]
    cells = list(sheet.iter_rows(min_row=3))
    *lines, total = cells
    assert len(lines) == 2  # the other region's own company and the crossing one
    assert [c.value for c in total] == ["Totaal", 2, 15, 1.75, 0, 71.87 + 28.75]
    assert all(c.font.bold for c in total)
    assert not any(c.font.bold for c in lines[0])
    assert all(c.font.bold for c in sheet[2])
    for line in [*lines, total]:
        assert [c.number_format for c in line[1:]] == ["0", "0", "0.0#", EURO_FORMAT, EURO_FORMAT]
    activities = list(book["Activiteiten"].iter_rows(min_row=3))
    assert activities[0][0].number_format == "DD-MM-YYYY"
    assert activities[-1][0].value == "Totaal"
    assert activities[-1][4].value == 15


# National: each activity once, and the sum of the regions ------------------------------


def test_a_crossing_activity_counts_once_in_the_schools_region(db, world, other):
    make_ledger(db, world, other)
    by_code = {r.code: r for r in national.totals(YEAR).regions}
    first, second = by_code[world.region.code], by_code[other.region.code]
    assert (first.activities, first.pupils, first.hours) == (1, 24, Decimal("3"))
    assert (second.activities, second.pupils, second.hours) == (2, 15, Decimal("1.75"))
    # Hours × rate is truncated to whole cents per activity, as Outcome.value_cents does.
    assert second.value_cents == 7187 + 2875
    assert national.totals(YEAR).total.activities == 3
    assert national.totals(LAST_YEAR).total.activities == 0


def test_national_csv_equals_the_sum_of_the_region_exports(client, db, world, other):
    make_ledger(db, world, other)
    viewer = make_user(Role.NATIONAL_VIEWER, region_id=world.region.id)
    data = download(client, viewer, f"/landelijk/cofinanciering.csv?jaar={YEAR}")
    header, *lines = read_csv(data)
    assert header == [
        "Regiocode",
        "Regio",
        "Activiteiten",
        "Leerlingen",
        "Uren",
        "Materialen (EUR)",
        "Cofinanciering (EUR)",
    ]
    *regions, total = lines
    assert total[:2] == ["Totaal", ""]
    by_code = {line[0]: line for line in regions}
    for cast in (world, other):
        own = read_csv(download(client, cast.staff, f"/staff/export/school.csv?jaar={YEAR}"))[1:]
        summed = [sum(column) for column in zip(*(figures(line) for line in own), strict=True)]
        assert figures(by_code[cast.region.code]) == summed
        assert by_code[cast.region.code][1] == cast.region.name
    assert figures(by_code[world.region.code]) == [1, 24, 3, Decimal("1234.56"), Decimal("1414.56")]
    assert figures(by_code[other.region.code])[0] == 2
    columns = zip(*(figures(line) for line in regions), strict=True)
    assert figures(total) == [sum(column) for column in columns]
    assert figures(total)[0] == 3  # not 4: the crossing activity is not counted twice


def test_national_xlsx_matches_the_csv_and_names_nobody(client, db, world, other):
    make_ledger(db, world, other)
    admin = make_user(Role.ADMIN, region_id=world.region.id)
    csv_lines = read_csv(download(client, admin, f"/landelijk/cofinanciering.csv?jaar={YEAR}"))
    data = download(client, admin, f"/landelijk/cofinanciering.xlsx?jaar={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Per regio"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in rows[0]] == csv_lines[0]
    for line, cells in zip(csv_lines[1:], rows[1:], strict=True):
        assert [c.value or "" for c in cells[:2]] == line[:2]
        assert [Decimal(str(c.value)) for c in cells[2:]] == figures(line)
        assert [c.number_format for c in cells[2:]] == ["0", "0", "0.0#", EURO_FORMAT, EURO_FORMAT]
    assert rows[-1][0].value == "Totaal"
    assert all(c.font.bold for c in rows[-1])
    people = {
        world.school.name,
        other.school.name,
        world.company.name,
        other.company.name,
        world.contact.name,
        world.contact.email,
        world.coordinator.name,
        world.coordinator.email,
        world.staff.name,
    }
    every_cell = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert people.isdisjoint(every_cell)
    assert people.isdisjoint(field for line in csv_lines for field in line)
    assert all(name not in data.decode("latin-1") for name in people)


def test_the_national_export_follows_the_chosen_year_and_is_audited(client, db, world, other):
    make_ledger(db, world, other)
    viewer = make_user(Role.NATIONAL_VIEWER, region_id=None)
    path = f"/landelijk/cofinanciering.csv?jaar={LAST_YEAR}"
    response = download(client, viewer, path)
    assert read_csv(response)[-1][2:] == ["0", "0", "0,0", "0,00", "0,00"]
    sign_in(client, viewer)
    head = client.get(path)
    assert f"cofinanciering-landelijk-{LAST_YEAR}.csv" in head.headers["Content-Disposition"]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
    )
    assert event.details == {"kind": "national", "format": "csv", "year": LAST_YEAR}
    assert client.get("/landelijk/cofinanciering.pdf").status_code == 404


def test_the_national_page_links_to_both_exports(client, world):
    sign_in(client, make_user(Role.NATIONAL_VIEWER, region_id=world.region.id))
    page = client.get(f"/landelijk/?jaar={LAST_YEAR}").get_data(as_text=True)
    assert f"/landelijk/cofinanciering.xlsx?jaar={LAST_YEAR}" in page
    assert f"/landelijk/cofinanciering.csv?jaar={LAST_YEAR}" in page
