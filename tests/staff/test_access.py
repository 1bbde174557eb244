"""Access: foreign ids answer 404, coordinators 404, anonymous a redirect or 401 (AC-01/02)."""

from __future__ import annotations

import pytest

from onderwijsplatform.models import Outcome, Role
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_user

GET_ROUTES = [
    "/staff/",
    "/staff/aanmeldingen",
    "/staff/introducties",
    "/staff/cofinanciering",
    "/staff/logboek",
    "/staff/export/company.csv",
]
ID_ROUTES = [
    ("GET", "/staff/introducties/{intro}"),
    ("POST", "/staff/introducties/{intro}/goedkeuren"),
    ("POST", "/staff/introducties/{intro}/afwijzen"),
    ("POST", "/staff/introducties/{intro}/antwoord/company"),
    ("POST", "/staff/introducties/{intro}/datum"),
    ("POST", "/staff/introducties/{intro}/status/geannuleerd"),
    ("GET", "/staff/cofinanciering/{outcome}"),
    ("POST", "/staff/cofinanciering/{outcome}"),
    ("POST", "/staff/aanmeldingen/{org}/goedkeuren"),
    ("POST", "/staff/aanmeldingen/{org}/afwijzen"),
    ("POST", "/staff/aanmeldingen/{org}/samenvoegen"),
]


def _ids(db, world):
    outcome = Outcome(introduction_id=world.intro.id)
    db.session.add(outcome)
    pending = make_company(world.region, status="pending_review")
    db.session.flush()
    return {"intro": world.intro.id, "outcome": outcome.id, "org": pending.id}


@pytest.mark.parametrize("path", GET_ROUTES)
def test_anonymous_is_sent_away(client, world, path):
    response = client.get(path)
    assert response.status_code in (302, 401)


@pytest.mark.parametrize("path", GET_ROUTES)
def test_coordinator_gets_404(client, world, path):
    sign_in(client, world.coordinator)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("method", "template"), ID_ROUTES)
def test_staff_of_another_region_gets_404(client, db, world, other, method, template):
    path = template.format(**_ids(db, world))
    sign_in(client, other.staff)
    token_page = client.get("/staff/introducties").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(token_page), "reason": "x", "day": "2027-03-01"}
    response = client.open(path, method=method, data=data if method == "POST" else None)
    assert response.status_code == 404
    db.session.refresh(world.intro)
    assert world.intro.state.value == "requested"


@pytest.mark.parametrize("bad", ["0", "2147483648", "99999999999", "9" * 40, "abc", "-1"])
def test_nonsense_ids_are_404(client, world, bad):
    sign_in(client, world.staff)
    assert client.get(f"/staff/introducties/{bad}").status_code == 404
    assert client.get(f"/staff/cofinanciering/{bad}").status_code == 404
    token = csrf_token_from(client.get("/staff/introducties").get_data(as_text=True))
    for path in (
        f"/staff/aanmeldingen/{bad}/goedkeuren",
        f"/staff/suggesties/{bad}/voorstellen",
        f"/staff/introducties/{bad}/goedkeuren",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 404


def test_admin_sees_every_region(client, db, world, other):
    admin = make_user(Role.ADMIN, region_id=other.region.id)
    sign_in(client, admin)
    assert client.get(f"/staff/introducties/{world.intro.id}").status_code == 200


def test_region_change_applies_at_once(client, db, world, other):
    """AC-05: the region is read from the database on every request."""
    sign_in(client, world.staff)
    assert client.get(f"/staff/introducties/{world.intro.id}").status_code == 200
    world.staff.region_id = other.region.id
    db.session.flush()
    assert client.get(f"/staff/introducties/{world.intro.id}").status_code == 404
