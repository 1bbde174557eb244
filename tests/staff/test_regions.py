"""Region settings and holidays: kept by the region's admin, never by another region's."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import AuditEvent, HolidayZone, Region, RegionHoliday, Role
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_user

SETTINGS = {
    "name": "STO Assen e.o.",
    "contact_name": "Petra de Boer",
    "contact_email": "info@sto-assen.nl",
    "contact_phone": "0592 123 456",
    "hour_rate": "62,50",
    "holiday_zone": "noord",
    "intake_open": "y",
    "introduction": "Techniek in Assen en omgeving.",
}


def _admin(world):
    return make_user(Role.REGION_ADMIN, region_id=world.region.id)


def _token(client):
    return csrf_token_from(client.get("/staff/regio").get_data(as_text=True))


def test_a_region_admin_keeps_the_settings_in_dutch(client, db, world):
    sign_in(client, _admin(world))
    response = client.post("/staff/regio", data={**SETTINGS, "csrf_token": _token(client)})
    assert response.status_code == 302
    db.session.expire_all()
    region = db.session.get(Region, world.region.id)
    assert region.hour_rate_cents == 6250
    assert region.holiday_zone is HolidayZone.NOORD
    assert region.contact_phone == "+31592123456"
    assert region.intake_open is True
    page = client.get("/staff/regio").get_data(as_text=True)
    assert 'value="62,50"' in page
    logged = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "region.settings"))
    assert [e.region_id for e in logged] == [region.id]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hour_rate", "62 euro", "Vul een getal in van 0 tot en met 1000"),
        ("hour_rate", "", "Dit veld is verplicht."),
        ("contact_email", "a@b.nl, c@d.nl", "Vul één geldig e-mailadres in"),
        ("contact_phone", "bel me", "Vul een geldig telefoonnummer in"),
        ("holiday_zone", "oost", "Kies"),
        ("name", "", "Dit veld is verplicht."),
    ],
)
def test_bad_settings_are_explained_next_to_the_field_and_kept(
    client, db, world, field, value, message
):
    sign_in(client, _admin(world))
    data = {**SETTINGS, field: value, "csrf_token": _token(client)}
    response = client.post("/staff/regio", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Petra de Boer" in page  # what was typed stays
    db.session.expire_all()
    assert db.session.get(Region, world.region.id).name != "STO Assen e.o."


def test_staff_who_are_not_admins_do_not_see_the_settings(client, world):
    sign_in(client, world.staff)
    assert client.get("/staff/regio").status_code == 404


def test_a_region_admin_cannot_reach_another_region(client, db, world, other):
    sign_in(client, _admin(world))
    page = client.get(f"/staff/regio?regio={other.region.code}").get_data(as_text=True)
    assert world.region.name in page
    assert other.region.name not in page
    holiday = RegionHoliday(
        region_id=other.region.id,
        name="Kerst",
        starts_on=date(2026, 12, 19),
        ends_on=date(2027, 1, 3),
    )
    db.session.add(holiday)
    db.session.flush()
    token = _token(client)
    response = client.post(
        f"/staff/regio/vakanties/{holiday.id}/verwijderen", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert db.session.get(RegionHoliday, holiday.id) is not None


def test_a_platform_admin_chooses_the_region(client, world, other):
    sign_in(client, make_user(Role.ADMIN, region_id=world.region.id))
    page = client.get(f"/staff/regio?regio={other.region.code}").get_data(as_text=True)
    assert f"<code>{other.region.code}</code>" in page
    assert client.get("/staff/regio?regio=bestaat-niet").status_code == 404


def test_holidays_are_added_checked_and_removed(client, db, world):
    sign_in(client, _admin(world))
    token = _token(client)
    path = "/staff/regio/vakanties"
    backwards = {"holiday-name": "Kerst", "holiday-starts_on": "03-01-2027"}
    backwards |= {"holiday-ends_on": "19-12-2026", "csrf_token": token}
    response = client.post(path, data=backwards)
    assert response.status_code == 422
    assert "Het einde van de periode ligt vóór het begin." in response.get_data(as_text=True)
    good = {**backwards, "holiday-starts_on": "2026-12-19", "holiday-ends_on": "2027-01-03"}
    assert client.post(path, data=good).status_code == 302
    again = client.post(path, data=good)
    assert again.status_code == 422
    assert "Deze vakantie staat er al in." in again.get_data(as_text=True)
    holiday = db.session.scalars(sa.select(RegionHoliday)).one()
    assert (holiday.starts_on, holiday.ends_on) == (date(2026, 12, 19), date(2027, 1, 3))
    page = client.get("/staff/regio").get_data(as_text=True)
    assert "19 december 2026" in page
    remove = f"/staff/regio/vakanties/{holiday.id}/verwijderen"
    assert client.post(remove, data={"csrf_token": token}).status_code == 302
    assert db.session.scalars(sa.select(RegionHoliday)).all() == []


def test_the_platform_admin_adds_a_region_and_lists_them_all(client, db, world):
    admin = make_user(Role.ADMIN, region_id=world.region.id)
    sign_in(client, admin)
    page = client.get("/staff/regios").get_data(as_text=True)
    assert world.region.name in page
    token = csrf_token_from(page)
    response = client.post(
        "/staff/regios", data={"csrf_token": token, "code": "twente", "name": "STO Twente"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/regio?regio=twente")
    assert db.session.scalar(sa.select(Region.name).where(Region.code == "twente")) == "STO Twente"
    logged = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "region.create"))
    assert logged.details == {"code": "twente"}
    for body, field in (
        ({"code": "twente", "name": "Nog een"}, "code"),  # taken
        ({"code": "Twente Oost!", "name": "X"}, "code"),
        ({"code": "oost", "name": ""}, "name"),
    ):
        response = client.post("/staff/regios", data={"csrf_token": token, **body})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'id="{field}-error"' in page
        assert f'value="{body["code"]}"' in page  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == 2


@pytest.mark.parametrize("role", [Role.STAFF, Role.REGION_ADMIN, Role.NATIONAL_VIEWER])
def test_only_the_platform_admin_adds_regions(client, db, world, role):
    sign_in(client, make_user(role, region_id=world.region.id))
    assert client.get("/staff/regios").status_code == 404
    assert client.post("/staff/regios", data={"code": "x", "name": "X"}).status_code in (400, 404)
