"""The staff side of the outbox: list, count, look up, show, retry and purge messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.mail import masking
from onderwijsplatform.models import (
    OutboxEmail,
    OutboxStatus,
    User,
    utcnow,
)
from onderwijsplatform.services.errors import InvalidTransition

# The staff view's filters; "pending" includes messages a worker is sending right now.
STATUS_FILTERS: dict[str, tuple[OutboxStatus, ...]] = {
    "pending": (OutboxStatus.PENDING, OutboxStatus.SENDING),
    "sent": (OutboxStatus.SENT,),
    "failed": (OutboxStatus.FAILED,),
}


def retry(
    message_id: int, *, now: datetime | None = None, actor: User | None = None
) -> OutboxEmail:
    """Put a failed message back in the queue with a fresh set of attempts.

    Raises NotFound for an unknown id (or one ``actor`` may not see) and
    InvalidTransition when it has not failed.
    """
    row = get_message(message_id, actor=actor)
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
    return db.session.execute(
        sa.select(sa.func.count()).where(OutboxEmail.status.in_(STATUS_FILTERS["pending"]))
    ).scalar_one()


def get_message(message_id: int, *, actor: User | None = None) -> OutboxEmail:
    """One outbox row that ``actor`` may see; raises NotFound otherwise."""
    row = scope.get(actor, OutboxEmail, message_id)
    return row


@dataclass(frozen=True)
class ShownMessage:
    """What staff may read of a message: links that sign someone in are a placeholder."""

    subject: str
    text: str
    html: str


def shown(message: OutboxEmail, link_label: str) -> ShownMessage:
    """The message as the staff mail view shows it, each masked link as ``link_label``."""
    return ShownMessage(
        subject=masking.placeholder(message.subject, link_label),
        text=masking.placeholder(message.body_text, link_label),
        html=masking.placeholder(message.body_html, link_label, html=True),
    )


def purge_bodies(now: datetime, *, keep_days: int) -> int:
    """Empty the bodies of messages sent or failed more than ``keep_days`` ago; return how many.

    The row stays (recipient, subject, status, dates) as the record that a message went
    out; its text, HTML, calendar part and sealed links go. Flushes, never commits.
    """
    before = now - timedelta(days=keep_days)
    done = sa.func.coalesce(OutboxEmail.sent_at, OutboxEmail.created_at)
    result = db.session.execute(
        sa.update(OutboxEmail)
        .where(
            OutboxEmail.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
            OutboxEmail.body_purged_at.is_(None),
            done < before,
        )
        .values(body_text="", body_html="", ics=None, sealed_links=None, body_purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def mask_stored(batch: int = 500) -> int:
    """Mask the sign-in links of messages stored before links were masked; return how many.

    A message still to be sent keeps its links sealed; a sent one needs them no more, so
    they go. Safe to run again: masked rows hold no links left to find. Flushes.
    """
    changed = 0
    query = (
        sa.select(OutboxEmail)
        .where(OutboxEmail.sealed_links.is_(None), OutboxEmail.body_purged_at.is_(None))
        .order_by(OutboxEmail.id)
        .execution_options(yield_per=batch)
    )
    for row in db.session.scalars(query):
        masked = masking.mask(row.subject, row.body_text, row.body_html)
        if masked.sealed_links is None:
            continue
        row.subject, row.body_text, row.body_html = masked.subject, masked.text, masked.html
        row.sealed_links = None if row.status is OutboxStatus.SENT else masked.sealed_links
        changed += 1
    db.session.flush()
    return changed


@dataclass(frozen=True)
class MailOverview:
    """One page of the staff mail list, with the counts per filter and the backlog age."""

    messages: list[OutboxEmail]
    counts: dict[str, int]
    oldest_pending_at: datetime | None
    page: int
    pages: int


def overview(
    status: str | None, *, page: int = 1, per_page: int = 50, actor: User | None = None
) -> MailOverview:
    """Newest first, filtered by ``status`` (pending, sent, failed or None for all).

    With ``actor`` only the mail that staff member may read is listed and counted.
    """
    allowed = scope.visible(actor, OutboxEmail)
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for state, number in db.session.execute(
        sa.select(OutboxEmail.status, sa.func.count()).where(allowed).group_by(OutboxEmail.status)
    ):
        for name, states in STATUS_FILTERS.items():
            if state in states:
                counts[name] += number
    query = sa.select(OutboxEmail).where(allowed)
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
            allowed, OutboxEmail.status.in_(STATUS_FILTERS["pending"])
        )
    )
    return MailOverview(
        messages=messages, counts=counts, oldest_pending_at=oldest, page=page, pages=pages
    )
