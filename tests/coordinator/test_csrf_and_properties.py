"""CSRF on every POST rule of the feature (CSRF-01) and arbitrary text on the request form."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import SchoolRequest
from tests.conftest import csrf_token_from
from tests.coordinator.conftest import REQUEST_FORM
from tests.factories import make_request

ENDPOINTS = ("auth.", "coordinator.", "staff.invitations")


def test_every_post_needs_csrf_and_get_on_post_only_is_405(signed_in, app, school):
    row = make_request(school)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(ENDPOINTS) or "POST" not in rule.methods:
            continue
        path = (
            rule.rule.replace("<id:request_id>", str(row.id))
            .replace("<id:suggestion_id>", "1")
            .replace("<token>", "x")
        )
        assert signed_in.post(path, data={}).status_code == 400, rule.rule
        assert signed_in.post(path, data={"csrf_token": "forged"}).status_code == 400
        if "GET" not in rule.methods:
            assert signed_in.get(path).status_code == 405
        checked += 1
    assert checked >= 14
    assert signed_in.get("/school/hulpvragen").status_code == 200  # still signed in


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=80))
def test_any_text_never_causes_a_500(signed_in, offers, text):
    token = csrf_token_from(signed_in.get("/school/hulpvragen/nieuw").get_data(as_text=True))
    before = _db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRequest))
    response = signed_in.post(
        "/school/hulpvragen/nieuw",
        data={**REQUEST_FORM, "csrf_token": token, "description": text or "x", "themes": text},
    )
    assert response.status_code in (200, 302)
    after = _db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRequest))
    if response.status_code == 200:
        assert after == before
    else:
        stored = _db.session.scalar(sa.select(SchoolRequest).order_by(SchoolRequest.id.desc()))
        assert "\x00" not in stored.description
