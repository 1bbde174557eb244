"""Enqueueing: rendering in the recipient's language, dedupe, and refusing header injection."""

from __future__ import annotations

import smtplib

import pytest
import sqlalchemy as sa
from flask_mail import BadHeaderError
from jinja2 import ChoiceLoader, DictLoader

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.mail import delivery, outbox
from onderwijsplatform.mail.transport import build_message
from onderwijsplatform.models import OutboxEmail, OutboxStatus, Region, utcnow

XSS = '<script>alert("x")</script>'

PROBE_TEMPLATES = {
    "email/probe/subject.txt": "Nieuw bericht van {{ name }}",
    "email/probe/body.txt": (
        '{% extends "email/_layout.txt" %}{% block content %}Van: {{ name }}{% endblock %}'
    ),
    "email/probe/body.html": (
        '{% extends "email/_layout.html" %}{% block content %}<p>{{ name }}</p>{% endblock %}'
    ),
}


@pytest.fixture
def probe_template(app, monkeypatch):
    """A template that puts user data in the subject and both bodies."""
    loader = ChoiceLoader([DictLoader(PROBE_TEMPLATES), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)


def _count() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail))


def test_enqueue_renders_dutch_by_default(db):
    row = outbox.enqueue_test_mail("coordinator@school.example")
    assert row.status is OutboxStatus.PENDING
    assert row.language == "nl"
    assert row.subject == "Testbericht van Onderwijsplatform"
    assert "Dit is een testbericht." in row.body_text
    assert "Privacyverklaring: http://127.0.0.1:5000/privacy" in row.body_text
    assert '<html lang="nl">' in row.body_html
    assert 'href="http://127.0.0.1:5000/privacy"' in row.body_html
    assert "Afmelden" not in row.body_text  # transactional: no opt-out link


def test_enqueue_renders_english_for_an_english_recipient(db):
    row = outbox.enqueue_test_mail("company@firm.example", language="en")
    assert row.language == "en"
    assert '<html lang="en">' in row.body_html
    # The layout's privacy link and the date format follow the forced locale.
    assert "Privacy statement: http://127.0.0.1:5000/privacy" in row.body_text
    assert "Privacy statement</a>" in row.body_html
    assert "Privacyverklaring" not in row.body_text


def test_unknown_language_falls_back_to_dutch(db):
    row = outbox.enqueue_test_mail("a@school.example", language="de")
    assert row.language == "nl"
    assert "Privacyverklaring" in row.body_text


def test_repeated_dedupe_key_is_a_no_op_and_keeps_the_transaction(db):
    region = Region(code="dedupe", name="Dedupe")
    db.session.add(region)
    context = {"requested_at": utcnow()}
    first = outbox.enqueue("test_mail", to="a@school.example", context=context, dedupe_key="k:1")
    again = outbox.enqueue("test_mail", to="a@school.example", context=context, dedupe_key="k:1")
    assert first is not None
    assert again is None
    assert _count() == 1
    db.session.flush()  # the caller's own work is still there and still writable
    assert db.session.get(Region, region.id) is region


def test_dedupe_race_is_caught_by_the_savepoint(db, monkeypatch):
    context = {"requested_at": utcnow()}
    outbox.enqueue("test_mail", to="a@school.example", context=context, dedupe_key="race")
    region = Region(code="race", name="Race")
    db.session.add(region)
    db.session.flush()
    # Pretend the pre-check ran before a concurrent insert committed the same key.
    answers = iter([False, True])
    monkeypatch.setattr(outbox, "_exists", lambda key: next(answers))
    again = outbox.enqueue("test_mail", to="a@school.example", context=context, dedupe_key="race")
    assert again is None
    monkeypatch.undo()
    assert _count() == 1
    region.name = "Race 2"
    db.session.flush()  # the IntegrityError rolled back only the savepoint
    assert db.session.scalar(sa.select(Region.name).where(Region.code == "race")) == "Race 2"


@pytest.mark.parametrize(
    "address",
    [
        "a@school.example\r\nBcc: victim@evil.example",
        "a@school.example\nBcc: victim@evil.example",
        "a@school.example%0d%0aBcc:victim@evil.example",
        "a@school.example, b@evil.example",
        "a@school.example;b@evil.example",
        "Name <a@school.example>",
        "a@school.example\n",
        "a@@school.example",
        "",
        "no-at-sign",
        "a@localhost",
        "a@school.example\x00",
    ],
)
def test_enqueue_refuses_anything_but_one_plain_address(db, address):
    with pytest.raises(ValueError, match="address"):
        outbox.enqueue("test_mail", to=address, context={"requested_at": utcnow()}, dedupe_key="x")
    assert _count() == 0


def test_user_data_cannot_inject_headers_through_the_subject(db, probe_template):
    name = "Bedrijf\r\nBcc: victim@evil.example\u2028X-Evil: 1\x0bend"
    row = outbox.enqueue("probe", to="a@school.example", context={"name": name}, dedupe_key="p")
    assert row.subject == "Nieuw bericht van Bedrijf Bcc: victim@evil.example X-Evil: 1 end"
    message = build_message(
        to=row.to_addr,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        message_id="<x@y>",
    )
    assert not message.has_bad_headers()


def test_html_part_escapes_user_data_and_text_part_keeps_it(db, probe_template):
    row = outbox.enqueue("probe", to="a@school.example", context={"name": XSS}, dedupe_key="x")
    assert XSS not in row.body_html
    assert "&lt;script&gt;" in row.body_html
    assert f"Van: {XSS}" in row.body_text  # plain text is not HTML: shown as typed


def test_non_transactional_mail_needs_and_shows_an_unsubscribe_link(db, probe_template):
    with pytest.raises(ValueError, match="unsubscribe_url"):
        outbox.enqueue(
            "probe",
            to="a@school.example",
            context={"name": "x"},
            dedupe_key="n",
            transactional=False,
        )
    url = "http://127.0.0.1:5000/afmelden/abc"
    row = outbox.enqueue(
        "probe",
        to="a@school.example",
        context={"name": "x", "unsubscribe_url": url},
        dedupe_key="n",
        transactional=False,
    )
    assert f"Afmelden voor deze e-mails: {url}" in row.body_text
    assert f'href="{url}"' in row.body_html


@pytest.mark.parametrize("name", ["../public/home", "Test_Mail", "", "a/b"])
def test_template_names_are_plain_folder_names(db, name):
    with pytest.raises(ValueError, match="template"):
        outbox.enqueue(name, to="a@school.example", context={}, dedupe_key="t")


def test_backoff_starts_near_the_base_grows_and_is_capped():
    low = [delivery.backoff_seconds(n, base=60, rng=lambda: 0.0) for n in range(1, 10)]
    high = [delivery.backoff_seconds(n, base=60, rng=lambda: 1.0) for n in range(1, 10)]
    assert low[0] == pytest.approx(48)
    assert high[0] == pytest.approx(72)
    assert all(h < next_low for h, next_low in zip(high[:5], low[1:6], strict=True))
    assert max(high) == pytest.approx(3600 * 1.2)


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPDataError(451, b"4.3.0 try later"), False),
        (smtplib.SMTPDataError(554, b"5.7.1 rejected"), True),
        (smtplib.SMTPRecipientsRefused({"a@x.nl": (550, b"5.1.1 unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.nl": (452, b"4.2.2 full")}), False),
        (smtplib.SMTPSenderRefused(421, b"busy", "n@x.nl"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(111, "refused"), False),
        (TimeoutError("timed out"), False),
        (BadHeaderError(), True),
        (UnicodeEncodeError("ascii", "é", 0, 1, "x"), True),
    ],
)
def test_failures_are_classified(error, permanent):
    assert delivery.is_permanent(error) is permanent
    assert len(delivery.describe(error)) <= delivery.ERROR_MAX
