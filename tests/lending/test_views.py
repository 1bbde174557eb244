"""Lending pages through the test client: the catalogue, reserving, and the desk's steps."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from onderwijsplatform.models import (
    LendingApproval,
    LendingItem,
    Loan,
    LoanState,
    OutboxEmail,
    utcnow,
)
from tests.conftest import csrf_token_from, sign_in


def _monday_in(weeks: int) -> date:
    today = utcnow().date()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _reserve(client, item_id, **values):
    path = f"/school/uitlenen/{item_id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    start = _monday_in(4)
    data = {
        "csrf_token": token,
        "sets": "3",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=18)).isoformat(),
        "handover": "pickup",
        "note": "",
        **values,
    }
    return client.post(path, data=data)


def test_the_catalogue_shows_free_sets_per_week(client, desk):
    sign_in(client, desk.coordinator)
    html = client.get("/school/uitlenen").get_data(as_text=True)
    week = _monday_in(1).isocalendar().week
    assert "Leskist Zonne-energie" in html
    assert f"15 van 15 sets vrij in week {week}" in html


def test_a_coordinator_reserves_and_sees_it(client, db, desk):
    sign_in(client, desk.coordinator)
    response = _reserve(client, desk.item.id)
    assert response.status_code == 302, response.get_data(as_text=True)
    loan = db.session.scalar(sa.select(Loan))
    assert loan.state is LoanState.APPROVED
    assert loan.sets == 3
    html = client.get("/school/uitlenen/reserveringen").get_data(as_text=True)
    assert f'id="lening-{loan.id}"' in html
    assert "Goedgekeurd" in html
    week = _monday_in(4).isocalendar().week
    catalogue = client.get("/school/uitlenen").get_data(as_text=True)
    assert f"12 van 15 sets vrij in week {week}" in catalogue


def test_bad_reservations_get_a_message_next_to_the_field(client, db, desk):
    sign_in(client, desk.coordinator)
    cases = [
        ({"sets": "16"}, "In deze periode zijn er nog 15 sets vrij."),
        ({"sets": "6"}, "Uw school kan in deze periode nog 5 sets reserveren."),
        ({"sets": "-1"}, "Vul een heel getal in van 1 tot en met 999."),
        ({"starts_on": "2020-01-06"}, "Deze datum is al voorbij."),
        ({"ends_on": (_monday_in(4) + timedelta(days=60)).isoformat()}, "hoogstens 42 dagen"),
        (
            {"starts_on": (_monday_in(4) - timedelta(days=1)).isoformat()},
            "uitleenbalie is dan dicht",
        ),
        ({"starts_on": "morgen"}, "Vul een geldige datum in"),
    ]
    for values, message in cases:
        response = _reserve(client, desk.item.id, **values)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, values
        assert message in html, (values, message)
        assert 'class="invalid-feedback d-block"' in html
        for value in values.values():
            assert f'value="{value}"' in html  # what was typed is kept
    assert _count(db, Loan) == 0
    assert _count(db, OutboxEmail) == 0


def test_staff_add_a_kit_with_components(client, db, desk):
    sign_in(client, desk.staff)
    token = csrf_token_from(client.get("/staff/uitleen/nieuw").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "title": "Leskist Bruggen bouwen",
        "quantity": "15",
        "value": "120,50",
        "components": "4 krokodillenklemmen\n2 x multimeter",
        "loan_days": "21",
        "max_loan_days": "42",
        "lead_days": "3",
        "buffer_before": "1",
        "buffer_after": "2",
        "max_sets_per_school": "3",
        "approval": "owner",
        "active": "y",
    }
    bad = client.post("/staff/uitleen/nieuw", data={**data, "components": "-2 multimeter"})
    assert bad.status_code == 422
    assert "Regel 1:" in bad.get_data(as_text=True)
    saturday = client.post("/staff/uitleen/nieuw", data={**data, "exchange_weekday": "5"})
    assert saturday.status_code == 422
    assert "De uitleenbalie is op die dag dicht." in saturday.get_data(as_text=True)
    assert _count(db, LendingItem) == 1
    response = client.post("/staff/uitleen/nieuw", data=data)
    assert response.status_code == 302
    item = db.session.scalar(sa.select(LendingItem).where(LendingItem.title.like("%Bruggen%")))
    assert [(c.name, c.count) for c in item.components] == [
        ("krokodillenklemmen", 4),
        ("multimeter", 2),
    ]
    assert item.value_cents == 12050
    edit = client.get(f"/staff/uitleen/{item.id}").get_data(as_text=True)
    assert "4 krokodillenklemmen" in edit


def test_the_desk_approves_hands_out_and_takes_back_partly(client, db, desk):
    desk.item.approval = LendingApproval.OWNER
    db.session.flush()
    sign_in(client, desk.coordinator)
    assert _reserve(client, desk.item.id).status_code == 302
    loan = db.session.scalar(sa.select(Loan))
    assert loan.state is LoanState.REQUESTED
    sign_in(client, desk.staff)
    page = f"/staff/uitleen/reserveringen/{loan.id}"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    assert client.get("/staff/uitleen").status_code == 200
    assert client.post(f"{page}/goedkeuren", data={"csrf_token": token}).status_code == 302
    panel, meter = desk.item.components
    short = client.post(
        f"{page}/uitgeven", data={"csrf_token": token, f"component_{panel.id}": "y"}
    )
    assert short.status_code == 422
    assert "Vink alle onderdelen aan" in short.get_data(as_text=True)
    full = {"csrf_token": token, f"component_{panel.id}": "y", f"component_{meter.id}": "y"}
    assert client.post(f"{page}/uitgeven", data=full).status_code == 302
    back = {
        "csrf_token": token,
        "sets_back": "3",
        f"missing_{panel.id}": "-1",
        f"damaged_{panel.id}": "0",
        f"missing_{meter.id}": "0",
        f"damaged_{meter.id}": "0",
    }
    negative = client.post(f"{page}/innemen", data=back)
    assert negative.status_code == 422
    assert "Vul een heel getal in van 0 tot en met 99999." in negative.get_data(as_text=True)
    too_many = client.post(
        f"{page}/innemen", data={**back, "sets_back": "4", f"missing_{panel.id}": "0"}
    )
    assert "meer kan er niet terugkomen" in too_many.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).state is LoanState.OUT
    partly = {**back, "sets_back": "2", f"missing_{panel.id}": "1"}
    assert client.post(f"{page}/innemen", data=partly).status_code == 302
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).state is LoanState.RETURNED_PARTLY
    html = client.get(page).get_data(as_text=True)
    assert "zonnepaneel: 1 kwijt, 0 kapot" in html
    assert client.post(f"{page}/afhandelen", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).state is LoanState.RETURNED
    keys = sorted(db.session.scalars(sa.select(OutboxEmail.dedupe_key)))
    assert keys == [f"loan:{loan.id}:approved", f"loan:{loan.id}:requested"]


def test_a_fixed_exchange_day_gives_a_first_period_on_that_day(client, db, desk):
    desk.item.exchange_weekday = 2
    db.session.flush()
    sign_in(client, desk.coordinator)
    html = client.get(f"/school/uitlenen/{desk.item.id}").get_data(as_text=True)
    days = re.findall(r'name="(?:starts_on|ends_on)"[^>]*value="([0-9-]+)"', html)
    assert len(days) == 2
    assert [date.fromisoformat(d).weekday() for d in days] == [2, 2]


def test_the_regions_public_page_lists_its_kits(client, db, desk):
    desk.region.code = "drenthe-test"
    db.session.flush()
    html = client.get("/r/drenthe-test/uitlenen").get_data(as_text=True)
    assert "Leskist Zonne-energie" in html
    assert "2 × zonnepaneel" in html
    assert "sets vrij in week" in html
    assert desk.coordinator.school.name not in html
    assert client.get("/r/nergens/uitlenen").status_code == 404


def test_the_region_admin_sets_the_desk_and_new_items_follow(client, db, desk):
    from onderwijsplatform.models import LendingDesk, Role
    from tests.factories import make_user

    sign_in(client, desk.staff)
    assert client.get("/staff/uitleen/balie").status_code == 404  # region admins only
    sign_in(client, make_user(Role.REGION_ADMIN, region_id=desk.region.id))
    token = csrf_token_from(client.get("/staff/uitleen/balie").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "closed_weekdays": ["2", "5", "6"],
        "loan_days": "14",
        "max_loan_days": "28",
        "lead_days": "5",
        "buffer_before": "0",
        "buffer_after": "1",
        "max_sets_per_school": "4",
    }
    never = client.post("/staff/uitleen/balie", data={**data, "closed_weekdays": list("0123456")})
    assert never.status_code == 422
    assert "minstens één dag open" in never.get_data(as_text=True)
    assert client.post("/staff/uitleen/balie", data=data).status_code == 302
    row = db.session.scalar(sa.select(LendingDesk).where(LendingDesk.region_id == desk.region.id))
    assert row.closed_weekdays == [2, 5, 6]
    assert row.loan_days == 14
    new = client.get("/staff/uitleen/nieuw").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="lead_days"[^>]*value="5"', new)
    assert re.search(r'<input[^>]*name="loan_days"[^>]*value="14"', new)
