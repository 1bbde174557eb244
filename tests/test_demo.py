"""The demo regions: complete, located, idempotent, with printed logins."""

from __future__ import annotations

import sqlalchemy as sa

from matching.vocabulary import KIND_CODES, SECTOR_CODES, TARGET_GROUP_CODES
from onderwijsplatform.models import (
    Approval,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationType,
    Region,
    RequestStatus,
    Role,
    SchoolRequest,
    User,
    VisitProgramme,
    VisitSlot,
    utcnow,
)
from onderwijsplatform.services import demo, visit_calendar, visit_programmes


def _count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_seed_builds_three_demo_regions(db):
    demo.seed()
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    assert set(regions) == {"assen", "groningen", "twente"}
    expected = {"assen": (40, 8), "groningen": (6, 3), "twente": (6, 3)}
    for code, (companies, schools) in expected.items():
        home = Organisation.region_id == regions[code].id
        assert _count(db, Organisation, home, Organisation.type == OrganisationType.COMPANY) == (
            companies
        )
        assert _count(db, Organisation, home, Organisation.type == OrganisationType.SCHOOL) == (
            schools
        )
        # Staff for each region.
        assert _count(db, User, User.role == Role.STAFF, User.region_id == regions[code].id) == 1
    assert _count(db, Offer, Offer.status == OfferStatus.ACTIVE) >= 80
    assert _count(db, SchoolRequest, SchoolRequest.status == RequestStatus.OPEN) >= 19
    assert _count(db, User, User.role == Role.COORDINATOR) == 14
    school_types = set(
        db.session.scalars(
            sa.select(Organisation.school_type).where(Organisation.type == OrganisationType.SCHOOL)
        )
    )
    assert {t.value for t in school_types} == {"po", "vmbo", "mbo"}


def test_one_demo_company_serves_two_regions(db):
    demo.seed()
    shared = [
        org
        for org in db.session.scalars(
            sa.select(Organisation).where(Organisation.type == OrganisationType.COMPANY)
        )
        if len(org.memberships) > 1
    ]
    assert [org.name for org in shared] == ["Klimaattechniek Noord B.V."]
    assert sorted(m.region.code for m in shared[0].memberships) == ["assen", "groningen"]
    assert all(m.status is Approval.APPROVED for m in shared[0].memberships)
    offers = db.session.scalars(sa.select(Offer).where(Offer.organisation_id == shared[0].id))
    for offer in offers:
        assert sorted(r.region.code for r in offer.availability) == ["assen", "groningen"]


def test_demo_rows_are_located_and_use_the_vocabulary(db):
    demo.seed()
    for offer in db.session.scalars(sa.select(Offer)):
        assert offer.lat is not None
        assert 50.5 < offer.lat < 53.7
        assert set(offer.kinds) <= KIND_CODES
        assert offer.kinds
        assert set(offer.sectors) <= SECTOR_CODES
        assert set(offer.target_groups) <= TARGET_GROUP_CODES
    for request in db.session.scalars(sa.select(SchoolRequest)):
        assert request.lat is not None
        assert request.target_group in TARGET_GROUP_CODES


def test_seed_is_idempotent(db):
    first = demo.seed()
    assert first.created["offers"] >= 60
    offers = _count(db, Offer)
    second = demo.seed()
    assert second.created == {}
    assert _count(db, Offer) == offers


def test_seed_command_prints_logins_and_respects_if_empty(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    assert demo.DEMO_PASSWORD in result.output
    assert "coordinator" in result.output
    # Staff cannot sign in with a password alone: the seed hands out an enrolment link.
    assert "First staff sign-in" in result.output
    assert "/staff/aanmelden/" in result.output
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not empty" in again.output


def test_demo_visit_programmes_have_slots_outside_weekends(db):
    demo.seed()
    programmes = db.session.scalars(sa.select(VisitProgramme)).all()
    assert len(programmes) == 3
    assert {p.region.code for p in programmes} == {"assen"}
    slots = db.session.scalars(sa.select(VisitSlot)).all()
    assert slots
    assert all(visit_calendar.local_day(s.starts_at).weekday() < 5 for s in slots)
    region_id = programmes[0].region_id
    assert len(visit_programmes.open_in(region_id, utcnow())) == 3
    assert demo.seed().created.get("visit programmes") is None  # idempotent


def test_the_assen_demo_region_lends_kits_with_components(db):
    from onderwijsplatform.models import LendingDesk, LendingItem

    demo.seed()
    demo.seed()  # idempotent
    assen = db.session.scalar(sa.select(Region).where(Region.code == "assen"))
    items = db.session.scalars(
        sa.select(LendingItem).where(LendingItem.region_id == assen.id)
    ).all()
    assert len(items) == 4
    assert all(item.components for item in items)
    assert _count(db, LendingDesk, LendingDesk.region_id == assen.id) == 1
