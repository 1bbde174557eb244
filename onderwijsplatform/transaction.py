"""Transactions: one commit per unit of work, and a rollback when the work is refused.

Views and commands wrap the service calls of one unit of work in ``unit_of_work()``:
the block's changes (and the outbox rows they queued) are committed together when it
ends, and rolled back when anything escapes it, a refused change (a service error)
included. Services never commit; views and commands never call commit or rollback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from onderwijsplatform.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block changed; roll it back if anything escapes, then re-raise."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
