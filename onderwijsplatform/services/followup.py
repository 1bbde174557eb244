"""Follow-up jobs: remind the side that did not answer, flag what stays silent, ask outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Introduction, IntroductionState
from onderwijsplatform.services import intro_mail, outcomes
from onderwijsplatform.services.jobs import job


def _days() -> timedelta:
    return timedelta(days=int(current_app.config.get("REMINDER_AFTER_DAYS", 7)))


def _silent_sides(intro: Introduction) -> list[str]:
    sides = []
    if intro.company_answered_at is None:
        sides.append("company")
    if intro.school_answered_at is None:
        sides.append("school")
    return sides


@job("introduction-reminders")
def send_reminders(now: datetime) -> str:
    """Remind sides that did not answer an approved introduction; flag them a period later."""
    wait = _days()
    approved = db.session.scalars(
        sa.select(Introduction)
        .where(Introduction.state == IntroductionState.APPROVED)
        .where(Introduction.decided_at <= now - wait)
        .order_by(Introduction.id)
    ).all()
    reminded = flagged = 0
    for intro in approved:
        sides = _silent_sides(intro)
        if not sides:
            continue
        if intro.reminder_sent_at is None:
            for side in sides:
                intro_mail.reminder(intro, side, now)
            intro.reminder_sent_at = now
            reminded += 1
        elif intro.needs_attention_since is None and intro.reminder_sent_at <= now - wait:
            intro.needs_attention_since = now
            flagged += 1
    db.session.flush()
    return f"{reminded} reminded, {flagged} flagged for staff"


@job("outcome-requests")
def ask_outcomes(now: datetime) -> str:
    """After the agreed date, ask both sides once what took place."""
    return f"{outcomes.request_reports(now)} outcome requests queued"
