"""Outcome links: the job sends one per side, GET shows, POST uses once, the ledger fills."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import IntroductionState, OutboxEmail, Outcome, utcnow
from onderwijsplatform.services import followup, introductions
from tests.conftest import csrf_token_from, sign_in
from tests.factories import delivered_text


def agreed(db, world, days_ago=2):
    introductions.approve(world.staff, world.intro.id, utcnow() - timedelta(days=10))
    # Agreed before the day itself: a date in the past is refused.
    day = datetime.now(UTC).date() - timedelta(days=days_ago)
    introductions.agree_date(
        world.staff, world.intro.id, day, utcnow() - timedelta(days=days_ago + 1)
    )


def links(db):
    mails = db.session.scalars(
        sa.select(OutboxEmail).where(OutboxEmail.template == "outcome_request")
    ).all()
    return {
        m.dedupe_key.rsplit(":", 1)[1]: re.search(
            r"(/terugkoppeling/\S+)", delivered_text(m)
        ).group(1)
        for m in mails
    }


def test_job_asks_each_side_once_and_is_safe_twice(db, world):
    agreed(db, world)
    assert followup.ask_outcomes(utcnow()).startswith("2 ")
    assert followup.ask_outcomes(utcnow()).startswith("0 ")
    assert set(links(db)) == {"company", "school"}


def test_no_request_before_the_date(db, world):
    agreed(db, world, days_ago=-3)
    assert followup.ask_outcomes(utcnow()).startswith("0 ")


def test_both_sides_report_and_the_ledger_values_it(client, db, world):
    agreed(db, world)
    followup.ask_outcomes(utcnow())
    urls = links(db)
    page = client.get(urls["company"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    response = client.post(
        urls["company"],
        data={
            "csrf_token": csrf_token_from(html),
            "took_place": "ja",
            "pupils": "20",
            "hours": "2,5",
            "materials": "40",
            "rating": "5",
            "comment": "Leuk",
        },
    )
    assert response.status_code == 200
    outcome = db.session.scalar(sa.select(Outcome))
    assert outcome.company_confirmed_at
    assert outcome.school_confirmed_at is None
    assert outcome.value_cents == 2.5 * 6000 + 4000
    db.session.refresh(world.intro)
    assert world.intro.state is IntroductionState.COMPLETED
    assert client.get(urls["company"]).status_code == 404  # used once
    school_html = client.get(urls["school"]).get_data(as_text=True)
    assert 'name="hours"' not in school_html
    client.post(
        urls["school"],
        data={
            "csrf_token": csrf_token_from(school_html),
            "took_place": "ja",
            "pupils": "26",
            "hours": "99",
            "rating": "4",
        },
    )
    db.session.refresh(outcome)
    assert outcome.pupils == 26
    assert outcome.company_hours == 2.5
    assert outcome.school_confirmed_at


def test_the_get_never_uses_the_link(client, db, world):
    agreed(db, world)
    followup.ask_outcomes(utcnow())
    url = links(db)["company"]
    for _ in range(3):
        assert client.get(url).status_code == 200


def test_unknown_link_is_404(client, world):
    assert client.get("/terugkoppeling/onzin").status_code == 404


def _company_reports(client, db, world, hours, materials="0"):
    agreed(db, world)
    followup.ask_outcomes(utcnow())
    url = links(db)["company"]
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "took_place": "ja", "hours": hours, "materials": materials}
    return client.post(url, data=data)


@pytest.mark.parametrize(
    ("hours", "materials"), [("100000", "0"), ("2", "1000000"), ("1000,01", "0")]
)
def test_implausible_figures_are_refused_next_to_the_field(client, db, world, hours, materials):
    response = _company_reports(client, db, world, hours, materials)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "niet aannemelijk" in page
    assert f'value="{hours}"' in page  # what was typed is kept
    assert db.session.scalar(sa.select(Outcome)) is None  # nothing entered the ledger


def test_high_but_possible_figures_are_marked_for_staff_review(client, db, world):
    assert _company_reports(client, db, world, "120").status_code == 200
    outcome = db.session.scalar(sa.select(Outcome))
    assert outcome.needs_review
    sign_in(client, world.staff)
    ledger = client.get("/staff/cofinanciering").get_data(as_text=True)
    assert "controleren" in ledger
    # Staff check it and save it (a correction with a note): the mark goes.
    url = f"/staff/cofinanciering/{outcome.id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "hours": "120", "note": "Klopt: stage van 3 weken"})
    assert "controleren" not in client.get("/staff/cofinanciering").get_data(as_text=True)


def test_ordinary_figures_carry_no_mark(client, db, world):
    assert _company_reports(client, db, world, "3", "250").status_code == 200
    sign_in(client, world.staff)
    assert "controleren" not in client.get("/staff/cofinanciering").get_data(as_text=True)
