"""Rate limits on sign-in and link requests, with the limiter on (AUTH-04), in its own app."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db as _db
from onderwijsplatform.extensions import limiter
from onderwijsplatform.models import OutboxEmail, Role
from tests.conftest import TEST_CONFIG, ClosingClient, csrf_token_from
from tests.factories import PASSWORD, make_user


@pytest.fixture
def limited_client(tmp_path):
    previous = limiter.enabled
    # A database of its own: the fixtures below commit.
    database = f"sqlite:///{tmp_path / 'limits.sqlite'}"
    app = create_app(
        {**TEST_CONFIG, "RATELIMIT_ENABLED": True, "SQLALCHEMY_DATABASE_URI": database}
    )
    app.test_client_class = ClosingClient
    with app.app_context():
        _db.create_all()
    limiter.reset()
    try:
        yield app.test_client()
    finally:
        limiter.reset()
        # The Limiter is one object shared by every app: switch it back for the other tests.
        limiter.enabled = previous
        with app.app_context():
            _db.engine.dispose()


def _post(client, path, email, *, ip="127.0.0.1", **extra):
    address = {"REMOTE_ADDR": ip}
    token = csrf_token_from(client.get(path, environ_base=address).get_data(as_text=True))
    data = {"csrf_token": token, "email": email, **extra}
    return client.post(path, data=data, environ_base=address)


@pytest.fixture
def owner(limited_client):
    """A coordinator with a password, in the limited app's database."""
    with limited_client.application.app_context():
        user = make_user(Role.COORDINATOR, email="eigenaar@school.example")
        _db.session.commit()
        return user.email


def _links_to(app, email) -> int:
    with app.app_context():
        query = sa.select(sa.func.count()).where(OutboxEmail.to_addr == email)
        return _db.session.scalar(query)


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


@pytest.mark.parametrize("path", ["/inloglink", "/wachtwoord-vergeten"])
def test_strangers_asking_for_links_do_not_block_a_real_user(limited_client, owner, path):
    # 300 requests for made-up addresses, from one address and from many: no bucket that
    # everyone shares fills up (the audit emptied one in 6 s).
    codes = [
        _post(
            limited_client, path, f"verzonnen{n}@nergens.example", ip=f"10.0.{n // 250}.{n % 250}"
        ).status_code
        for n in range(300)
    ]
    assert codes.count(429) == 0
    from_one = [
        _post(limited_client, path, f"x{n}@nergens.example", ip="10.9.9.9") for n in range(15)
    ]
    assert [r.status_code for r in from_one].count(429) == 5  # one address: 10 per 5 minutes
    response = _post(limited_client, path, owner, ip="192.0.2.10")
    assert response.status_code == 200
    assert _links_to(limited_client.application, owner) == 1


def test_wrong_passwords_from_many_addresses_do_not_lock_the_owner_out(limited_client, owner):
    # The owner signed in from this browser before; strangers then try ten wrong passwords,
    # each from an address of their own.
    assert _post(limited_client, "/inloggen", owner, password=PASSWORD).status_code == 302
    with limited_client.session_transaction() as session:
        session.clear()
    strangers = limited_client.application.test_client()
    codes = [
        _post(
            strangers, "/inloggen", owner, ip=f"198.51.100.{n}", password="fout fout fout"
        ).status_code
        for n in range(10)
    ]
    assert codes == [200] * 10
    # The eleventh wrong password, from yet another address, is refused ...
    eleventh = _post(strangers, "/inloggen", owner, ip="198.51.100.99", password="fout fout fout")
    assert eleventh.status_code == 429
    # ... and so is the right one from a browser that never signed in to the account ...
    guess = _post(strangers, "/inloggen", owner, ip="198.51.100.98", password=PASSWORD)
    assert guess.status_code == 429
    # ... while the owner, from their own browser, still gets in.
    response = _post(limited_client, "/inloggen", owner, password=PASSWORD)
    assert response.status_code == 302
    assert "/school/" in response.location


def test_the_owner_is_still_slowed_down_on_their_own_device(limited_client, owner):
    assert _post(limited_client, "/inloggen", owner, password=PASSWORD).status_code == 302
    with limited_client.session_transaction() as session:
        session.clear()
    codes = [
        _post(limited_client, "/inloggen", owner, password="fout fout fout").status_code
        for _ in range(5)
    ]
    assert codes == [200] * 4 + [429]  # the successful sign-in counted in this 5-minute window
