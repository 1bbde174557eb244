"""National totals: every region in figures, each activity once, and no personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import (
    Contact,
    Introduction,
    OutboxEmail,
    Outcome,
    Region,
    Role,
    User,
)
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import national
from tests.conftest import sign_in
from tests.factories import make_user


def _took_place(intro: Introduction, *, pupils: int, hours: str, materials: int, rate: int):
    day = datetime.now(UTC)
    outcome = Outcome(
        introduction_id=intro.id,
        took_place=True,
        activity_date=day,
        pupils=pupils,
        company_hours=Decimal(hours),
        hour_rate_cents=rate,
        materials_cents=materials,
    )
    _db.session.add(outcome)
    _db.session.flush()
    return outcome


def test_totals_add_regions_up_without_counting_twice(db, world, other):
    _took_place(world.intro, pupils=24, hours="3", materials=5000, rate=6000)
    _took_place(other.intro, pupils=10, hours="1.5", materials=0, rate=5000)
    figures = national.totals(school_year_of(datetime.now(UTC).date()))
    by_code = {r.code: r for r in figures.regions}
    first, second = by_code[world.region.code], by_code[other.region.code]
    assert (first.activities, first.pupils, first.value_cents) == (1, 24, 23000)
    assert (second.activities, second.pupils, second.value_cents) == (1, 10, 7500)
    assert figures.total.activities == sum(r.activities for r in figures.regions) == 2
    assert figures.total.value_cents == 30500
    assert figures.total.hours == Decimal("4.5")
    assert figures.total.active_offers == sum(r.active_offers for r in figures.regions)


def test_a_national_viewer_sees_totals_and_no_person(client, db, world, other):
    viewer = make_user(Role.NATIONAL_VIEWER, region_id=world.region.id)
    _took_place(world.intro, pupils=24, hours="3", materials=0, rate=6000)
    sign_in(client, viewer)
    page = client.get("/landelijk/").get_data(as_text=True)
    assert world.region.name in page
    assert other.region.name in page
    assert "€\xa0180,00" in page  # Dutch money, as Babel writes it: 3 h × € 60
    for person in (world.contact.email, world.coordinator.email, world.company.name):
        assert person not in page
    # Rows that name people or organisations stay out of reach, whatever the query.
    for model in (User, Contact, OutboxEmail, Introduction, Outcome):
        assert db.session.scalars(sa.select(model).where(scope.visible(viewer, model))).all() == []
    regions = db.session.scalars(sa.select(Region).where(scope.visible(viewer, Region))).all()
    assert {world.region.id, other.region.id} <= {r.id for r in regions}


def test_national_viewers_do_not_reach_staff_pages_and_staff_not_theirs(client, world):
    sign_in(client, make_user(Role.NATIONAL_VIEWER, region_id=world.region.id))
    for path in ("/staff/", "/staff/cofinanciering", "/staff/mail/", "/staff/regio"):
        assert client.get(path).status_code == 404, path
    sign_in(client, world.staff)
    assert client.get("/landelijk/").status_code == 404


def test_the_platform_admin_sees_the_national_totals(client, world):
    sign_in(client, make_user(Role.ADMIN, region_id=world.region.id))
    assert client.get("/landelijk/?jaar=2025-2026").status_code == 200
    assert "2025-2026" in client.get("/landelijk/?jaar=2025-2026").get_data(as_text=True)
    assert client.get("/landelijk/?jaar=drop table").status_code == 200
