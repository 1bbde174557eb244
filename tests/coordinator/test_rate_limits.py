"""Rate limits on sign-in and link requests, with the limiter on (AUTH-04), in its own app."""

from __future__ import annotations

import pytest

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db as _db
from onderwijsplatform.extensions import limiter
from tests.conftest import TEST_CONFIG, csrf_token_from


@pytest.fixture
def limited_client():
    previous = limiter.enabled
    app = create_app({**TEST_CONFIG, "RATELIMIT_ENABLED": True})
    with app.app_context():
        _db.create_all()
    try:
        yield app.test_client()
    finally:
        # The Limiter is one object shared by every app: switch it back for the other tests.
        limiter.enabled = previous
        with app.app_context():
            _db.engine.dispose()


def _post(client, path, email, **extra):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "email": email, **extra})


def test_login_is_limited_per_account(limited_client):
    codes = [
        _post(
            limited_client, "/inloggen", "jan@school.example", password="fout fout fout"
        ).status_code
        for _ in range(7)
    ]
    assert codes[:5] == [200] * 5
    assert codes[5:] == [429, 429]
    page = _post(limited_client, "/inloggen", "JAN@school.example", password="x")
    assert page.status_code == 429
    assert "Even geduld" in page.get_data(as_text=True)
    # Another account from the same IP may still try.
    other = _post(limited_client, "/inloggen", "piet@school.example", password="fout")
    assert other.status_code == 200


def test_login_link_requests_are_limited_per_address(limited_client):
    codes = [
        _post(limited_client, "/inloglink", "jan@school.example").status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
