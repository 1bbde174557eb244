"""Error pages: friendly, translated, and free of internals; 429 from the rate limiter."""

from __future__ import annotations

import pytest

from onderwijsplatform import create_app
from onderwijsplatform.extensions import limiter
from tests.conftest import TEST_CONFIG


@pytest.fixture(scope="module")
def broken_app():
    app = create_app({**TEST_CONFIG, "RATELIMIT_ENABLED": True, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/kapot")
    def broken():
        raise RuntimeError("secret internals: SELECT * FROM user_account")

    @app.get("/beperkt")
    @limiter.limit("2 per minute")
    def limited():
        return "ok"

    return app


def test_unexpected_error_shows_friendly_500(broken_app):
    response = broken_app.test_client().get("/kapot")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html
    for leak in ("Traceback", "secret internals", "SELECT", 'File "'):
        assert leak not in html


def test_rate_limit_gives_friendly_429(broken_app):
    client = broken_app.test_client()
    assert [client.get("/beperkt").status_code for _ in range(2)] == [200, 200]
    response = client.get("/beperkt")
    assert response.status_code == 429
    assert "Even geduld" in response.get_data(as_text=True)


def test_error_pages_follow_the_language(broken_app):
    client = broken_app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "Something went wrong" in client.get("/kapot").get_data(as_text=True)
    assert "Page not found" in client.get("/nergens").get_data(as_text=True)


def test_factory_defaults_are_consistent(db):
    from tests import factories

    offer = factories.make_offer()
    request = factories.make_request()
    assert offer.id
    assert request.id
    coordinator = factories.make_user(factories.Role.COORDINATOR)
    assert coordinator.school_id is not None


def test_an_untrusted_host_gets_a_plain_400_not_a_second_error():
    guarded = create_app(
        {**TEST_CONFIG, "SERVER_NAME": None, "TRUSTED_HOSTS": ["platform.example"]}
    )
    client = guarded.test_client()
    for path in ("/", "/api/v1/regions", "/staff/"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert response.get_data(as_text=True) == "400 Ongeldig verzoek\n"
