"""Loan reminders through the outbox: before pick-up, before the due date, and while overdue.

Days are opening days of the region's desk, so no reminder goes out for a weekend or a
holiday, and "overdue every N days" skips closed days too. Safe to run twice: each
message has its own dedupe key and the loan records what was sent.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from onderwijsplatform.extensions import db
from onderwijsplatform.models import LendingItem, Loan, LoanState
from onderwijsplatform.services import lending_availability as availability
from onderwijsplatform.services import lending_mail
from onderwijsplatform.services.jobs import job
from onderwijsplatform.services.loans import today

S = LoanState


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


@job("loan-reminders")
def send_reminders(now: datetime) -> str:
    """Remind schools of a pick-up and a return ahead, and of overdue sets every N opening days."""
    day = today(now)
    ahead = _setting("LENDING_REMIND_DAYS_AHEAD", 2)
    every = max(_setting("LENDING_OVERDUE_EVERY_DAYS", 3), 1)
    rows = db.session.scalars(
        sa.select(Loan)
        .join(LendingItem, LendingItem.id == Loan.item_id)
        .where(Loan.state.in_((S.APPROVED, S.OUT)))
        .options(selectinload(Loan.item), selectinload(Loan.coordinator))
        .order_by(Loan.id)
    ).all()
    desks: dict[int, availability.Desk] = {}
    counts = {"pickup": 0, "due": 0, "overdue": 0}
    for loan in rows:
        region_id = loan.item.region_id
        desk = desks.setdefault(region_id, availability.desk_of(region_id))
        if not desk.is_open(day):
            continue  # nobody at the desk to answer; the next opening day catches up
        horizon = desk.shift(day, ahead)
        if loan.state is S.APPROVED and day <= loan.starts_on <= horizon:
            counts["pickup"] += lending_mail.pickup(loan, now)
        elif loan.state is S.OUT and day <= loan.ends_on <= horizon and loan.reminded_at is None:
            if lending_mail.due(loan, now):
                counts["due"] += 1
            loan.reminded_at = now
        elif loan.state is S.OUT and loan.ends_on < day:
            last = loan.overdue_reminded_on
            if last is None or desk.shift(last, every) <= day:
                counts["overdue"] += lending_mail.overdue(loan, now, day.isoformat())
                loan.overdue_reminded_on = day
    db.session.flush()
    return ", ".join(f"{n} {what}" for what, n in counts.items()) + " reminders queued"
