"""The staff side of the outbox: list, count, look up and retry messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow
from onderwijsplatform.services.errors import InvalidTransition, NotFound

MAX_ID = 2**31 - 1  # the id column is a 32-bit integer

# The staff view's filters; "pending" includes messages a worker is sending right now.
STATUS_FILTERS: dict[str, tuple[OutboxStatus, ...]] = {
    "pending": (OutboxStatus.PENDING, OutboxStatus.SENDING),
    "sent": (OutboxStatus.SENT,),
    "failed": (OutboxStatus.FAILED,),
}


def retry(message_id: int, *, now: datetime | None = None) -> OutboxEmail:
    """Put a failed message back in the queue with a fresh set of attempts.

    Raises NotFound for an unknown id and InvalidTransition when it has not failed.
    """
    row = get_message(message_id)
    if row.status != OutboxStatus.FAILED:
        raise InvalidTransition("only a failed message can be retried")
    row.status = OutboxStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = now or utcnow()
    row.locked_until = None
    db.session.flush()
    return row


def backlog() -> int:
    """How many messages still wait for delivery (pending or being sent)."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(OutboxEmail.status.in_(STATUS_FILTERS["pending"]))
    )


def get_message(message_id: int) -> OutboxEmail:
    """One outbox row; raises NotFound."""
    if not 0 < message_id <= MAX_ID:
        # PostgreSQL would refuse an id beyond its integer range with an error, not a miss.
        raise NotFound()
    row = db.session.get(OutboxEmail, message_id)
    if row is None:
        raise NotFound()
    return row


@dataclass(frozen=True)
class MailOverview:
    """One page of the staff mail list, with the counts per filter and the backlog age."""

    messages: list[OutboxEmail]
    counts: dict[str, int]
    oldest_pending_at: datetime | None
    page: int
    pages: int


def overview(status: str | None, *, page: int = 1, per_page: int = 50) -> MailOverview:
    """Newest first, filtered by ``status`` (pending, sent, failed or None for all)."""
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for state, number in db.session.execute(
        sa.select(OutboxEmail.status, sa.func.count()).group_by(OutboxEmail.status)
    ):
        for name, states in STATUS_FILTERS.items():
            if state in states:
                counts[name] += number
    query = sa.select(OutboxEmail)
    if status in STATUS_FILTERS:
        query = query.where(OutboxEmail.status.in_(STATUS_FILTERS[status]))
        total = counts[status]
    else:
        total = sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    messages = list(
        db.session.scalars(
            query.order_by(OutboxEmail.id.desc()).limit(per_page).offset((page - 1) * per_page)
        )
    )
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxEmail.created_at)).where(
            OutboxEmail.status.in_(STATUS_FILTERS["pending"])
        )
    )
    return MailOverview(
        messages=messages, counts=counts, oldest_pending_at=oldest, page=page, pages=pages
    )
