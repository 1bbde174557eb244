"""The read API's rate limit, in its own app with the limiter switched on."""

from __future__ import annotations


def test_the_121st_request_in_a_minute_is_a_json_429(limited_client):
    _app, client = limited_client
    statuses = [client.get("/api/v1/regions").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    response = client.get("/api/v1/regions")
    assert response.json["error"]["status"] == 429
    assert client.get("/").status_code == 200  # the pages have their own limits
