"""Every route with an id × every kind of visitor × an object of another region: no leaks.

The walk is generic: a new route with an ``<id:…>`` argument joins it by itself, as long as
``FOREIGN`` says which object of the other region its argument names.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from onderwijsplatform.identity import sessions
from onderwijsplatform.models import (
    Introduction,
    MatchSuggestion,
    OutboxEmail,
    Outcome,
    RegionHoliday,
    Role,
    utcnow,
)
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_user

# What a form might ask for, so a POST reaches the check it should fail at.
FORM = {"reason": "x", "day": "2027-03-01", "action": "pause", "note": "x", "message": "x"}
ACTORS = ("anonymous", "company", "coordinator", "staff", "region_admin", "national_viewer")
REDIRECTS_TO_SIGN_IN = ("/inloggen", "/mijn-aanbod/link")


def _foreign_objects(db, world, other) -> dict[str, int]:
    """One object of ``other``'s region for each id argument a route may take."""
    outcome = Outcome(introduction_id=other.intro.id)
    suggestion = MatchSuggestion(
        request_id=other.request.id, offer_id=other.offer.id, score=0.9, algorithm_version="t"
    )
    message = OutboxEmail(
        dedupe_key="matrix",
        template="test_mail",
        to_addr=other.contact.email,
        subject="x",
        body_text="x",
        body_html="x",
        status="failed",
    )
    holiday = RegionHoliday(
        region_id=other.region.id,
        name="Kerst",
        starts_on=date(2026, 12, 19),
        ends_on=date(2027, 1, 3),
    )
    db.session.add_all([outcome, suggestion, message, holiday])
    db.session.flush()
    return {
        "introduction_id": other.intro.id,
        "outcome_id": outcome.id,
        "organisation_id": other.company.id,
        "request_id": other.request.id,
        "suggestion_id": suggestion.id,
        "message_id": message.id,
        "holiday_id": holiday.id,
        "offer_id": other.offer.id,
        "user_id": other.staff.id,
    }


def _sign_in_as(client, actor: str, world) -> None:
    if actor == "company":
        with client.application.test_request_context(), client.session_transaction() as s:
            s["self_service"] = {
                "org": world.company.id,
                "contact": world.contact.id,
                "until": (utcnow() + sessions.COMPANY_SESSION_LIFETIME).timestamp(),
            }
    elif actor == "coordinator":
        sign_in(client, world.coordinator)
    elif actor == "staff":
        sign_in(client, world.staff)
    elif actor in ("region_admin", "national_viewer"):
        sign_in(client, make_user(Role(actor), region_id=world.region.id))


def _walk(client, app, ids: dict[str, int]) -> tuple[int, list[str]]:
    # A page with a form for every visitor, signed in or not.
    token = csrf_token_from(client.get("/mijn-aanbod/link").get_data(as_text=True))
    cases, leaks = 0, []
    for rule in app.url_map.iter_rules():
        if not any(f"<id:{name}>" in rule.rule for name in rule.arguments):
            continue
        values = {name: ids.get(name, "company") for name in rule.arguments}
        missing = [n for n in rule.arguments if "<id:" + n + ">" in rule.rule and n not in ids]
        assert missing == [], f"add a foreign object for {missing} of {rule.rule}"
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {**FORM, "csrf_token": token} if method == "POST" else None
            response = client.open(path, method=method, data=data)
            cases += 1
            location = response.headers.get("Location", "")
            refused = response.status_code == 404 or (
                response.status_code == 302 and any(p in location for p in REDIRECTS_TO_SIGN_IN)
            )
            if not refused:
                leaks.append(f"{method} {rule.rule}: {response.status_code} {location}")
    return cases, leaks


@pytest.mark.parametrize("actor", ACTORS)
def test_no_route_reveals_or_changes_another_regions_objects(client, app, db, world, other, actor):
    ids = _foreign_objects(db, world, other)
    _sign_in_as(client, actor, world)
    cases, leaks = _walk(client, app, ids)
    print(f"\nauthorization matrix, {actor}: {cases} cases, {len(leaks)} leaks")
    assert cases >= 25
    assert leaks == []
    db.session.expire_all()
    assert db.session.get(Introduction, other.intro.id).state.value == "requested"
    assert db.session.scalar(
        sa.select(RegionHoliday.id).where(RegionHoliday.id == ids["holiday_id"])
    )


def test_the_walk_does_find_a_leak_where_access_is_allowed(client, app, db, world, other):
    # The same walk with the other region's own staff member: their own objects answer,
    # which the walk reports; so an empty list above means refusals, not a broken walk.
    ids = _foreign_objects(db, world, other)
    sign_in(client, other.staff)
    _cases, reached = _walk(client, app, ids)
    assert any("/staff/introducties/<id:introduction_id>" in line for line in reached)
    assert any("/staff/cofinanciering/<id:outcome_id>" in line for line in reached)
