"""The demo region: complete, located, idempotent, with printed logins."""

from __future__ import annotations

import sqlalchemy as sa

from matching.vocabulary import KIND_CODES, SECTOR_CODES, TARGET_GROUP_CODES
from onderwijsplatform.models import (
    Offer,
    OfferStatus,
    Organisation,
    OrganisationType,
    RequestStatus,
    Role,
    SchoolRequest,
    User,
)
from onderwijsplatform.services import demo


def _count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_seed_builds_the_demo_region(db):
    demo.seed()
    companies = _count(db, Organisation, Organisation.type == OrganisationType.COMPANY)
    schools = _count(db, Organisation, Organisation.type == OrganisationType.SCHOOL)
    assert companies == 40
    assert schools == 8
    assert _count(db, Offer, Offer.status == OfferStatus.ACTIVE) >= 60
    assert _count(db, SchoolRequest, SchoolRequest.status == RequestStatus.OPEN) >= 8
    assert _count(db, User, User.role == Role.STAFF) == 1
    assert _count(db, User, User.role == Role.COORDINATOR) == 8
    school_types = set(
        db.session.scalars(
            sa.select(Organisation.school_type).where(Organisation.type == OrganisationType.SCHOOL)
        )
    )
    assert {t.value for t in school_types} == {"po", "vmbo", "mbo"}


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
