"""Flask-Limiter on the intake POST, in its own app with the limiter switched on."""

from __future__ import annotations

import time

from tests.conftest import csrf_token_from
from tests.intake.conftest import valid_body


def _post(app, client, **overrides):
    from onderwijsplatform.forms.intake import sign_started

    token = csrf_token_from(client.get("/bedrijven/aanmelden").get_data(as_text=True))
    with app.test_request_context():
        stamp = sign_started(time.time() - 10)
    data = {"csrf_token": token, "started": stamp, **valid_body(**overrides)}
    return client.post("/bedrijven/aanmelden", data=data)


def test_three_intakes_per_address_per_day(limited_client):
    app, client = limited_client
    codes = [_post(app, client, org_name=f"Bedrijf {i}").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    # Another address from the same IP still gets through.
    assert _post(app, client, email="ander@elders.nl").status_code == 302


def test_five_intakes_per_ip_per_hour_and_errors_do_not_count(limited_client):
    app, client = limited_client
    for _ in range(3):
        assert _post(app, client, postcode="0123 AB").status_code == 200
    codes = [_post(app, client, email=f"p{i}@bedrijf{i}.nl").status_code for i in range(6)]
    assert codes == [302] * 5 + [429]
