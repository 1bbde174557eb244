"""Shared fixtures: one app per session, one rolled-back transaction per test."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db as _db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
    "SERVER_NAME": "localhost",
    "RATELIMIT_ENABLED": False,
    # Hashing strength is not under test here; scrypt would slow every login fixture.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_POSTGRES and not ON_POSTGRES:
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not a PostgreSQL URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are not for a SQLite run: deselect them there."""
    if ON_POSTGRES:
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under REQUIRE_BROWSER/REQUIRE_POSTGRES (and in CI) a skip is a failure."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    must_run = os.environ.get("CI") == "true"
    must_run |= REQUIRE_BROWSER and item.get_closest_marker("browser") is not None
    must_run |= REQUIRE_POSTGRES and item.get_closest_marker("postgres_only") is not None
    if must_run:
        report.outcome = "failed"
        report.longrepr = f"skipped, but this run requires it: {report.longrepr}"


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    application = create_app(TEST_CONFIG)
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """Bind every engine to one connection with an open transaction; roll it back after."""
    with app.app_context():
        engines = _db.engines
        saved = []
        for key, engine in list(engines.items()):
            connection = engine.connect()
            transaction = connection.begin()
            engines[key] = connection
            saved.append((key, engine, connection, transaction))
        try:
            yield _db
        finally:
            _db.session.remove()
            for key, engine, connection, transaction in saved:
                transaction.rollback()
                connection.close()
                engines[key] = engine


class ClosingClient(FlaskClient):
    """Closes each response once it is read, as a WSGI server does after the last byte.

    Work queued with ``transaction.after_response`` runs then, before the test goes on.
    """

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.get_data()  # buffered first, so the body can still be read afterwards
        response.close()
        return response


class IsolatedClient(ClosingClient):
    """Runs each request in a fresh context, as a real server would.

    The ``db`` fixture keeps an app context pushed for the test body; without this,
    requests would reuse it and share ``g`` (cached locale, logged-in user).
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db):
    return app.test_cli_runner()


_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1)


@pytest.fixture
def csrf(client: FlaskClient):
    """Return a function that fetches a page and gives back its CSRF token."""

    def fetch(path: str = "/") -> str:
        response = client.get(path)
        return csrf_token_from(response.get_data(as_text=True))

    return fetch


def sign_in(client: FlaskClient, user) -> None:
    """Put ``user`` in the client's session as Flask-Login does (with the "strong"
    session-protection identifier), for tests that are not about signing in."""
    app = client.application
    with app.test_request_context(environ_base=client.environ_base):
        identifier = app.login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
        session["_id"] = identifier


@pytest.fixture
def limited_client(tmp_path):
    """``(app, client)`` of an app of its own with the rate limiter switched on."""
    from onderwijsplatform.extensions import limiter

    was_enabled = limiter.enabled
    limited = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
            "RATELIMIT_ENABLED": True,
        }
    )
    limited.test_client_class = ClosingClient
    with limited.app_context():
        _db.create_all()
    limiter.reset()
    try:
        yield limited, limited.test_client()
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
        with limited.app_context():
            _db.engine.dispose()


@contextmanager
def app_on_own_database(prefix: str, engine_options: dict | None = None) -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database of its own, dropped afterwards.

    For race tests: commits there are visible across threads, unlike the rolled-back
    transaction of the ``db`` fixture.
    """
    import uuid

    import sqlalchemy as sa

    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    application = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options or {},
        }
    )
    try:
        with application.app_context():
            _db.create_all()
        yield application
    finally:
        with application.app_context():
            _db.engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
