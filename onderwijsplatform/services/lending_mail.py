"""The emails of a loan to the school's coordinator: received, approved, declined, reminders."""

from __future__ import annotations

from datetime import datetime

from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import Loan


def _send(loan: Loan, event: str, key: str, now: datetime) -> bool:
    """Queue the ``event`` email of ``loan`` once per ``key``; False when nobody can get it."""
    coordinator = loan.coordinator
    if coordinator is None or not coordinator.is_active:
        return False
    context = {
        "event": event,
        "loan": loan,
        "item": loan.item,
        "coordinator": coordinator,
        "link": external_url("lending.loans") + f"#lening-{loan.id}",
    }
    row = outbox.enqueue(
        "loan_update",
        to=coordinator.email,
        context=context,
        dedupe_key=f"loan:{loan.id}:{key}",
        language=coordinator.language,
        now=now,
    )
    return row is not None


def reserved(loan: Loan, now: datetime) -> None:
    """Confirm a reservation: received (waiting for the owner) or approved at once."""
    event = "requested" if loan.decided_at is None else "approved"
    _send(loan, event, event, now)


def approved(loan: Loan, now: datetime) -> None:
    _send(loan, "approved", "approved", now)


def declined(loan: Loan, now: datetime) -> None:
    _send(loan, "declined", "declined", now)


def pickup(loan: Loan, now: datetime) -> bool:
    """Before the start: the sets are ready (once per loan)."""
    return _send(loan, "pickup", "pickup", now)


def due(loan: Loan, now: datetime) -> bool:
    """Before the end date: bring the sets back complete."""
    return _send(loan, "due", "due", now)


def overdue(loan: Loan, now: datetime, day: str) -> bool:
    """Past the end date; one per reminder day (``day``) so repeats are distinct messages."""
    return _send(loan, "overdue", f"overdue:{day}", now)
