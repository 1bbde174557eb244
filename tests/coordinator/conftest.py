"""Fixtures for the coordinator tests: a school with a coordinator and matching offers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import OutboxEmail, Role
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_contact, make_offer, make_school, make_user


@pytest.fixture
def school(db):
    return make_school()


@pytest.fixture
def coordinator(school):
    return make_user(Role.COORDINATOR, school=school, language="nl")


@pytest.fixture
def offers(school):
    """Two active offers near the school that match the factory request."""
    company = make_company(region=school.region)
    contact = make_contact(company, email="geheim@bedrijf.example", phone="+31612345678")
    first = make_offer(company, contact_id=contact.id)
    other = make_company(region=school.region, name="Zonnebouw Noord B.V.")
    second = make_offer(other, kinds=["gastles", "bedrijfsbezoek"], where=["op_school"])
    return [first, second]


@pytest.fixture
def signed_in(client, coordinator):
    sign_in(client, coordinator)
    return client


def outbox_rows(template: str | None = None) -> list[OutboxEmail]:
    query = sa.select(OutboxEmail).order_by(OutboxEmail.id)
    if template:
        query = query.where(OutboxEmail.template == template)
    return list(_db.session.scalars(query))


def post_form(client, path: str, data: dict, *, page: str | None = None):
    """GET ``page`` (or ``path``) for a CSRF token, then POST ``data`` with it."""
    token = csrf_token_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


REQUEST_FORM = {
    "kinds": "gastles",
    "target_group": "vmbo_bovenbouw",
    "sectors": "pie",
    "themes": "zonnepanelen, duurzame energie",
    "group_size": "24",
    "max_travel_km": "30",
    "period_from": "2027-03-01",
    "period_to": "2027-03-31",
    "description": "Gastles over zonnepanelen voor 3 vmbo PIE.",
}
