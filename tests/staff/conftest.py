"""Staff test data: two regions, each with a staff member, a school, a company and an intro."""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
import pytest

from onderwijsplatform.models import Introduction, Role
from tests.factories import (
    make_company,
    make_contact,
    make_offer,
    make_region,
    make_request,
    make_school,
    make_user,
)


@dataclass
class World:
    """One region's cast."""

    region: object
    staff: object
    coordinator: object
    school: object
    company: object
    contact: object
    offer: object
    request: object
    intro: Introduction


def make_world(db) -> World:
    region = make_region()
    staff = make_user(Role.STAFF, region_id=region.id, totp_secret=pyotp.random_base32())
    school = make_school(region)
    coordinator = make_user(Role.COORDINATOR, school=school)
    company = make_company(region)
    contact = make_contact(company)
    offer = make_offer(company, contact_id=contact.id)
    request = make_request(school, created_by_id=coordinator.id)
    intro = Introduction(request_id=request.id, offer_id=offer.id, requested_by_id=coordinator.id)
    db.session.add(intro)
    db.session.flush()
    return World(region, staff, coordinator, school, company, contact, offer, request, intro)


@pytest.fixture
def world(db) -> World:
    return make_world(db)


@pytest.fixture
def other(db) -> World:
    return make_world(db)
