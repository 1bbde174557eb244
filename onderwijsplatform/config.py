"""Configuration: defaults, the FLASK_* environment, and a production self-check."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused outside debug/testing

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": DEV_SECRET_KEY,
    "SQLALCHEMY_DATABASE_URI": "sqlite:///onderwijsplatform.sqlite",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "PLATFORM_NAME": "Onderwijsplatform",
    # Base of every link in an email (reliability CFG-01: never taken from the request).
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "REGION_NAME": "Sterk Techniekonderwijs Assen",
    "PRIVACY_CONTACT": "privacy@onderwijsplatform.example",
    # Forms are small; the staff import has its own limit in the CLI.
    "PASSWORD_HASH_METHOD": "scrypt",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "MAX_FORM_PARTS": 1000,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 3600,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ["nl", "en"],
    "BOOTSTRAP_SERVE_LOCAL": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Onderwijsplatform <noreply@onderwijsplatform.example>",
    "MAIL_TIMEOUT_SECONDS": 10,
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_RETRY_BASE_SECONDS": 60,
    "OUTBOX_BATCH_SIZE": 50,
    "OUTBOX_WORK_INTERVAL_SECONDS": 30,
    "MATCHING_TOP": 10,
    "MATCHING_MIN_SCORE": 0.2,
    "IMPORT_MAX_BYTES": 200 * 1024 * 1024,
    "OUTBOX_RETRY_CAP_SECONDS": 3600,
    # Days a sent (or failed) email keeps its text before the retention job empties it.
    "MAIL_BODY_RETENTION_DAYS": 90,
    "INTAKE_REGION_CODE": None,
    "INTAKE_MIN_FILL_SECONDS": 3,
    "DIGEST_MIN_SCORE": 0.5,
    # How many proxies stand in front (0: none). Behind one, set 1: client addresses then
    # come from X-Forwarded-For, so rate limits count per visitor, not per proxy.
    "PROXY_HOPS": 0,
    "REMINDER_AFTER_DAYS": 7,
}


def _normalise_database_url(url: str) -> str:
    """Let ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` from the defaults, then the environment or ``test_config``."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env()
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.update(test_config)
    uri = _normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if app.debug or app.testing:
        # Local http://127.0.0.1 would otherwise never get the session cookie back.
        app.config.setdefault("SESSION_COOKIE_SECURE", False)
        if test_config is None or "SESSION_COOKIE_SECURE" not in test_config:
            app.config["SESSION_COOKIE_SECURE"] = False
    if app.config.get("MAIL_SERVER") in ("", None):
        app.config["MAIL_SERVER"] = None
    check_config(app)


class ConfigError(RuntimeError):
    """The configuration is unsafe for production; the app refuses to start."""


def check_config(app: Flask) -> None:
    """Refuse a production start with the development secret or a weak key."""
    if app.debug or app.testing:
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET_KEY:
        raise ConfigError(
            "FLASK_SECRET_KEY is not set: refusing to start with the development key "
            "outside debug or testing."
        )
    if len(secret) < 32:
        raise ConfigError("FLASK_SECRET_KEY must be at least 32 characters.")
