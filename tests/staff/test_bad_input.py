"""Reliability §7 on the outcome and staff forms: a message at the field, nothing written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import AuditEvent, IntroductionState, OutboxEmail, Outcome, utcnow
from onderwijsplatform.services import followup
from tests.conftest import csrf_token_from, sign_in
from tests.staff.test_outcomes import agreed, links

GOOD_OUTCOME = {
    "took_place": "ja",
    "pupils": "20",
    "hours": "2",
    "materials": "0",
    "rating": "4",
    "comment": "Goed",
}
NUMBERS = ["-1", "1e3", "NaN", "Infinity", "99999999999", "9" * 5000, "2,555", "abc", "½"]
TEXTS = ["\x00", "a\x00b", "a\x01b", "a\x7fb", "x" * 2001]

OUTCOME_CASES = (
    [("took_place", None), ("took_place", ""), ("took_place", "misschien")]
    + [(f, v) for f in ("pupils", "hours", "materials") for v in NUMBERS]
    + [("rating", "0"), ("rating", "6"), ("rating", "abc")]
    + [("comment", v) for v in TEXTS]
)


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(("field", "value"), OUTCOME_CASES)
def test_outcome_form_bad_input(client, db, world, field, value):
    agreed(db, world)
    followup.ask_outcomes(utcnow())
    url = links(db)["company"]
    mails = _count(db, OutboxEmail)
    data = {**GOOD_OUTCOME, "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True))}
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html or f'id="{field}-0"' in html
    assert 'class="invalid-feedback d-block"' in html
    assert _count(db, Outcome) == 0
    assert _count(db, OutboxEmail) == mails
    assert world.intro.state is IntroductionState.AGREED
    assert client.get(url).status_code == 200  # the link is still unused


@pytest.mark.parametrize("value", ["", "   ", "\x00", "a\x02b", "x" * 2001])
def test_decline_reason_bad_input(client, db, world, value):
    sign_in(client, world.staff)
    path = f"/staff/introducties/{world.intro.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(f"{path}/afwijzen", data={"csrf_token": token, "reason": value})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert _count(db, OutboxEmail) == 0
    assert _count(db, AuditEvent) == 0


@pytest.mark.parametrize(
    "value",
    [
        "",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31",
        "tomorrow",
        "2027-03-01T10:00+02:00",
        "2021-05-01",
    ],
)
def test_agreed_date_bad_input(client, db, world, value):
    from onderwijsplatform.services import introductions

    introductions.approve(world.staff, world.intro.id, utcnow())
    sign_in(client, world.staff)
    mails = _count(db, OutboxEmail)
    path = f"/staff/introducties/{world.intro.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(f"{path}/datum", data={"csrf_token": token, "day": value})
    assert response.status_code == 422
    assert 'id="day-error"' in response.get_data(as_text=True)
    assert _count(db, OutboxEmail) == mails
    assert world.intro.state is IntroductionState.APPROVED


@pytest.mark.parametrize(
    ("field", "value"),
    [(f, v) for f in ("pupils", "hours") for v in NUMBERS]
    + [("note", ""), ("note", "\x00"), ("note", "x" * 501)],
)
def test_correction_bad_input(client, db, world, field, value):
    outcome = Outcome(introduction_id=world.intro.id, took_place=True, pupils=5)
    db.session.add(outcome)
    db.session.flush()
    sign_in(client, world.staff)
    path = f"/staff/cofinanciering/{outcome.id}"
    data = {
        "csrf_token": csrf_token_from(client.get(path).get_data(as_text=True)),
        "pupils": "6",
        "hours": "1",
        "materials": "0",
        "note": "ok",
        field: value,
    }
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.refresh(outcome)
    assert outcome.pupils == 5
    assert outcome.corrected_at is None
    assert _count(db, AuditEvent) == 0


def test_extra_fields_are_ignored(client, db, world):
    agreed(db, world)
    followup.ask_outcomes(utcnow())
    url = links(db)["company"]
    data = {
        **GOOD_OUTCOME,
        "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True)),
        "hour_rate_cents": "1",
        "introduction_id": "999",
        "corrected_by_id": "1",
    }
    assert client.post(url, data=data).status_code == 200
    assert db.session.scalar(sa.select(Outcome.hour_rate_cents)) == 6000


def test_invalid_utf8_never_500(client, db, world):
    from urllib.parse import urlencode

    agreed(db, world)
    followup.ask_outcomes(utcnow())
    url = links(db)["company"]
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    body = urlencode({**GOOD_OUTCOME, "csrf_token": token}) + "&comment=%ED%A0%80"
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 422)
    comment = db.session.scalar(sa.select(Outcome.comment_company))
    assert comment is None or "\ud800" not in comment
