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
    KitComponent,
    LendingItem,
    Loan,
    MatchSuggestion,
    OutboxEmail,
    Outcome,
    RegionHoliday,
    Role,
    VisitBooking,
    utcnow,
)
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_user
from tests.visits.conftest import make_programme, make_slot

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
    item = LendingItem(region_id=other.region.id, title="Leskist", quantity=3)
    item.components = [KitComponent(name="Multimeter", count=1)]
    db.session.add_all([outcome, suggestion, message, holiday, item])
    db.session.flush()
    loan = Loan(
        item_id=item.id,
        school_id=other.school.id,
        coordinator_id=other.coordinator.id,
        sets=1,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 19),
    )
    db.session.add(loan)
    programme = make_programme(db, other)
    slot = make_slot(db, programme)
    booking = VisitBooking(
        slot_id=slot.id,
        school_id=other.school.id,
        coordinator_id=other.coordinator.id,
        target_group="po",
        pupils=20,
        escorts=3,
    )
    db.session.add(booking)
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
        "programme_id": programme.id,
        "slot_id": slot.id,
        "booking_id": booking.id,
        "item_id": item.id,
        "loan_id": loan.id,
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
    assert db.session.get(Loan, ids["loan_id"]).state.value == "requested"
    assert db.session.get(LendingItem, ids["item_id"]).title == "Leskist"
    assert db.session.scalar(
        sa.select(RegionHoliday.id).where(RegionHoliday.id == ids["holiday_id"])
    )
    assert db.session.get(VisitBooking, ids["booking_id"]).state.value == "provisional"


def test_the_walk_does_find_a_leak_where_access_is_allowed(client, app, db, world, other):
    # The same walk with the other region's own staff member: their own objects answer,
    # which the walk reports; so an empty list above means refusals, not a broken walk.
    ids = _foreign_objects(db, world, other)
    sign_in(client, other.staff)
    _cases, reached = _walk(client, app, ids)
    assert any("/staff/introducties/<id:introduction_id>" in line for line in reached)
    assert any("/staff/cofinanciering/<id:outcome_id>" in line for line in reached)
    assert any("/staff/bezoeken/boekingen/<id:booking_id>" in line for line in reached)
    assert any("/staff/uitleen/<id:item_id>" in line for line in reached)
    assert any("/staff/uitleen/reserveringen/<id:loan_id>" in line for line in reached)


# The downloads of the ledger take no id, so the walk above does not reach them. Who may
# have each: region staff their own region's report, the national viewer and the platform
# admin the national one. A new export route must be listed here (checked below).
EXPORTS = {
    "/staff/export/company.csv": ("staff", "region_admin", "admin"),
    "/staff/export/school.csv": ("staff", "region_admin", "admin"),
    "/staff/export/activities.csv": ("staff", "region_admin", "admin"),
    "/staff/export/company.xlsx": ("staff", "region_admin", "admin"),
    "/landelijk/cofinanciering.csv": ("national_viewer", "admin"),
    "/landelijk/cofinanciering.xlsx": ("national_viewer", "admin"),
}


def test_every_export_route_is_in_the_export_table(app):
    adapter = app.url_map.bind("localhost")
    listed = {adapter.match(path)[0] for path in EXPORTS}
    # (A company's download of its own data, self_service.export, is no ledger export.)
    exports = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "export" in rule.endpoint and rule.endpoint.split(".")[0] in ("staff", "national")
    }
    assert exports <= listed, f"add these to EXPORTS: {exports - listed}"


def _took_place(db, cast) -> None:
    outcome = Outcome(
        introduction_id=cast.intro.id, took_place=True, activity_date=utcnow(), pupils=7
    )
    db.session.add(outcome)
    db.session.flush()


@pytest.mark.parametrize("actor", [*ACTORS, "admin"])
def test_each_actor_gets_only_the_exports_of_its_role(client, db, world, other, actor):
    world.school.name, other.school.name = "Eigen Vakcollege", "Ander Vakcollege"
    _took_place(db, world)
    _took_place(db, other)
    if actor == "admin":
        sign_in(client, make_user(Role.ADMIN, region_id=world.region.id))
    else:
        _sign_in_as(client, actor, world)
    for path, allowed in EXPORTS.items():
        response = client.get(path)
        location = response.headers.get("Location", "")
        if actor not in allowed:
            refused = response.status_code == 404 or (
                response.status_code == 302 and any(p in location for p in REDIRECTS_TO_SIGN_IN)
            )
            assert refused, (actor, path, response.status_code)
            continue
        assert response.status_code == 200, (actor, path)
        if path.endswith("school.csv"):
            text = response.data.decode("utf-8-sig")
            assert "Eigen Vakcollege" in text
            # Region staff see their own region only; the platform admin every region.
            assert ("Ander Vakcollege" in text) == (actor == "admin"), (actor, path)
        if path.startswith("/landelijk/") and path.endswith(".csv"):
            text = response.data.decode("utf-8-sig")
            assert "Vakcollege" not in text
            assert other.region.code in text
