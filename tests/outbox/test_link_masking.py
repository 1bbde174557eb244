"""Emailed sign-in links are never stored readable: not in the row, not in the staff view."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.links import carries_token, external_url
from onderwijsplatform.mail import mailbox, masking, outbox
from onderwijsplatform.models import OutboxEmail, OutboxStatus, Role, User, utcnow
from onderwijsplatform.services import retention
from tests.conftest import csrf_token_from, sign_in
from tests.outbox.conftest import deliver, make_user

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

LINK = re.compile(r"https?://[^\s\"'<>]+/(?:inloglink|wachtwoord-herstellen)/[^\s\"'<>]+")
# Anything shaped like a token (secrets.token_urlsafe(32)) anywhere in a stored message.
TOKEN_SHAPED = re.compile(r"[A-Za-z0-9_-]{40,}")


def _parts(message) -> tuple[str, str]:
    parts = {part.get_content_type(): part for part in message.walk()}
    return tuple(
        parts[kind].get_payload(decode=True).decode() for kind in ("text/plain", "text/html")
    )


def _get(client, path: str):
    # The worker_app fixture keeps an app context pushed, and a request reuses it with its
    # ``g`` (Flask-Login's user, the CSRF token): each request gets a context of its own,
    # and the test's session ends its transaction first (SQLite would stay locked).
    db.session.commit()
    with client.application.app_context():
        return client.get(path)


def _request(client, path: str, email: str) -> None:
    db.session.commit()
    with client.application.app_context():
        token = csrf_token_from(client.get(path).get_data(as_text=True))
    with client.application.app_context():
        response = client.post(path, data={"csrf_token": token, "email": email})
    assert response.status_code == 200


@pytest.fixture
def requested(worker_app, sink):
    """A coordinator asked for a login link and a password reset; staff of their region exist."""
    worker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    unique = uuid.uuid4().hex[:8]
    coordinator = make_user(Role.COORDINATOR, email=f"coordinator-{unique}@school.example")
    staff = User(
        email=f"medewerker-{unique}@sto.example", name="Medewerker", role=Role.STAFF,
        region_id=coordinator.region_id,
    )  # fmt: skip
    db.session.add(staff)
    db.session.commit()
    client = worker_app.test_client()
    _request(client, "/inloglink", coordinator.email)
    _request(client, "/wachtwoord-vergeten", coordinator.email)
    rows = list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))
    assert [row.template for row in rows] == ["login_link", "password_reset"]
    return staff, rows


def test_the_stored_rows_and_the_staff_view_hold_no_usable_link(worker_app, requested):
    staff, rows = requested
    staff_client = worker_app.test_client()
    sign_in(staff_client, staff)
    for row in rows:
        stored = row.subject + row.body_text + row.body_html
        assert not LINK.search(stored)
        assert "[[link:" in row.body_text
        assert "[[link:" in row.body_html
        assert row.sealed_links
        for part in (
            _get(staff_client, f"/staff/mail/{row.id}"),
            _get(staff_client, f"/staff/mail/{row.id}/html"),
        ):
            assert part.status_code == 200, part.location
            page = part.get_data(as_text=True)
            assert "[persoonlijke link]" in page
            assert not LINK.search(page)
            assert "[[link:" not in page
        # Nothing token-shaped in the row works as a link (the sealed value included).
        guesses = set(TOKEN_SHAPED.findall(stored + row.sealed_links))
        assert guesses
        for guess in guesses:
            for path in ("/inloglink/", "/wachtwoord-herstellen/"):
                assert _get(staff_client, path + guess).status_code == 404


def test_the_delivered_message_holds_the_working_link_and_the_secret_goes(
    worker_app, sink, requested
):
    _staff, rows = requested
    report = deliver()
    assert report.sent == 2
    delivered = [received.parsed() for received in sink.received]
    links = []
    for message in delivered:
        text, html = _parts(message)
        [link] = set(LINK.findall(text))
        assert link in html
        assert "[[link:" not in text + html
        links.append(link)
    client = worker_app.test_client()
    for link in links:
        assert _get(client, link.removeprefix(worker_app.config["PUBLIC_URL"])).status_code == 200
    db.session.expire_all()
    for row in rows:
        row = db.session.get(OutboxEmail, row.id)
        assert row.status == OutboxStatus.SENT
        assert row.sealed_links is None  # sent: nothing left that could restore the link


def test_every_route_with_a_token_is_masked(app):
    rules = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert len(rules) >= 6  # invitation, reset, login link, staff enrolment, intake, ...
    with app.app_context():
        for rule in rules:
            assert carries_token(external_url(rule.endpoint, token="abc-DEF_123")), rule
        assert not carries_token(external_url("public.privacy"))
        assert not carries_token("https://elders.example/inloglink/abc")
        masked = masking.mask("s", f"Ga naar {external_url('auth.login_link', token='x1')}.", "")
        assert "x1" not in masked.text
        assert masked.sealed_links


def test_a_marker_of_another_message_is_left_alone(app):
    with app.app_context():
        first = masking.mask("", external_url("auth.login_link", token="first"), "")
        second = masking.mask("", external_url("auth.login_link", token="second"), "")
        assert masking.unmask(first.text, second.sealed_links) == first.text
        assert masking.unmask(first.text, first.sealed_links).endswith("/inloglink/first")


def test_links_sealed_under_an_old_key_still_go_out_after_a_rotation(worker_app, sink):
    worker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    row = outbox.enqueue(
        "test_mail", to="a@school.example", context={"requested_at": utcnow()}, dedupe_key="k1"
    )
    row.body_text += external_url("auth.login_link", token="oud") + "\n"
    masked = masking.mask(row.subject, row.body_text, row.body_html)
    row.body_text, row.sealed_links = masked.text, masked.sealed_links
    db.session.commit()
    old = worker_app.config["SECRET_KEY"]
    worker_app.config.update(SECRET_KEY="a-new-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old])
    assert deliver().sent == 1
    assert "/inloglink/oud" in _parts(sink.received[0].parsed())[0]


def test_links_sealed_under_a_lost_key_fail_with_a_clear_error(worker_app, sink):
    worker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    row = outbox.enqueue(
        "test_mail", to="a@school.example", context={"requested_at": utcnow()}, dedupe_key="k2"
    )
    row.body_text += "[[link:0123456789abcdef:0]]"
    row.sealed_links = masking.mask("", external_url("auth.login_link", token="t"), "").sealed_links
    db.session.commit()
    worker_app.config.update(SECRET_KEY="another-key-" + "y" * 40)
    assert deliver().failed == 1
    db.session.expire_all()
    failed = db.session.get(OutboxEmail, row.id)
    assert failed.status == OutboxStatus.FAILED
    assert "FLASK_SECRET_KEY" in failed.last_error
    assert sink.received == []


def test_retention_empties_old_bodies_only(worker_app):
    now = utcnow()
    ids = {}
    for name, status, age in [
        ("old-sent", OutboxStatus.SENT, 91),
        ("old-failed", OutboxStatus.FAILED, 120),
        ("new-sent", OutboxStatus.SENT, 10),
        ("old-pending", OutboxStatus.PENDING, 200),
    ]:
        row = outbox.enqueue(
            "test_mail", to="b@school.example", context={"requested_at": now}, dedupe_key=name
        )
        row.status, row.created_at = status, now - timedelta(days=age)
        row.sent_at = row.created_at if status is OutboxStatus.SENT else None
        ids[name] = row.id
    db.session.commit()
    assert retention.purge_mail_bodies(now) == "emptied 2 email bodies older than 90 days"
    assert retention.purge_mail_bodies(now) == "emptied 0 email bodies older than 90 days"
    db.session.expire_all()
    for name, row_id in ids.items():
        row = db.session.get(OutboxEmail, row_id)
        purged = name.startswith("old-") and name != "old-pending"
        assert (row.body_text == "") is purged, name
        assert (row.body_purged_at is not None) is purged, name
    staff = make_user(Role.ADMIN, email=f"beheer-{uuid.uuid4().hex[:8]}@sto.example")
    db.session.commit()
    client = worker_app.test_client()
    sign_in(client, staff)
    page = _get(client, f"/staff/mail/{ids['old-sent']}").get_data(as_text=True)
    assert "na de bewaartermijn verwijderd" in page
    assert mailbox.shown(db.session.get(OutboxEmail, ids["new-sent"]), "x").text


def test_links_stored_before_masking_are_masked_by_the_command(worker_app, sink):
    worker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    link = external_url("auth.login_link", token="van-voor-de-upgrade")
    rows = {}
    for status in (OutboxStatus.PENDING, OutboxStatus.SENT):
        row = outbox.enqueue(
            "test_mail",
            to="c@school.example",
            context={"requested_at": utcnow()},
            dedupe_key=f"legacy-{status.value}",
        )
        row.body_text += f"Inloggen: {link}\n"  # as rows were stored before this version
        row.status = status
        rows[status] = row.id
    db.session.commit()
    result = worker_app.test_cli_runner().invoke(args=["outbox", "mask-stored"])
    assert result.exit_code == 0, result.output
    assert "masked the links of 2 stored emails" in result.output
    again = worker_app.test_cli_runner().invoke(args=["outbox", "mask-stored"])
    assert "masked the links of 0 stored emails" in again.output
    db.session.expire_all()
    for row_id in rows.values():
        assert "van-voor-de-upgrade" not in db.session.get(OutboxEmail, row_id).body_text
    assert db.session.get(OutboxEmail, rows[OutboxStatus.SENT]).sealed_links is None
    assert deliver().sent == 1  # the pending one still goes out with its working link
    assert link in _parts(sink.received[0].parsed())[0]
