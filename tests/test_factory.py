"""The app factory: test config, environment, and the production secret check."""

from __future__ import annotations

import pytest

from onderwijsplatform import create_app
from onderwijsplatform.config import DEV_SECRET_KEY, ConfigError


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"


def test_production_refuses_development_secret(monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="FLASK_SECRET_KEY"):
        create_app()


def test_production_refuses_short_secret():
    with pytest.raises(ConfigError, match="32"):
        create_app({"SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_strong_secret(monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FLASK_MAIL_TIMEOUT_SECONDS", "15")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/platform")
    app = create_app()
    assert not app.testing
    assert app.config["SECRET_KEY"] != DEV_SECRET_KEY
    assert app.config["MAIL_TIMEOUT_SECONDS"] == 15
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/platform"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_debug_allows_development_secret(monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app()
    assert app.debug
