"""The read API's rate limit, in its own app with the limiter switched on."""

from __future__ import annotations

import pytest

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db as _db
from onderwijsplatform.extensions import limiter
from tests.conftest import TEST_CONFIG


@pytest.fixture
def limited_client(tmp_path):
    was_enabled = limiter.enabled
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
            "RATELIMIT_ENABLED": True,
        }
    )
    with app.app_context():
        _db.create_all()
    limiter.reset()
    try:
        yield app.test_client()
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
        with app.app_context():
            _db.engine.dispose()


def test_the_121st_request_in_a_minute_is_a_json_429(limited_client):
    statuses = [limited_client.get("/api/v1/regions").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    response = limited_client.get("/api/v1/regions")
    assert response.json["error"]["status"] == 429
    assert limited_client.get("/").status_code == 200  # the pages have their own limits
