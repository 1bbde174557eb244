"""``flask outbox send|work|test-mail``: deliver the email outbox and check the SMTP settings."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from onderwijsplatform.extensions import db
from onderwijsplatform.transaction import unit_of_work

log = logging.getLogger(__name__)


@click.group("outbox")
def outbox_group() -> None:
    """Deliver queued email and check the SMTP settings."""


@outbox_group.command("send")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Send at most this many messages in this run.",
)
@with_appcontext
def send_command(limit: int) -> None:
    """One pass over the due messages (for cron or a systemd timer); exit 1 if SMTP is down."""
    from onderwijsplatform.mail import delivery

    report = delivery.deliver_due(limit, commit=db.session.commit)
    click.echo(report.summary())
    if report.relay_error:
        raise SystemExit(1)


class _StopFlag:
    # The first SIGTERM/SIGINT asks for a clean stop after the current message; a second
    # SIGINT (Ctrl-C twice) stops at once, and the lease returns that message to the queue.

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.event.set()

    def is_set(self) -> bool:
        return self.event.is_set()


@outbox_group.command("work")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=None,
    help="Seconds between passes when the queue is idle [default: OUTBOX_WORK_INTERVAL_SECONDS].",
)
@click.option(
    "--until-empty",
    is_flag=True,
    help="Stop once no message is pending or being sent (for tests and one-off drains).",
)
@with_appcontext
def work_command(interval: float | None, until_empty: bool) -> None:
    """Deliver continuously; SIGTERM or Ctrl-C stops cleanly after the current message."""
    from onderwijsplatform.mail import delivery, mailbox

    config = current_app.config
    interval = interval if interval is not None else float(config["OUTBOX_WORK_INTERVAL_SECONDS"])
    batch = int(config["OUTBOX_BATCH_SIZE"])
    stop = _StopFlag()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    totals = delivery.DeliveryReport()
    passes = 0
    click.echo(f"outbox worker started (interval {interval:g} s, batch {batch})")
    try:
        while not stop.is_set():
            passes += 1
            try:
                report = delivery.deliver_due(
                    batch, commit=db.session.commit, should_stop=stop.is_set
                )
                remaining = mailbox.backlog() if until_empty else None
                db.session.commit()
            except DBAPIError as exc:
                # The database went away (restart, failover): keep the worker alive and try
                # again; pool_pre_ping gives the next pass a fresh connection.
                db.session.rollback()
                log.warning("outbox worker: database error, retrying: %s", exc)
                click.echo(f"database error, retrying in {interval:g} s", err=True)
                stop.event.wait(interval)
                continue
            totals.sent += report.sent
            totals.retrying += report.retrying
            totals.failed += report.failed
            if report.attempted or report.relay_error or report.sending_disabled:
                click.echo(report.summary())
            if report.sending_disabled:
                # A worker without SMTP settings would idle forever; make the mistake loud.
                raise SystemExit(1)
            if until_empty and remaining == 0:
                break
            if report.attempted < batch or report.relay_error:
                stop.event.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(
        f"outbox worker stopped after {passes} passes: sent {totals.sent}, "
        f"retrying {totals.retrying}, failed {totals.failed}"
    )


@outbox_group.command("mask-stored")
@with_appcontext
def mask_stored_command() -> None:
    """Mask the sign-in links in emails stored before this version (run once after upgrading)."""
    from onderwijsplatform.mail import mailbox

    with unit_of_work():
        count = mailbox.mask_stored()
    click.echo(f"masked the links of {count} stored emails")


@outbox_group.command("test-mail")
@click.argument("address")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@with_appcontext
def test_mail_command(address: str, language: str) -> None:
    """Queue a test message to ADDRESS; the next `outbox send` or worker pass sends it."""
    from onderwijsplatform.mail import outbox, transport

    try:
        with unit_of_work():
            row = outbox.enqueue_test_mail(address, language=language)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ADDRESS") from exc
    if transport.sending_enabled():
        click.echo(f"Queued test message {row.id} to {row.to_addr}; run `flask outbox send`.")
    else:
        click.echo(
            f"Queued test message {row.id} to {row.to_addr}; MAIL_SERVER is not set, so it "
            "is not sent: read it on /staff/mail."
        )
