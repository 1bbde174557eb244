"""Outbox fixtures: a scriptable aiosmtpd sink, a silent server, and a committing database."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db as _db
from onderwijsplatform.mail import delivery, outbox
from onderwijsplatform.models import OutboxEmail, OutboxStatus, Region, Role, User, utcnow
from tests.conftest import ON_POSTGRES, TEST_CONFIG, TEST_DATABASE_URL, ClosingClient, sign_in

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd cannot be given port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the sink got it."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message_id(self) -> str:
        match = _MESSAGE_ID.search(self.content)
        return match.group(1).decode() if match else ""

    def parsed(self) -> email.message.Message:
        return email.message_from_bytes(self.content)


@dataclass
class SinkHandler:
    """aiosmtpd handler: records messages; replies can be scripted per test."""

    received: list[Received] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # consumed one per DATA
    rcpt_reply: str | None = None
    data_delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Notified (under ``lock``) whenever a message is received.
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        with self.lock:
            if self.data_replies:
                return self.data_replies.pop(0)
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class Sink:
    """An SMTP server on loopback that can be stopped and started on the same port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = SinkHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> Sink:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> Counter[str]:
        with self.handler.lock:
            return Counter(item.message_id for item in self.handler.received)

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` messages were received; False if ``timeout`` passes first."""
        with self.handler.arrived:
            return self.handler.arrived.wait_for(
                lambda: len(self.handler.received) >= count, timeout
            )


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP listener that accepts connections (kernel backlog) and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


# ----------------------------------------------------------------- committing database


@pytest.fixture(scope="session")
def committing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database that workers in other threads and processes can see commits in.

    SQLite: a file. PostgreSQL: a fresh database, dropped afterwards (as in
    tests/test_migrations.py), so the rolled-back ``db`` fixture's database is untouched.
    """
    if not ON_POSTGRES:
        yield f"sqlite:///{Path(tmp_path_factory.mktemp('outbox')) / 'outbox.sqlite'}"
        return
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    name = f"outbox_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.make_url(TEST_DATABASE_URL).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def worker_app_session(committing_url: str) -> Iterator[Flask]:
    application = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": committing_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": 1,
            "MAIL_TIMEOUT_SECONDS": 5,
            "OUTBOX_RETRY_BASE_SECONDS": 60,
        }
    )
    application.test_client_class = ClosingClient
    with application.app_context():
        _db.create_all()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture
def worker_app(worker_app_session: Flask) -> Iterator[Flask]:
    """The committing app with a pushed context; config changes and rows are undone after."""
    saved = dict(worker_app_session.config)
    with worker_app_session.app_context():
        yield worker_app_session
        _db.session.remove()
        with _db.engine.begin() as connection:
            connection.execute(sa.delete(OutboxEmail))
    worker_app_session.config.clear()
    worker_app_session.config.update(saved)


def queue_messages(
    count: int, *, prefix: str = "msg", to: str = "ontvanger@school.example"
) -> list[int]:
    """Insert ``count`` rendered messages in one commit (rendering once keeps it fast)."""
    rendered = outbox.render("test_mail", {"requested_at": utcnow()})
    now = utcnow()
    rows = [
        {
            "dedupe_key": f"{prefix}:{uuid.uuid4().hex}:{n}",
            "template": "test_mail",
            "to_addr": to,
            "language": "nl",
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for n in range(count)
    ]
    _db.session.execute(sa.insert(OutboxEmail), rows)
    _db.session.commit()
    return list(_db.session.scalars(sa.select(OutboxEmail.id).order_by(OutboxEmail.id)))


def deliver(limit: int = 1000, **kwargs) -> delivery.DeliveryReport:
    return delivery.deliver_due(limit, commit=_db.session.commit, **kwargs)


# ----------------------------------------------------------------- signing in


def make_user(role: Role, *, email: str = "medewerker@sto.example") -> User:
    """A user in a fresh region (and school for a coordinator), flushed in the test's session."""
    from onderwijsplatform.models import Organisation, OrganisationType

    region = Region(code=f"r-{uuid.uuid4().hex[:8]}", name="Testregio")
    _db.session.add(region)
    _db.session.flush()
    school_id = None
    if role is Role.COORDINATOR:
        school = Organisation(region_id=region.id, type=OrganisationType.SCHOOL, name="Testschool")
        _db.session.add(school)
        _db.session.flush()
        school_id = school.id
    user = User(email=email, name="Test", role=role, region_id=region.id, school_id=school_id)
    _db.session.add(user)
    _db.session.flush()
    return user


@pytest.fixture
def signed_in(client: FlaskClient) -> Callable[[Role], User]:
    def sign_in_as(role: Role) -> User:
        user = make_user(role)
        sign_in(client, user)
        return user

    return sign_in_as
