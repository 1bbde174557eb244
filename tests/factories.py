"""Test data factories: unique defaults, overridable, flush only (never commit)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from onderwijsplatform.extensions import db
from onderwijsplatform.identity.passwords import hash_password
from onderwijsplatform.models import (
    Approval,
    Contact,
    Offer,
    OfferRegion,
    OfferStatus,
    Organisation,
    OrganisationRegion,
    OrganisationStatus,
    OrganisationType,
    Region,
    RequestStatus,
    Role,
    SchoolRequest,
    SchoolType,
    User,
)
from onderwijsplatform.services import pool

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"

# Assen and Groningen centroids: about 25 km apart.
ASSEN = {"postcode": "9401", "place": "Assen", "lat": 52.9939, "lon": 6.5625}
GRONINGEN = {"postcode": "9711", "place": "Groningen", "lat": 53.2194, "lon": 6.5665}


def _save(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def make_region(**overrides: Any) -> Region:
    n = next(_seq)
    return _save(Region(**{"code": f"regio-{n}", "name": f"Regio {n}", **overrides}))


def _serve(organisation: Organisation) -> Organisation:
    # Like the migration: an organisation serves its home region, approved as its status says.
    if not organisation.memberships:
        organisation.memberships.append(
            OrganisationRegion(
                region_id=organisation.region_id, status=pool.approval_of(organisation.status)
            )
        )
        db.session.flush()
    return organisation


def make_company(region: Region | None = None, **overrides: Any) -> Organisation:
    n = next(_seq)
    region = region or make_region()
    values = {
        "region_id": region.id,
        "type": OrganisationType.COMPANY,
        "status": OrganisationStatus.ACTIVE,
        "name": f"Installatiebedrijf {n} B.V.",
        **ASSEN,
        **overrides,
    }
    return _serve(_save(Organisation(**values)))


def make_contact(organisation: Organisation, **overrides: Any) -> Contact:
    n = next(_seq)
    values = {
        "organisation_id": organisation.id,
        "name": f"Contact {n}",
        "email": f"contact{n}@bedrijf{n}.example",
        **overrides,
    }
    return _save(Contact(**values))


def make_school(region: Region | None = None, **overrides: Any) -> Organisation:
    n = next(_seq)
    region = region or make_region()
    values = {
        "region_id": region.id,
        "type": OrganisationType.SCHOOL,
        "status": OrganisationStatus.ACTIVE,
        "name": f"Vakcollege {n}",
        "school_type": SchoolType.VMBO,
        "sectors": ["pie"],
        **ASSEN,
        **overrides,
    }
    return _serve(_save(Organisation(**values)))


def make_user(role: Role = Role.STAFF, **overrides: Any) -> User:
    n = next(_seq)
    school = overrides.pop("school", None)
    if role == Role.COORDINATOR and school is None:
        school = make_school()
    region_id = overrides.pop("region_id", None) or (
        school.region_id if school else make_region().id
    )
    values = {
        "email": f"user{n}@school{n}.example",
        "name": f"Gebruiker {n}",
        "role": role,
        "region_id": region_id,
        "school_id": school.id if school else None,
        "password_hash": hash_password(PASSWORD),
        **overrides,
    }
    return _save(User(**values))


def make_offer(organisation: Organisation | None = None, **overrides: Any) -> Offer:
    organisation = organisation or make_company()
    values = {
        "organisation_id": organisation.id,
        "status": OfferStatus.ACTIVE,
        "school_year": "2026-2027",
        "kinds": ["gastles"],
        "sectors": ["pie"],
        "themes": ["zonnepanelen"],
        "target_groups": ["vmbo_bovenbouw"],
        "where": ["op_school"],
        "travel_km": 40.0,
        "capacity": 30,
        "description": "Monteurs laten zien hoe zonnepanelen werken.",
        **ASSEN,
        **overrides,
    }
    offer = _save(Offer(**values))
    # Available in every region its organisation serves, approved as its status says.
    for membership in organisation.memberships:
        status = pool.approval_of(offer.status)
        if membership.status is not Approval.APPROVED:
            status = membership.status
        offer.availability.append(OfferRegion(region_id=membership.region_id, status=status))
    db.session.flush()
    return offer


def make_request(school: Organisation | None = None, **overrides: Any) -> SchoolRequest:
    school = school or make_school()
    values = {
        "school_id": school.id,
        "status": RequestStatus.OPEN,
        "school_year": "2026-2027",
        "kinds": ["gastles"],
        "sectors": ["pie"],
        "themes": ["zonne-energie"],
        "target_group": "vmbo_bovenbouw",
        "group_size": 24,
        "period_from": date(2027, 3, 1),
        "period_to": date(2027, 3, 31),
        "description": "Gastles over duurzame energie voor 3 vmbo PIE.",
        **ASSEN,
        **overrides,
    }
    return _save(SchoolRequest(**values))


def delivered_text(mail) -> str:
    """The text part of an outbox row as its recipient gets it: with the real links."""
    from onderwijsplatform.mail import masking

    return masking.unmask(mail.body_text, mail.sealed_links)
