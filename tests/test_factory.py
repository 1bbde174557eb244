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


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(hops, seen):
    from flask import request

    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "PROXY_HOPS": hops})
    app.add_url_rule("/_ip", "ip", lambda: request.remote_addr or "")
    response = app.test_client().get(
        "/_ip",
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert response.get_data(as_text=True) == seen


@pytest.mark.parametrize(
    ("public_url", "hsts"), [("https://sto.example", True), ("http://127.0.0.1:5000", False)]
)
def test_hsts_follows_the_public_url_even_when_the_proxy_scheme_is_lost(public_url, hsts):
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "PUBLIC_URL": public_url})
    response = app.test_client().get("/privacy")  # plain http, no X-Forwarded-Proto
    assert ("Strict-Transport-Security" in response.headers) is hsts


def test_a_stolen_session_cookie_does_not_pass_with_a_forged_forwarded_for(app, client, db):
    from onderwijsplatform.models import Role
    from tests.conftest import sign_in
    from tests.factories import make_user

    owner = client.application.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    sign_in(owner, make_user(Role.STAFF))
    assert owner.get("/staff/mail/").status_code == 200
    cookie = owner.get_cookie("session")
    thief = client.application.test_client()
    thief.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    response = thief.get("/staff/mail/", headers={"X-Forwarded-For": "192.0.2.1"})
    assert response.status_code == 302  # the session is not the thief's: sign in first
