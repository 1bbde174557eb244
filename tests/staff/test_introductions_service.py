"""The introduction state machine: every legal and illegal transition, and exactly-once mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import (
    ALLOWED_TRANSITIONS,
    AuditEvent,
    IntroductionState,
    OutboxEmail,
    utcnow,
)
from onderwijsplatform.services import introductions
from onderwijsplatform.services.errors import InvalidTransition, NotFound

S = IntroductionState


def _keys(db):
    return sorted(db.session.scalars(sa.select(OutboxEmail.dedupe_key)))


def test_approve_sends_one_email_to_each_side(db, world):
    introductions.approve(world.staff, world.intro.id, utcnow())
    assert world.intro.state is S.APPROVED
    assert world.intro.decided_by_id == world.staff.id
    keys = _keys(db)
    assert keys == [
        f"introduction:{world.intro.id}:company",
        f"introduction:{world.intro.id}:school",
    ]
    company_mail = db.session.scalar(
        sa.select(OutboxEmail).where(OutboxEmail.dedupe_key.endswith(":company"))
    )
    assert company_mail.to_addr == world.contact.email
    assert world.coordinator.email in company_mail.body_text  # the other side's details
    school_mail = db.session.scalar(
        sa.select(OutboxEmail).where(OutboxEmail.dedupe_key.endswith(":school"))
    )
    assert world.contact.email in school_mail.body_text
    assert school_mail.body_html


def test_second_approve_is_refused_with_the_name_and_sends_nothing(db, world):
    introductions.approve(world.staff, world.intro.id, utcnow())
    with pytest.raises(introductions.AlreadyDecided) as caught:
        introductions.approve(world.staff, world.intro.id, utcnow())
    assert caught.value.by == world.staff.name
    assert len(_keys(db)) == 2


def test_decline_emails_the_coordinator_with_the_reason(db, world):
    introductions.decline(world.staff, world.intro.id, "Bedrijf zit vol", utcnow())
    mail = db.session.scalar(sa.select(OutboxEmail))
    assert mail.to_addr == world.coordinator.email
    assert "Bedrijf zit vol" in mail.body_text
    with pytest.raises(InvalidTransition):
        introductions.approve(world.staff, world.intro.id, utcnow())


def test_foreign_region_is_not_found(db, world, other):
    with pytest.raises(NotFound):
        introductions.approve(other.staff, world.intro.id, utcnow())
    assert world.intro.state is S.REQUESTED


def _put_in(db, intro, state):
    intro.state = state
    intro.decided_at = utcnow() if state is not S.REQUESTED else None
    intro.agreed_date = date(2027, 3, 10) if state in (S.AGREED, S.COMPLETED) else None
    db.session.flush()


CASES = [(old, new) for old in S for new in S if old is not new]


@pytest.mark.parametrize(("old", "new"), CASES, ids=lambda s: s.value)
def test_every_transition_follows_the_table(db, world, old, new):
    _put_in(db, world.intro, old)
    allowed = new in ALLOWED_TRANSITIONS[old]
    if new in (S.APPROVED, S.DECLINED):
        action = (
            (lambda: introductions.approve(world.staff, world.intro.id, utcnow()))
            if new is S.APPROVED
            else (lambda: introductions.decline(world.staff, world.intro.id, "x", utcnow()))
        )
    elif new is S.AGREED:
        action = lambda: introductions.agree_date(  # noqa: E731
            world.staff, world.intro.id, date(2027, 3, 10), utcnow()
        )
    elif new is S.REQUESTED:
        action = lambda: introductions.move(world.staff, world.intro, new, utcnow())  # noqa: E731
    else:
        action = lambda: introductions.staff_move(  # noqa: E731
            world.staff, world.intro.id, new, utcnow()
        )
    if allowed:
        action()
        assert world.intro.state is new
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) >= 1
    else:
        with pytest.raises(InvalidTransition):
            action()
        db.session.refresh(world.intro)
        assert world.intro.state is old


def test_agree_date_sends_calendar_invitations(db, world):
    introductions.approve(world.staff, world.intro.id, utcnow())
    introductions.agree_date(world.staff, world.intro.id, date(2027, 3, 10), utcnow())
    invites = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.ics.is_not(None))).all()
    assert len(invites) == 2
    assert all("BEGIN:VEVENT" in m.ics and "20270310" in m.ics for m in invites)


def test_answers_clear_the_attention_flag(db, world):
    introductions.approve(world.staff, world.intro.id, utcnow())
    world.intro.needs_attention_since = utcnow()
    introductions.record_answer(world.staff, world.intro.id, "company", utcnow())
    assert world.intro.needs_attention_since is not None
    introductions.record_answer(world.staff, world.intro.id, "school", utcnow())
    assert world.intro.needs_attention_since is None


def test_reminder_then_attention_and_safe_to_run_twice(db, world, app):
    from onderwijsplatform.services import followup

    start = utcnow() - timedelta(days=20)
    introductions.approve(world.staff, world.intro.id, start)
    introductions.record_answer(world.staff, world.intro.id, "company", start)
    before = len(_keys(db))
    followup.send_reminders(start + timedelta(days=8))
    followup.send_reminders(start + timedelta(days=8))
    keys = _keys(db)
    assert len(keys) == before + 1
    assert f"introduction:{world.intro.id}:reminder:school" in keys
    assert world.intro.needs_attention_since is None
    followup.send_reminders(start + timedelta(days=16))
    assert world.intro.needs_attention_since is not None
    assert introductions.needs_attention(world.staff) == [world.intro]
