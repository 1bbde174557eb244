"""Outbox figures: one worker's throughput to a local SMTP sink, and an SMTP outage drill.

Run: ``.venv/bin/python -m benchmarks.outbox_throughput [--database-url URL]``
(default: a temporary SQLite file; with a PostgreSQL URL a scratch database is created
next to it and dropped afterwards). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import re
import socket
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db
from onderwijsplatform.mail import delivery, outbox, transport
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class CountingHandler:
    """Counts accepted messages by Message-ID, so lost and duplicate are exact numbers."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.defer = False  # answer 451 to every message, as a relay whose upstream is down

    async def handle_DATA(self, server, session, envelope):
        if self.defer:
            return "451 4.3.0 Relay busy, try again later"
        match = _MESSAGE_ID.search(envelope.original_content)
        with self.lock:
            self.ids[match.group(1).decode() if match else ""] += 1
        return "250 OK"


class Sink:
    """aiosmtpd on loopback, restartable on the same port."""

    def __init__(self) -> None:
        with socket.socket() as probe:  # Controller cannot take port 0
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = CountingHandler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@contextmanager
def scratch_database(url: str | None) -> Iterator[str]:
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        return
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"outbox_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def queue(count: int) -> list[int]:
    rendered = outbox.render("test_mail", {"requested_at": utcnow()})
    now = utcnow()
    db.session.execute(
        sa.insert(OutboxEmail),
        [
            {
                "dedupe_key": f"bench:{uuid.uuid4().hex}",
                "template": "test_mail",
                "to_addr": "ontvanger@school.example",
                "language": "nl",
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for _ in range(count)
        ],
    )
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxEmail.id).where(OutboxEmail.status == OutboxStatus.PENDING)
        )
    )


def throughput(app, count: int) -> None:
    sink = Sink()
    sink.start()
    app.config["MAIL_PORT"] = sink.port
    try:
        queue(count)
        started = time.perf_counter()
        report = delivery.deliver_due(count, commit=db.session.commit)
        elapsed = time.perf_counter() - started
    finally:
        sink.stop()
    print(
        f"throughput: {report.sent}/{count} messages in {elapsed:.2f} s = "
        f"{report.sent / elapsed:.0f} messages/s (one worker, one SMTP session, "
        f"sink in the same process)"
    )


def outage(app, count: int, minutes: float, interval: float, *, deferring: bool) -> None:
    """``count`` messages queued, the relay down (refusing connections) or deferring
    (451 to every message) for ``minutes`` (injected clock, a pass every ``interval`` s),
    then healthy again: how long until all are delivered, lost or sent twice?"""
    sink = Sink()
    app.config["MAIL_PORT"] = sink.port
    if deferring:
        sink.handler.defer = True
        sink.start()
    ids = queue(count)
    clock = utcnow()
    recovery = clock + timedelta(minutes=minutes)
    offered = 0
    db.session.commit()
    while clock < recovery:
        report = delivery.deliver_due(count, clock, commit=db.session.commit)
        offered += report.attempted
        clock += timedelta(seconds=interval)
    charged = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(OutboxEmail.attempts), 0)).where(
            OutboxEmail.id.in_(ids)
        )
    )
    if deferring:
        sink.handler.defer = False
    else:
        sink.start()
    wall = time.perf_counter()
    passes = 0
    try:
        while db.session.scalar(
            sa.select(sa.func.count()).where(OutboxEmail.status != OutboxStatus.SENT)
        ):
            db.session.commit()
            delivery.deliver_due(count, clock, commit=db.session.commit)
            passes += 1
            clock += timedelta(seconds=interval)
            if passes > 10_000:
                break
    finally:
        sink.stop()
    expected = {f"<outbox-{i}@{transport.sender_domain()}>" for i in ids}
    got = sink.handler.ids
    lost = len(expected - set(got))
    duplicates = sum(n - 1 for n in got.values())
    drained = (clock - timedelta(seconds=interval) - recovery).total_seconds()
    kind = "deferring (451)" if deferring else "down (refused)"
    print(
        f"outage: {count} queued, relay {kind} {minutes:g} min (pass every {interval:g} s, "
        f"retry base {app.config['OUTBOX_RETRY_BASE_SECONDS']} s): during the outage "
        f"{offered} offered, {charged} attempts charged; after recovery: lost {lost}, "
        f"duplicates {duplicates}, "
        f"drained in {passes} pass(es) = {max(drained, 0):.0f} s simulated "
        f"({time.perf_counter() - wall:.2f} s wall)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--outage-messages", type=int, default=200)
    parser.add_argument("--outage-minutes", type=float, default=10)
    parser.add_argument("--interval", type=float, default=30, help="seconds between passes")
    args = parser.parse_args()
    # Every refused pass logs a warning; the figures are what this prints.
    logging.getLogger("onderwijsplatform").setLevel(logging.ERROR)
    with scratch_database(args.database_url) as url:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
                "SQLALCHEMY_DATABASE_URI": url,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_TIMEOUT_SECONDS": 5,
            }
        )
        with app.app_context():
            db.create_all()
            print(f"database: {db.engine.dialect.name}")
            throughput(app, args.messages)
            for deferring in (False, True):
                outage(
                    app,
                    args.outage_messages,
                    args.outage_minutes,
                    args.interval,
                    deferring=deferring,
                )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
