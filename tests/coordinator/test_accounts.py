"""Invitations, password sign-in, logout, resets and one-time login links (AUTH/SESS rows)."""

from __future__ import annotations

import ast
import contextvars
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.identity import accounts
from onderwijsplatform.models import Role, Token, TokenPurpose, User, utcnow
from tests.conftest import csrf_token_from, sign_in
from tests.coordinator.conftest import outbox_rows, post_form
from tests.factories import PASSWORD, delivered_text, make_school, make_user

LINK = re.compile(r"http://\S+/(uitnodiging|wachtwoord-herstellen|inloglink)/(\S+)")


def _link(row) -> str:
    match = LINK.search(delivered_text(row))
    assert match, row.body_text
    return f"/{match.group(1)}/{match.group(2)}"


def _login(client, email, password=PASSWORD, next_=""):
    return post_form(client, "/inloggen", {"email": email, "password": password, "next": next_})


def test_login_and_logout_revokes_a_copied_cookie(client, coordinator):
    client.get("/inloggen")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = _login(client, coordinator.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/school/hulpvragen")
    with client.session_transaction() as session:
        assert "planted" not in session  # SESS-02: no pre-login keys survive
        assert session.permanent
        stolen = dict(session)
    assert client.get("/school/hulpvragen").status_code == 200
    old_token = coordinator.session_token
    page = client.get("/school/hulpvragen").get_data(as_text=True)
    assert 'action="/uitloggen"' in page  # SESS-06: logout visible on every page
    response = client.post("/uitloggen", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    _db.session.refresh(coordinator)
    assert coordinator.session_token != old_token
    with client.session_transaction() as session:  # replay the copied cookie (SESS-03)
        session.update(stolen)
    response = client.get("/school/hulpvragen")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_logout_needs_post_and_csrf(signed_in):
    assert signed_in.get("/uitloggen").status_code == 405
    assert signed_in.post("/uitloggen").status_code == 400
    assert signed_in.get("/school/hulpvragen").status_code == 200


@pytest.mark.parametrize("email", ["nobody@school.example", "wrong-password"])
def test_wrong_credentials_give_one_generic_message(client, coordinator, email):
    address = coordinator.email if email == "wrong-password" else email
    response = _login(client, address, password="not the password at all")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in body
    assert client.get("/school/hulpvragen").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(client, coordinator, target):
    response = _login(client, coordinator.email, next_=target)
    assert response.headers["Location"].endswith("/school/hulpvragen")


def test_next_goes_to_a_local_page(client, coordinator):
    response = _login(client, coordinator.email, next_="/school/profiel")
    assert response.headers["Location"].endswith("/school/profiel")


def test_staff_password_goes_to_the_second_factor_not_a_session(client, db):
    staff = make_user(Role.STAFF)
    response = _login(client, staff.email)
    with client.session_transaction() as session:
        assert session.get("2fa_user") == staff.session_token
        assert "_user_id" not in session
    if "auth.second_factor" in client.application.view_functions:
        assert response.status_code == 302
    else:
        assert "tweede stap" in response.get_data(as_text=True)


def test_absolute_session_limit(client, coordinator):
    _login(client, coordinator.email)
    with client.session_transaction() as session:
        session["login_at"] = (utcnow() - timedelta(days=8)).isoformat()
    response = client.get("/school/hulpvragen")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_invitation_flow(client, db):
    school = make_school()
    staff = make_user(Role.STAFF, region_id=school.region_id)
    sign_in(client, staff)
    response = post_form(
        client,
        "/staff/uitnodigingen/",
        {
            "school_id": str(school.id),
            "name": "Sanne de Vries",
            "email": "sanne@school.example",
            "language": "nl",
        },
    )
    assert response.status_code == 302
    [mail] = outbox_rows("coordinator_invite")
    assert mail.to_addr == "sanne@school.example"
    link = _link(mail)
    client.post("/uitloggen", data={"csrf_token": csrf_token_from(client.get("/").text)})
    for _ in range(3):  # AUTH-02: link scanners open it first
        assert client.get(link).status_code == 200
    assert client.head(link).status_code == 200
    page = client.get(link)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = csrf_token_from(page.text)
    bad = client.post(link, data={"csrf_token": token, "password": "kort", "confirm": "kort"})
    assert "10 tot 128 tekens" in bad.text
    response = client.post(
        link,
        data={
            "csrf_token": token,
            "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord",
        },
    )
    assert response.status_code == 302
    assert client.get("/school/hulpvragen").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == "sanne@school.example"))
    assert user.role == Role.COORDINATOR
    assert user.school_id == school.id
    assert client.get(link).status_code == 404  # used once


def test_invitation_for_a_school_of_another_region_is_404(client, db):
    staff = make_user(Role.STAFF)
    foreign = make_school()
    sign_in(client, staff)
    response = post_form(
        client,
        "/staff/uitnodigingen/",
        {"school_id": str(foreign.id), "name": "X", "email": "x@school.example"},
    )
    assert response.status_code == 200  # not one of the choices: a message at the field
    assert "Kies een van de mogelijkheden" in response.text
    assert outbox_rows() == []


def test_coordinator_cannot_open_the_invitation_page(signed_in):
    assert signed_in.get("/staff/uitnodigingen/").status_code == 404


_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+')


def _reset_response(client, email):
    token = csrf_token_from(client.get("/wachtwoord-vergeten").text)
    response = client.post("/wachtwoord-vergeten", data={"csrf_token": token, "email": email})
    # A CSRF token carries the second it was signed in, so a page rendered a second later
    # has another one: leave every token out of the comparison.
    return response.status_code, _CSRF_VALUE.sub(r"\1", response.text)


def test_reset_answers_the_same_for_known_and_unknown(client, coordinator):
    known = _reset_response(client, coordinator.email)
    unknown = _reset_response(client, "onbekend@school.example")
    assert known == unknown
    assert len(outbox_rows("password_reset")) == 1


@pytest.mark.parametrize(
    ("path", "template"), [("/inloglink", "login_link"), ("/wachtwoord-vergeten", "password_reset")]
)
def test_the_link_is_made_only_after_the_answer_went_out(app, client, coordinator, path, template):
    # Known and unknown addresses must take the same time (issue 16 item 3): the lookup,
    # the token and the email wait until the server closes the response.
    token = csrf_token_from(client.get(path).text)
    raw = FlaskClient(app, app.response_class, use_cookies=True)
    raw._cookies = client._cookies  # the same session, so the CSRF token holds
    response = contextvars.Context().run(
        raw.post, path, data={"csrf_token": token, "email": coordinator.email}
    )
    assert response.status_code == 200
    assert outbox_rows(template) == []
    response.close()  # what the WSGI server does after the last byte
    assert len(outbox_rows(template)) == 1


def test_password_reset_sets_a_new_password_and_ends_sessions(client, coordinator):
    old_token = coordinator.session_token
    _reset_response(client, coordinator.email)
    link = _link(outbox_rows("password_reset")[0])
    token = csrf_token_from(client.get(link).text)
    response = client.post(
        link,
        data={
            "csrf_token": token,
            "password": "nieuw en lang genoeg",
            "confirm": "nieuw en lang genoeg",
        },
    )
    assert response.status_code == 302
    _db.session.refresh(coordinator)
    assert coordinator.session_token != old_token
    assert _login(client, coordinator.email, "nieuw en lang genoeg").status_code == 302


def _request_link(client, email):
    token = csrf_token_from(client.get("/inloglink").text)
    return client.post("/inloglink", data={"csrf_token": token, "email": email})


def test_login_link_get_does_not_use_it_and_post_signs_in(client, coordinator):
    known = _request_link(client, coordinator.email)
    unknown = _request_link(client, "onbekend@school.example")
    assert known.status_code == unknown.status_code == 200
    [mail] = outbox_rows("login_link")
    link = _link(mail)
    for _ in range(3):
        assert client.get(link).status_code == 200
    assert client.head(link).status_code == 200
    with client.session_transaction() as session:
        assert "_user_id" not in session
    token = csrf_token_from(client.get(link).text)
    response = client.post(link, data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/school/hulpvragen").status_code == 200
    assert client.get(link).status_code == 404  # single use


def test_newer_login_link_voids_the_older_and_links_expire(client, coordinator):
    accounts.request_login_link(coordinator.email)
    accounts.request_login_link(coordinator.email)
    first, second = (_link(row) for row in outbox_rows("login_link"))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    token = _db.session.scalar(
        sa.select(Token).where(Token.purpose == TokenPurpose.LOGIN_LINK, Token.used_at.is_(None))
    )
    assert token.expires_at - token.created_at <= timedelta(minutes=15)
    token.expires_at = utcnow() - timedelta(seconds=1)
    _db.session.flush()
    assert client.get(second).status_code == 404
    # Only the hash is stored.
    raw = second.rsplit("/", 1)[1]
    assert _db.session.scalar(sa.select(Token).where(Token.token_hash == raw)) is None


def test_staff_get_no_login_link(client, db):
    staff = make_user(Role.STAFF)
    _request_link(client, staff.email)
    assert outbox_rows("login_link") == []


def test_only_the_documented_endpoints_call_login_user():
    """AUTH-07: every caller of login_user is on this list."""
    root = Path(__file__).resolve().parents[2] / "onderwijsplatform"
    callers = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", "") == (
                        "login_user"
                    ):
                        callers.add(f"{path.relative_to(root)}:{node.name}")
    assert callers == {"identity/sessions.py:start"}


def test_the_service_refuses_a_short_password_and_the_link_stays_usable(coordinator):
    from onderwijsplatform.services.errors import ValidationFailed

    coordinator.password_hash = None
    accounts.request_password_reset(coordinator.email)
    raw = _link(outbox_rows("password_reset")[-1]).rsplit("/", 1)[1]
    with pytest.raises(ValidationFailed):
        accounts.set_password_with_link(TokenPurpose.PASSWORD_RESET, raw, "kort")
    user = accounts.set_password_with_link(
        TokenPurpose.PASSWORD_RESET, raw, "lang-genoeg-wachtwoord"
    )
    assert user.id == coordinator.id
