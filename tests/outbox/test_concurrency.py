"""Several workers on PostgreSQL: SKIP LOCKED hands every message to exactly one of them."""

from __future__ import annotations

import threading

import pytest

from onderwijsplatform.extensions import db
from onderwijsplatform.mail import delivery
from tests.outbox.conftest import queue_messages

pytestmark = [pytest.mark.postgres_only, pytest.mark.filterwarnings("ignore::ResourceWarning")]


def test_two_workers_over_500_messages_send_each_exactly_once(worker_app, sink):
    worker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    ids = queue_messages(500)
    db.session.remove()
    barrier = threading.Barrier(2)
    reports: list[delivery.DeliveryReport] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with worker_app.app_context():
                barrier.wait()
                reports.append(delivery.deliver_due(10_000, commit=db.session.commit))
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    counts = sink.message_ids()
    assert set(counts) == {f"<outbox-{i}@onderwijsplatform.example>" for i in ids}
    assert max(counts.values()) == 1
    assert sorted(r.sent for r in reports) == sorted(len(r.sent_ids) for r in reports)
    assert sum(r.sent for r in reports) == 500
    assert all(r.sent > 0 for r in reports), [r.sent for r in reports]  # both really worked
    assert set(reports[0].sent_ids).isdisjoint(reports[1].sent_ids)
