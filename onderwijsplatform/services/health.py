"""Health for monitoring: is the database reachable, how long is the email backlog."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from onderwijsplatform.extensions import db
from onderwijsplatform.mail import mailbox
from onderwijsplatform.models import OutboxEmail

log = logging.getLogger(__name__)


def status(now: datetime) -> dict[str, Any]:
    """Counts and ages only, no personal data: safe to show to anyone.

    ``ok`` is False when the database cannot be reached; the outbox figures are then None.
    """
    try:
        db.session.execute(sa.select(1))
        backlog = mailbox.backlog()
        oldest = db.session.scalar(
            sa.select(sa.func.min(OutboxEmail.created_at)).where(
                OutboxEmail.status.in_(mailbox.STATUS_FILTERS["pending"])
            )
        )
    except SQLAlchemyError:
        # The session is discarded with the request; nothing was changed here.
        log.exception("health check: the database cannot be reached")
        return {"ok": False, "database": "unreachable", "outbox": None}
    age = None if oldest is None else max(0, int((now - oldest).total_seconds()))
    return {
        "ok": True,
        "database": "ok",
        "outbox": {"backlog": backlog, "oldest_pending_seconds": age},
    }
