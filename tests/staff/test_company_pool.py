"""One company pool: a company in two regions, each region's staff deciding for their own."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.models import (
    Approval,
    DuplicateFlag,
    OfferRegion,
    OfferStatus,
    Organisation,
    OrganisationRegion,
    OrganisationStatus,
    OutboxEmail,
    Role,
)
from onderwijsplatform.services import pool
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_contact, make_offer, make_user


def _two_region_company(db, world, other):
    """A new company that chose both regions, home in ``world``'s, with one offer."""
    company = make_company(
        world.region, name="Tweeregio Techniek B.V.", status=OrganisationStatus.PENDING_REVIEW
    )
    company.memberships.append(OrganisationRegion(region_id=other.region.id))
    db.session.flush()
    contact = make_contact(company, email="info@tweeregio.example")
    offer = make_offer(company, status=OfferStatus.PENDING_REVIEW, contact_id=contact.id)
    return company, offer


def _status(db, model, **keys):
    return db.session.scalar(sa.select(model.status).filter_by(**keys))


def _token(client):
    return csrf_token_from(client.get("/staff/aanmeldingen").get_data(as_text=True))


def test_each_region_approves_for_itself(client, db, world, other):
    company, offer = _two_region_company(db, world, other)
    assert sorted(r.region_id for r in offer.availability) == sorted(
        [world.region.id, other.region.id]
    )
    sign_in(client, world.staff)
    assert "Tweeregio Techniek B.V." in client.get("/staff/aanmeldingen").get_data(as_text=True)
    response = client.post(
        f"/staff/aanmeldingen/{company.id}/goedkeuren", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert company.status is OrganisationStatus.ACTIVE
    assert offer.status is OfferStatus.ACTIVE
    here = {"organisation_id": company.id, "region_id": world.region.id}
    there = {"organisation_id": company.id, "region_id": other.region.id}
    assert _status(db, OrganisationRegion, **here) is Approval.APPROVED
    assert _status(db, OrganisationRegion, **there) is Approval.PENDING
    assert _status(db, OfferRegion, offer_id=offer.id, region_id=other.region.id) is (
        Approval.PENDING
    )
    # Live in the first region's catalogue, not yet in the second's.
    assert "Tweeregio" in client.get(f"/r/{world.region.code}/aanbod").get_data(as_text=True)
    assert "Tweeregio" not in client.get(f"/r/{other.region.code}/aanbod").get_data(as_text=True)
    # Gone from the first region's queue, still in the second's, marked new there.
    assert "Tweeregio" not in client.get("/staff/aanmeldingen").get_data(as_text=True)
    sign_in(client, other.staff)
    page = client.get("/staff/aanmeldingen").get_data(as_text=True)
    assert "Tweeregio Techniek B.V." in page
    assert "nieuw in deze regio" in page


def test_a_rejection_in_one_region_leaves_the_other_alone(client, db, world, other):
    company, offer = _two_region_company(db, world, other)
    sign_in(client, world.staff)
    client.post(f"/staff/aanmeldingen/{company.id}/goedkeuren", data={"csrf_token": _token(client)})
    sign_in(client, other.staff)
    response = client.post(
        f"/staff/aanmeldingen/{company.id}/afwijzen",
        data={"csrf_token": _token(client), f"reject{company.id}-reason": "Buiten ons gebied"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert company.status is OrganisationStatus.ACTIVE
    assert offer.status is OfferStatus.ACTIVE
    there = {"organisation_id": company.id, "region_id": other.region.id}
    assert _status(db, OrganisationRegion, **there) is Approval.REJECTED
    assert _status(db, OfferRegion, offer_id=offer.id, region_id=other.region.id) is (
        Approval.REJECTED
    )
    mail = db.session.scalar(
        sa.select(OutboxEmail)
        .where(OutboxEmail.to_addr.like("info@%"))
        .where(OutboxEmail.template == "organisation_rejected")
    )
    assert other.region.name in mail.body_text
    assert "Buiten ons gebied" in mail.body_text


def test_staff_cannot_decide_for_another_region(client, db, world, other):
    company, _offer = _two_region_company(db, world, other)
    sign_in(client, other.staff)
    # A forged ?regio= is ignored for staff: they decide for their own region only.
    client.post(
        f"/staff/aanmeldingen/{company.id}/goedkeuren?regio={world.region.code}",
        data={"csrf_token": _token(client)},
    )
    db.session.expire_all()
    here = {"organisation_id": company.id, "region_id": world.region.id}
    assert _status(db, OrganisationRegion, **here) is Approval.PENDING
    # A company that does not serve the staff member's region is not there at all.
    lone = make_company(world.region, status=OrganisationStatus.PENDING_REVIEW)
    response = client.post(
        f"/staff/aanmeldingen/{lone.id}/goedkeuren", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 404


def test_the_platform_admin_decides_for_the_region_named(client, db, world, other):
    company, _offer = _two_region_company(db, world, other)
    admin = make_user(Role.ADMIN, region_id=world.region.id, totp_secret="A" * 32)
    sign_in(client, admin)
    page = client.get("/staff/aanmeldingen").get_data(as_text=True)
    assert page.count("Tweeregio Techniek B.V.") == 2  # one entry per region
    response = client.post(
        f"/staff/aanmeldingen/{company.id}/goedkeuren?regio={other.region.code}",
        data={"csrf_token": _token(client)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    there = {"organisation_id": company.id, "region_id": other.region.id}
    here = {"organisation_id": company.id, "region_id": world.region.id}
    assert _status(db, OrganisationRegion, **there) is Approval.APPROVED
    assert _status(db, OrganisationRegion, **here) is Approval.PENDING


def test_a_duplicate_from_another_region_merges_into_one_record(client, db, world, other):
    # The company is known in the other region; it signs up again here with the same KvK.
    known = make_company(other.region, name="Bekend B.V.", kvk_number="12345678")
    new = make_company(
        world.region,
        name="Bekend BV",
        kvk_number="12345678",
        status=OrganisationStatus.PENDING_REVIEW,
    )
    offer = make_offer(new, status=OfferStatus.PENDING_REVIEW)
    db.session.add(DuplicateFlag(organisation_id=new.id, other_id=known.id, reason="kvk"))
    db.session.flush()
    sign_in(client, world.staff)
    page = client.get("/staff/aanmeldingen").get_data(as_text=True)
    assert "Bekend B.V." in page  # offered as a merge target across regions
    response = client.post(
        f"/staff/aanmeldingen/{new.id}/samenvoegen",
        data={
            "csrf_token": _token(client),
            f"merge{new.id}-into": str(known.id),
            f"merge{new.id}-confirmed": "yes",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert new.status is OrganisationStatus.MERGED
    assert offer.organisation_id == known.id
    assert offer.status is OfferStatus.ACTIVE
    assert sorted(pool.region_ids(known)) == sorted([world.region.id, other.region.id])
    here = {"organisation_id": known.id, "region_id": world.region.id}
    assert _status(db, OrganisationRegion, **here) is Approval.APPROVED
    # Staff of this region now see the one record; it is live in their catalogue.
    assert db.session.scalar(
        sa.select(sa.func.count(Organisation.id)).where(Organisation.name == "Bekend B.V.")
    )
    assert "Bekend B.V." in client.get(f"/r/{world.region.code}/aanbod").get_data(as_text=True)


def test_a_region_sees_only_offers_available_there(client, db, world, other):
    shared = make_company(world.region, name="Gedeeld B.V.")
    shared.memberships.append(
        OrganisationRegion(region_id=other.region.id, status=Approval.APPROVED)
    )
    db.session.flush()
    only_here = make_offer(shared, description="Alleen in de eerste regio.")
    only_here.availability = [OfferRegion(region_id=world.region.id, status=Approval.APPROVED)]
    db.session.flush()
    assert "Alleen in de eerste" in client.get(f"/r/{world.region.code}/aanbod").get_data(
        as_text=True
    )
    assert "Gedeeld B.V." not in client.get(f"/r/{other.region.code}/aanbod").get_data(as_text=True)
