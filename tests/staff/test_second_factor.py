"""Staff sign-in: TOTP once per code, recovery codes, enrolment by link, CLI, session limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from onderwijsplatform.identity import totp
from onderwijsplatform.models import Role, Token, User, utcnow
from tests.conftest import csrf_token_from, sign_in


def _pending(client, user, started=None):
    with client.session_transaction() as session:
        session["2fa_user"] = user.session_token
        session["2fa_started"] = (started or utcnow()).isoformat()


def _submit(client, code):
    token = csrf_token_from(client.get("/inloggen/tweede-stap").get_data(as_text=True))
    return client.post("/inloggen/tweede-stap", data={"csrf_token": token, "code": code})


def _signed_in(client) -> bool:
    return client.get("/staff/introducties").status_code == 200


def test_right_code_signs_in_once(client, world):
    _pending(client, world.staff)
    code = pyotp.TOTP(world.staff.totp_secret).now()
    response = _submit(client, code)
    assert response.status_code == 302
    assert response.location.endswith("/staff/")
    assert _signed_in(client)
    # The same code again (AUTH-05): refused.
    other = client.application.test_client()
    _pending(other, world.staff)
    token = csrf_token_from(other.get("/inloggen/tweede-stap").get_data(as_text=True))
    again = other.post("/inloggen/tweede-stap", data={"csrf_token": token, "code": code})
    assert again.status_code == 422
    assert "al gebruikt" in again.get_data(as_text=True)


def test_without_pending_password_step_there_is_no_second_step(client, world):
    response = client.get("/inloggen/tweede-stap")
    assert response.status_code == 302
    assert not _signed_in(client)


def test_pending_state_older_than_five_minutes_is_void(client, world):
    _pending(client, world.staff, started=utcnow() - timedelta(minutes=6))
    assert client.get("/inloggen/tweede-stap").status_code == 302


@pytest.mark.parametrize("code", ["000000", "", "12345", "abcdef", "1" * 30, "12\x0034"])
def test_wrong_codes_are_refused(client, world, code):
    _pending(client, world.staff)
    response = _submit(client, code)
    assert response.status_code == 422
    assert not _signed_in(client)


def test_recovery_code_works_once(client, db, world):
    codes, hashes = totp.new_recovery_codes()
    world.staff.recovery_codes = hashes
    db.session.flush()
    _pending(client, world.staff)
    assert _submit(client, codes[3].upper()).status_code == 302
    db.session.refresh(world.staff)
    assert len(world.staff.recovery_codes) == 9
    other = client.application.test_client()
    _pending(other, world.staff)
    token = csrf_token_from(other.get("/inloggen/tweede-stap").get_data(as_text=True))
    assert (
        other.post(
            "/inloggen/tweede-stap", data={"csrf_token": token, "code": codes[3]}
        ).status_code
        == 422
    )


def test_idle_and_absolute_limits(client, world):
    sign_in(client, world.staff)
    assert _signed_in(client)
    with client.session_transaction() as session:
        session["staff_seen_at"] = (utcnow() - timedelta(minutes=31)).isoformat()
    assert client.get("/staff/introducties").status_code == 302
    sign_in(client, world.staff)
    with client.session_transaction() as session:
        session["staff_auth_at"] = (utcnow() - timedelta(hours=13)).isoformat()
        session["staff_seen_at"] = utcnow().isoformat()
    assert client.get("/staff/introducties").status_code == 302


def test_cli_create_then_enrol_then_signed_in(runner, client, db, world):
    result = runner.invoke(
        args=[
            "staff",
            "create",
            "Nieuw@STO.example",
            "--name",
            "Nina",
            "--region",
            world.region.code,
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "nieuw@sto.example"))
    assert user.role is Role.STAFF
    assert user.password_hash is None
    link = re.search(r"(/staff/aanmelden/\S+)", result.output).group(1)
    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    data = {
        "csrf_token": csrf_token_from(html),
        "password": "kort",
        "password_repeat": "kort",
        "code": pyotp.TOTP(secret).now(),
    }
    assert client.post(link, data=data).status_code == 422  # too short: nothing used up
    data |= {
        "password": "een lange zin als wachtwoord",
        "password_repeat": "een lange zin als wachtwoord",
        "code": "000000",
    }
    wrong = client.post(link, data=data)
    assert wrong.status_code == 422
    assert "klopt niet" in wrong.get_data(as_text=True)
    data["code"] = pyotp.TOTP(secret).now()
    done = client.post(link, data=data)
    assert done.status_code == 200
    assert len(re.findall(r"<li>[0-9a-f]{5}-[0-9a-f]{5}</li>", done.get_data(as_text=True))) == 10
    assert _signed_in(client)
    db.session.refresh(user)
    assert user.totp_secret == secret
    assert len(user.recovery_codes) == 10
    assert client.get(link).status_code == 404  # used once


@pytest.mark.parametrize(
    "args",
    [
        ["staff", "create", "a@x.nl\r\nBcc: b@y.nl"],
        ["staff", "create", "a@x.nl, b@y.nl"],
        ["staff", "create", "a@x.nl", "--region", "geen"],
        ["staff", "enrol-link", "onbekend@x.nl"],
    ],
)
def test_cli_refuses_bad_input(runner, db, world, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_enrol_link_expires_after_a_day(runner, db, world):
    result = runner.invoke(args=["staff", "enrol-link", world.staff.email])
    assert result.exit_code == 0, result.output
    token = db.session.scalar(sa.select(Token).order_by(Token.id.desc()))
    assert timedelta(hours=23) < token.expires_at - utcnow() <= timedelta(hours=24)


def test_rate_limit_five_tries_per_account():
    # A separate in-memory app: the limiter is off in the shared test app.
    from onderwijsplatform import create_app
    from onderwijsplatform.extensions import db as _db
    from tests.conftest import TEST_CONFIG
    from tests.staff.conftest import make_world

    app = create_app(
        {**TEST_CONFIG, "RATELIMIT_ENABLED": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with app.app_context():
        _db.create_all()
        staff = make_world(_db).staff
        _db.session.commit()
        client = app.test_client()
        _pending(client, staff)
        statuses = [_submit(client, "000000").status_code for _ in range(6)]
        _db.session.remove()
        _db.engine.dispose()
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429


def test_codes_guessed_elsewhere_do_not_lock_the_owner_out():
    import time

    from onderwijsplatform import create_app
    from onderwijsplatform.extensions import db as _db
    from tests.conftest import TEST_CONFIG
    from tests.staff.conftest import make_world

    app = create_app(
        {**TEST_CONFIG, "RATELIMIT_ENABLED": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with app.app_context():
        _db.create_all()
        staff = make_world(_db).staff
        _db.session.commit()
        _db.session.refresh(staff)
        _db.session.expunge(staff)  # its session token and secret, for use without a context
    codes = pyotp.TOTP(staff.totp_secret)
    # The owner signed in from this browser before.
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    _pending(owner, staff)
    assert _submit(owner, codes.now()).status_code == 302
    # Someone who has the password guesses codes from five addresses: five each, then that
    # address is refused; after twenty, every browser but the owner's is refused too.
    guessed = []
    for n in range(5):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        _pending(attacker, staff)
        guessed.append([_submit(attacker, "000000").status_code for _ in range(6)])
    # The owner, from their own browser, still gets in (with the next code).
    with owner.session_transaction() as session:
        session.clear()
    _pending(owner, staff)
    response = _submit(owner, codes.at(time.time() + 30))
    with app.app_context():
        _db.engine.dispose()
    assert guessed[:4] == [[422] * 5 + [429]] * 4
    assert guessed[4] == [429] * 6
    assert response.status_code == 302


def test_fresh_database_has_no_users_and_first_staff_comes_from_the_cli():
    """AUTH-06: no default accounts; the first one is made by the CLI with its region."""
    from onderwijsplatform import create_app
    from onderwijsplatform.extensions import db as _db
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        _db.create_all()
        assert _db.session.scalar(sa.select(sa.func.count(User.id))) == 0
        runner = app.test_cli_runner()
        assert runner.invoke(args=["staff", "create", "eerste@sto.example"]).exit_code != 0
        result = runner.invoke(
            args=["staff", "create", "eerste@sto.example", "--admin", "--region", "assen"]
        )
        assert result.exit_code == 0, result.output
        user = _db.session.scalar(sa.select(User))
        assert user.role is Role.ADMIN
        assert user.region.code == "assen"
        _db.session.remove()
        _db.engine.dispose()
