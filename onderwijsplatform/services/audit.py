"""The audit log: record staff decisions and exports, and list them per region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import AuditEvent, User


def record(
    actor: User | None,
    action: str,
    obj: Any,
    details: dict[str, Any],
    now: datetime,
    *,
    region_id: int | None = None,
) -> AuditEvent:
    """Add one audit entry for ``action`` on ``obj`` (a model row or None). Flushes.

    The entry belongs to ``region_id`` when given (a platform admin acting in a region),
    else to the actor's region.
    """
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.name} <{actor.email}>" if actor else "system",
        region_id=region_id or (actor.region_id if actor else None),
        action=action[:60],
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details=details,
        created_at=now,
    )
    db.session.add(event)
    db.session.flush()
    return event


def recent(actor: User, *, limit: int = 200) -> list[AuditEvent]:
    """The newest entries the actor may see: their region's, or all for an admin."""
    query = (
        sa.select(AuditEvent)
        .where(scope.visible(actor, AuditEvent))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.scalars(query.limit(limit)))
