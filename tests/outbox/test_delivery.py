"""Delivery against a real SMTP server on loopback: parts, retries, dead letters, timeouts."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.mail import ics, mailbox, outbox
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow
from tests.outbox.conftest import Sink, deliver, free_port, queue_messages

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _row(outbox_id: int) -> OutboxEmail:
    db.session.expire_all()
    return db.session.get(OutboxEmail, outbox_id)


def _point_at(app, port: int, **config) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, **config)


def test_delivers_text_and_html_parts_with_a_deterministic_message_id(worker_app, sink):
    _point_at(worker_app, sink.port)
    row = outbox.enqueue_test_mail("coordinator@school.example")
    db.session.commit()

    report = deliver()

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [received] = sink.received
    assert received.rcpt_tos == ["coordinator@school.example"]
    assert received.mail_from == "noreply@onderwijsplatform.example"
    message = received.parsed()
    assert message["Message-ID"] == f"<outbox-{row.id}@onderwijsplatform.example>"
    assert message["Subject"] == "Testbericht van Onderwijsplatform"
    assert message["Auto-Submitted"] == "auto-generated"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "multipart/alternative" in parts
    assert "Dit is een testbericht." in parts["text/plain"].get_payload(decode=True).decode()
    assert "<html" in parts["text/html"].get_payload(decode=True).decode()
    stored = _row(row.id)
    assert stored.status is OutboxStatus.SENT
    assert stored.sent_at is not None
    assert stored.attempts == 1
    assert stored.locked_until is None


def test_three_451_replies_then_ok_delivers_once(worker_app, sink):
    _point_at(worker_app, sink.port, OUTBOX_RETRY_BASE_SECONDS=60)
    sink.handler.data_replies = ["451 4.3.0 Try again later"] * 3
    [outbox_id] = queue_messages(1)
    clock = utcnow()

    outcomes = []
    for _ in range(6):
        report = deliver(now=clock)
        outcomes.append((report.sent, report.retrying, report.failed))
        row = _row(outbox_id)
        if row.status is OutboxStatus.SENT:
            break
        # The next try waits about base·2^(n-1) seconds (±20 %), never less than 0.8 of it.
        waited = (row.next_attempt_at - clock).total_seconds()
        assert 0.8 * 60 * 2 ** (row.attempts - 1) <= waited <= 1.2 * 60 * 2 ** (row.attempts - 1)
        assert deliver(now=clock).attempted == 0  # not due before its time
        clock = row.next_attempt_at

    assert outcomes == [(0, 1, 0), (0, 1, 0), (0, 1, 0), (1, 0, 0)]
    assert sink.message_ids() == {f"<outbox-{outbox_id}@onderwijsplatform.example>": 1}
    row = _row(outbox_id)
    assert row.status is OutboxStatus.SENT
    assert row.attempts == 4
    assert row.last_error is None


def test_a_relay_deferring_everything_charges_no_attempts_and_drains_on_recovery(worker_app, sink):
    _point_at(worker_app, sink.port, OUTBOX_RETRY_BASE_SECONDS=60)
    sink.handler.data_replies = ["451 4.3.0 Relay busy"] * 1000
    ids = queue_messages(6)
    clock = utcnow()

    for _ in range(20):  # ten minutes of passes every 30 s while the relay defers
        report = deliver(now=clock)
        assert report.relay_error == "the relay defers every message"
        clock += timedelta(seconds=30)
    assert all(_row(i).attempts == 0 for i in ids)
    assert all(_row(i).status is OutboxStatus.PENDING for i in ids)

    sink.handler.data_replies = []
    drained = deliver(now=clock + timedelta(seconds=60))
    assert drained.sent == 6
    assert sink.message_ids() == {f"<outbox-{i}@onderwijsplatform.example>": 1 for i in ids}


def test_550_is_dead_lettered_at_once_without_retries(worker_app, sink):
    _point_at(worker_app, sink.port)
    sink.handler.rcpt_reply = "550 5.1.1 No such user"
    [outbox_id] = queue_messages(1)

    report = deliver()
    later = deliver(now=utcnow() + timedelta(days=2))

    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    assert later.attempted == 0
    row = _row(outbox_id)
    assert row.status is OutboxStatus.FAILED
    assert row.attempts == 1
    assert "550" in row.last_error
    assert sink.received == []


def test_temporary_failures_give_up_after_max_attempts(worker_app, sink):
    _point_at(worker_app, sink.port, OUTBOX_MAX_ATTEMPTS=3)
    sink.handler.data_replies = ["421 4.4.2 Timeout"] * 10
    [outbox_id] = queue_messages(1)
    clock = utcnow()
    for _ in range(3):
        deliver(now=clock)
        clock += timedelta(days=1)
    row = _row(outbox_id)
    assert row.status is OutboxStatus.FAILED
    assert row.attempts == 3
    assert row.last_error.startswith("gave up after 3 attempts")


def test_a_silent_server_is_given_up_on_within_the_timeout(worker_app, silent_server):
    _point_at(worker_app, silent_server, MAIL_TIMEOUT_SECONDS=2)
    [outbox_id] = queue_messages(1)

    started = time.monotonic()
    report = deliver()
    elapsed = time.monotonic() - started

    assert elapsed < 2 + 1, f"took {elapsed:.2f} s"
    assert report.relay_error
    assert report.attempted == 0
    row = _row(outbox_id)
    # The relay never answered, so the message was not charged an attempt.
    assert row.status is OutboxStatus.PENDING
    assert row.attempts == 0


def test_a_server_that_stalls_mid_message_times_out_and_is_retried(worker_app, sink):
    _point_at(worker_app, sink.port, MAIL_TIMEOUT_SECONDS=1)
    sink.handler.data_delay = 2.5
    [outbox_id] = queue_messages(1)

    started = time.monotonic()
    report = deliver(limit=1)
    elapsed = time.monotonic() - started

    assert elapsed < 1 + 1, f"took {elapsed:.2f} s"
    assert report.retrying == 1
    row = _row(outbox_id)
    assert row.status is OutboxStatus.PENDING
    assert row.attempts == 1
    assert "timed out" in row.last_error.lower() or "Disconnected" in row.last_error


def test_outage_with_200_queued_loses_nothing_and_sends_nothing_twice(worker_app):
    port = free_port()
    _point_at(worker_app, port, OUTBOX_RETRY_BASE_SECONDS=60)
    ids = queue_messages(200)
    clock = utcnow()
    # Ten simulated minutes of passes every 30 s while nothing listens on the port.
    for _ in range(20):
        report = deliver(now=clock)
        assert report.relay_error
        assert report.attempted == 0
        clock += timedelta(seconds=30)
    assert db.session.scalar(sa.select(sa.func.max(OutboxEmail.attempts))) == 0

    sink = Sink(port).start()
    try:
        report = deliver(now=clock)  # the first pass after recovery drains everything
    finally:
        sink.stop()

    assert report.sent == 200
    counts = sink.message_ids()
    expected = {f"<outbox-{i}@onderwijsplatform.example>" for i in ids}
    assert set(counts) == expected  # 0 lost
    assert max(counts.values()) == 1  # 0 duplicates


def test_sink_going_down_mid_batch_charges_one_message_and_stops(worker_app):
    sink = Sink().start()
    _point_at(worker_app, sink.port)
    ids = queue_messages(20)
    sink.stop()
    sink.start()
    deliver(limit=5)
    sink.stop()  # the next connection is refused
    report = deliver()
    assert report.relay_error
    assert report.attempted == 0
    sink.start()
    try:
        clock = utcnow() + timedelta(hours=1)
        while deliver(now=clock).attempted:
            pass
    finally:
        sink.stop()
    counts = sink.message_ids()
    assert len(counts) == len(ids)
    assert max(counts.values()) == 1


def test_ics_attachment_arrives_and_parses(worker_app, sink):
    _point_at(worker_app, sink.port)
    invite = ics.activity_invitation(
        "introduction-7@onderwijsplatform.example",
        date(2026, 3, 5),
        "Gastles CNC; draaien, frezen",
        "Regel 1\nRegel 2",
        "Techniekweg 1, Assen",
        "medewerker@sto.example",
        attendees=["docent@school.example"],
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    outbox.enqueue(
        "test_mail",
        to="docent@school.example",
        context={"requested_at": utcnow()},
        dedupe_key="ics:7",
        ics=invite,
    )
    db.session.commit()

    assert deliver().sent == 1

    message = sink.received[0].parsed()
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "introduction-7@onderwijsplatform.example"
    assert str(event["SUMMARY"]) == "Gastles CNC; draaien, frezen"
    assert event.decoded("DTSTART") == date(2026, 3, 5)
    assert event.decoded("DTEND") == date(2026, 3, 6)
    assert str(event["ORGANIZER"]) == "mailto:medewerker@sto.example"


def test_timed_invitation_is_in_utc():
    from zoneinfo import ZoneInfo

    start = datetime(2026, 3, 5, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    text = ics.activity_invitation("u1", start, "Bezoek", "", "", "a@school.example")
    assert "DTSTART:20260305T083000Z" in text
    assert "DTEND:20260305T093000Z" in text
    with pytest.raises(ValueError, match="timezone"):
        ics.activity_invitation(
            "u2",
            datetime(2026, 3, 5, 9),  # noqa: DTZ001 - naive on purpose
            "x",
            "",
            "",
            "a@school.example",
        )
    with pytest.raises(ValueError, match="address"):
        ics.activity_invitation("u3", date(2026, 3, 5), "x", "", "", "a@x.nl\r\nX: y")


def test_envelope_has_exactly_the_one_recipient(worker_app, sink):
    _point_at(worker_app, sink.port)
    queue_messages(1, to="een@school.example")
    deliver()
    [received] = sink.received
    assert received.rcpt_tos == ["een@school.example"]
    assert received.parsed()["Bcc"] is None
    assert received.parsed()["Cc"] is None


def test_nothing_is_sent_without_a_mail_server(worker_app, sink):
    _point_at(worker_app, sink.port)
    worker_app.config["MAIL_SERVER"] = None
    [outbox_id] = queue_messages(1)
    report = deliver()
    assert report.sending_disabled
    assert "MAIL_SERVER" in report.summary()
    assert _row(outbox_id).status is OutboxStatus.PENDING
    assert sink.received == []


def test_an_expired_lease_returns_the_message_and_a_live_one_is_left_alone(worker_app, sink):
    _point_at(worker_app, sink.port)
    stale, live = queue_messages(2)
    now = utcnow()
    for outbox_id, until in (
        (stale, now - timedelta(seconds=1)),
        (live, now + timedelta(minutes=5)),
    ):
        db.session.execute(
            sa.update(OutboxEmail)
            .where(OutboxEmail.id == outbox_id)
            .values(status=OutboxStatus.SENDING, attempts=1, locked_until=until)
        )
    db.session.commit()

    report = deliver()

    assert report.sent == 1
    assert list(sink.message_ids()) == [f"<outbox-{stale}@onderwijsplatform.example>"]
    assert _row(stale).status is OutboxStatus.SENT
    assert _row(stale).attempts == 2
    assert _row(live).status is OutboxStatus.SENDING


def test_a_message_that_kills_the_worker_every_time_is_given_up(worker_app, sink):
    _point_at(worker_app, sink.port, OUTBOX_MAX_ATTEMPTS=3)
    [outbox_id] = queue_messages(1)
    db.session.execute(
        sa.update(OutboxEmail).values(
            status=OutboxStatus.SENDING, attempts=3, locked_until=utcnow() - timedelta(seconds=1)
        )
    )
    db.session.commit()
    assert deliver().failed == 1
    assert _row(outbox_id).status is OutboxStatus.FAILED
    assert sink.received == []


def test_retry_puts_a_failed_message_back(worker_app, sink):
    _point_at(worker_app, sink.port)
    sink.handler.rcpt_reply = "550 5.1.1 No such user"
    [outbox_id] = queue_messages(1)
    deliver()
    sink.handler.rcpt_reply = None
    mailbox.retry(outbox_id)
    db.session.commit()
    assert deliver().sent == 1
    row = _row(outbox_id)
    assert row.status is OutboxStatus.SENT
    assert row.attempts == 1


# ----------------------------------------------------------------- the commands


def test_send_command_prints_a_summary(worker_app, sink):
    _point_at(worker_app, sink.port)
    queue_messages(3)
    result = worker_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 3, retrying 0, failed 0"


def test_send_command_exits_1_when_the_relay_is_down(worker_app):
    _point_at(worker_app, free_port())
    queue_messages(1)
    result = worker_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "relay unreachable" in result.output


def test_work_command_drains_and_stops_when_empty(worker_app, sink):
    _point_at(worker_app, sink.port)
    queue_messages(5)
    result = worker_app.test_cli_runner().invoke(
        args=["outbox", "work", "--interval", "0.05", "--until-empty"]
    )
    assert result.exit_code == 0, result.output
    assert "sent 5" in result.output
    assert "stopped after" in result.output
    assert len(sink.received) == 5


def test_work_command_refuses_to_idle_without_a_mail_server(worker_app):
    worker_app.config["MAIL_SERVER"] = None
    result = worker_app.test_cli_runner().invoke(args=["outbox", "work"])
    assert result.exit_code == 1
    assert "MAIL_SERVER" in result.output


def test_test_mail_command_queues_one_message(worker_app, sink):
    _point_at(worker_app, sink.port)
    runner = worker_app.test_cli_runner()
    result = runner.invoke(args=["outbox", "test-mail", "beheer@sto.example", "--language", "en"])
    assert result.exit_code == 0, result.output
    assert "Queued test message" in result.output
    assert runner.invoke(args=["outbox", "send"]).output.strip() == "sent 1, retrying 0, failed 0"
    assert sink.received[0].rcpt_tos == ["beheer@sto.example"]


@pytest.mark.parametrize("address", ["a@x.nl,b@y.nl", "a@x.nl\r\nBcc: b@y.nl", "nope"])
def test_test_mail_command_refuses_a_bad_address(worker_app, address):
    result = worker_app.test_cli_runner().invoke(args=["outbox", "test-mail", address])
    assert result.exit_code == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0
