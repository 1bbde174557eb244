"""Transactions: one commit per unit of work, and a rollback when the work is refused.

Views and commands wrap the service calls of one unit of work in ``unit_of_work()``:
the block's changes (and the outbox rows they queued) are committed together when it
ends, and rolled back when anything escapes it, a refused change (a service error)
included. Services never commit; views and commands never call commit or rollback.
``after_response(work)`` runs a unit of work once the response has gone out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import after_this_request, current_app
from werkzeug.wrappers import Response

from onderwijsplatform.extensions import db

log = logging.getLogger(__name__)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block changed; roll it back if anything escapes, then re-raise."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def after_response(work: Callable[[], object]) -> None:
    """Run ``work`` in a unit of work of its own once the response has been sent.

    For work whose duration must not show in the response time, such as whether an
    address has an account (issue 16 item 3): the WSGI server calls it when it closes
    the response, after the last byte went out. It runs in an app context without the
    request; a failure is logged and rolled back, the visitor has already had the answer.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                with unit_of_work():
                    work()
            except Exception:
                log.exception("work after the response failed")

    @after_this_request
    def defer(response: Response) -> Response:
        response.call_on_close(run)
        return response
