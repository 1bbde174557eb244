"""The staff mail view: who may see it, the list, the message, retry and the test button."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from onderwijsplatform.mail import outbox
from onderwijsplatform.models import OutboxEmail, OutboxStatus, Role, utcnow
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_contact, make_region, make_user

XSS = '<script>alert("x")</script>'


def _message(db, *, status=OutboxStatus.PENDING, error=None, subject="Onderwerp") -> OutboxEmail:
    row = outbox.enqueue_test_mail("ontvanger@school.example")
    row.status = status
    row.subject = subject
    row.last_error = error
    db.session.flush()
    return row


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/staff/mail/"),
        ("get", "/staff/mail/1"),
        ("get", "/staff/mail/1/html"),
        ("get", "/staff/mail/1/invite.ics"),
        ("post", "/staff/mail/1/retry"),
        ("post", "/staff/mail/test"),
    ],
)
def test_anonymous_is_sent_to_the_login_page_or_gets_401(client, method, path):
    # The CSRF check runs first on a POST without a token (400); a GET reaches the role
    # check, which redirects to the login page when there is one and answers 401 otherwise.
    response = getattr(client, method)(path)
    if method == "post":
        assert response.status_code in (400, 401, 302)
    elif response.status_code == 302:
        with client.application.test_request_context():
            login = url_for("auth.login")
        assert response.location.startswith(login)
        assert "/staff/mail" in response.location
    else:
        assert response.status_code == 401


def test_a_coordinator_gets_404(client, db, signed_in):
    signed_in(Role.COORDINATOR)
    row = _message(db)
    assert client.get("/staff/mail/").status_code == 404
    assert client.get(f"/staff/mail/{row.id}").status_code == 404
    assert client.get(f"/staff/mail/{row.id}/html").status_code == 404


def test_sign_in_helper_survives_strong_session_protection(client, db, signed_in):
    signed_in(Role.STAFF)
    assert client.get("/staff/mail/").status_code == 200
    assert client.get("/staff/mail/").status_code == 200  # still signed in on the next request


def test_staff_sees_the_list_with_counts_filters_and_errors(client, db, signed_in):
    signed_in(Role.ADMIN)  # these recipients belong to no region; admins read all mail
    _message(db, subject="Wacht nog")
    _message(db, status=OutboxStatus.SENT, subject="Is verstuurd")
    _message(db, status=OutboxStatus.FAILED, error="550 5.1.1 No such user", subject=XSS)

    page = client.get("/staff/mail/").get_data(as_text=True)
    assert "Wacht nog" in page
    assert "Is verstuurd" in page
    assert "550 5.1.1 No such user" in page
    assert XSS not in page
    assert "&lt;script&gt;" in page
    assert "geen mailserver ingesteld" in page  # the session app has no MAIL_SERVER

    failed = client.get("/staff/mail/?status=failed").get_data(as_text=True)
    assert "550 5.1.1" in failed
    assert "Wacht nog" not in failed
    pending = client.get("/staff/mail/?status=pending").get_data(as_text=True)
    assert "Wacht nog" in pending
    assert "Is verstuurd" not in pending
    assert client.get("/staff/mail/?status=bogus&page=-3").status_code == 200


def test_staff_reads_a_message_and_opens_its_html_part(client, db, signed_in):
    signed_in(Role.ADMIN)
    row = _message(db)
    row.body_html = f"<p>Hallo</p>{XSS}"
    db.session.flush()

    detail = client.get(f"/staff/mail/{row.id}").get_data(as_text=True)
    assert "Dit is een testbericht." in detail
    assert f"&lt;outbox-{row.id}@onderwijsplatform.example&gt;" in detail
    assert f"/staff/mail/{row.id}/html" in detail
    assert "Opnieuw versturen" not in detail  # only failed messages have the button

    html = client.get(f"/staff/mail/{row.id}/html")
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    assert html.headers["Content-Disposition"] == "inline"
    csp = html.headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert "script-src" not in csp
    assert "sandbox" in csp
    assert html.get_data(as_text=True).startswith("<p>Hallo</p>")

    for bad in ("999999", "99999999999", "0", "-1", "abc"):
        assert client.get(f"/staff/mail/{bad}").status_code == 404
        assert client.get(f"/staff/mail/{bad}/html").status_code == 404
    assert client.get(f"/staff/mail/{row.id}/invite.ics").status_code == 404


def test_staff_downloads_the_invitation(client, db, signed_in):
    signed_in(Role.ADMIN)  # these recipients belong to no region; admins read all mail
    row = _message(db)
    row.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    db.session.flush()
    response = client.get(f"/staff/mail/{row.id}/invite.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"


def test_staff_retries_a_failed_message(client, db, signed_in):
    signed_in(Role.ADMIN)  # these recipients belong to no region; admins read all mail
    row = _message(db, status=OutboxStatus.FAILED, error="550 no")
    row.attempts = 1
    db.session.flush()
    page = client.get(f"/staff/mail/{row.id}").get_data(as_text=True)
    assert "Opnieuw versturen" in page

    response = client.post(
        f"/staff/mail/{row.id}/retry", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.get(OutboxEmail, row.id)
    assert again.status is OutboxStatus.PENDING
    assert again.attempts == 0
    assert "weer in de wachtrij" in client.get(response.location).get_data(as_text=True)


def test_retry_of_a_message_that_did_not_fail_changes_nothing(client, db, signed_in):
    signed_in(Role.ADMIN)  # these recipients belong to no region; admins read all mail
    row = _message(db, status=OutboxStatus.SENT)
    token = csrf_token_from(client.get("/staff/mail/").get_data(as_text=True))
    response = client.post(f"/staff/mail/{row.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxEmail, row.id).status is OutboxStatus.SENT
    for bad in ("999999", "99999999999"):
        response = client.post(f"/staff/mail/{bad}/retry", data={"csrf_token": token})
        assert response.status_code == 404


def test_retry_without_csrf_token_is_refused(client, db, signed_in):
    signed_in(Role.STAFF)
    row = _message(db, status=OutboxStatus.FAILED)
    assert client.post(f"/staff/mail/{row.id}/retry").status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxEmail, row.id).status is OutboxStatus.FAILED


def test_staff_sends_a_test_message_to_their_own_address(client, db, signed_in):
    user = signed_in(Role.STAFF)
    token = csrf_token_from(client.get("/staff/mail/").get_data(as_text=True))
    response = client.post("/staff/mail/test", data={"csrf_token": token})
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_addr == user.email))
    [row] = list(rows)
    assert row.template == "test_mail"
    assert row.created_at <= utcnow()
    assert response.location.endswith(f"/staff/mail/{row.id}")


def test_staff_read_only_mail_to_people_of_their_own_region(client, db):
    own, other = make_region(), make_region()
    own_contact = make_contact(make_company(own))
    other_contact = make_contact(make_company(other))
    mine = outbox.enqueue_test_mail(own_contact.email)
    theirs = outbox.enqueue_test_mail(other_contact.email)
    db.session.flush()
    sign_in(client, make_user(Role.STAFF, region_id=own.id))
    listing = client.get("/staff/mail/").get_data(as_text=True)
    assert own_contact.email in listing
    assert other_contact.email not in listing
    assert client.get(f"/staff/mail/{mine.id}").status_code == 200
    assert client.get(f"/staff/mail/{theirs.id}").status_code == 404
