"""Outbox delivery: claim due rows, send them over SMTP, record the outcome with backoff.

Called by the worker (``flask outbox send|work``) through ``deliver_due``; the
caller passes the ``commit`` callback, this module never commits by itself.
"""

from __future__ import annotations

import logging
import random
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy.engine import CursorResult

from onderwijsplatform.extensions import db
from onderwijsplatform.mail import masking
from onderwijsplatform.mail.transport import (
    RelayUnavailable,
    SmtpTransport,
    build_message,
    sender_domain,
    sending_enabled,
)
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow
from onderwijsplatform.sealed import CannotUnseal

log = logging.getLogger(__name__)

ERROR_MAX = 1000  # the column's length
DEFAULT_LEASE_SECONDS = 300
DEFAULT_RETRY_CAP_SECONDS = 3600
# This many different messages deferred (4xx) in a row in one pass: the relay itself is
# deferring (throttled, or its own upstream is down), not the recipients' servers.
RELAY_DEFERRAL_RUN = 3


def message_id_for(outbox_id: int) -> str:
    """The deterministic Message-ID of an outbox row: every resend carries the same one."""
    return f"<outbox-{outbox_id}@{sender_domain()}>"


def backoff_seconds(
    attempts: int,
    *,
    base: float,
    cap: float = DEFAULT_RETRY_CAP_SECONDS,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: ``min(cap, base·2^(n-1))``.

    With ±20 % jitter, so workers that failed together do not retry in lockstep, while the
    first retry still waits about ``base`` and each next one longer (full jitter would
    allow a retry right away).
    """
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return delay * (0.8 + 0.4 * rng())


def is_permanent(exc: BaseException) -> bool:
    """True when retrying cannot help: a 5xx reply, or a message we cannot even build.

    4xx replies, refused or dropped connections and timeouts are temporary.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    # Other SMTP and socket errors are temporary; anything else (BadHeaderError, encoding
    # errors, template bugs) fails the same way every time.
    return not isinstance(exc, smtplib.SMTPException | OSError)


def describe(exc: BaseException) -> str:
    """A one-line, length-limited description of a delivery error for ``last_error``."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_decode(msg)}" for code, msg in exc.recipients.values())
        text = f"recipient refused: {text}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"{type(exc).__name__}: {exc.smtp_code} {_decode(exc.smtp_error)}"
    elif isinstance(exc, BadHeaderError):
        text = "BadHeaderError: a header contains a line break"
    elif isinstance(exc, CannotUnseal):
        text = "the links of this message were sealed under another FLASK_SECRET_KEY"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:ERROR_MAX]


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    sending_disabled: bool = False
    relay_error: str | None = None
    sent_ids: list[int] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def summary(self) -> str:
        if self.sending_disabled:
            return "Sending is off (MAIL_SERVER is not set): messages stay in the outbox."
        line = f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}"
        if self.relay_error:
            line += f"; relay unreachable, stopped: {self.relay_error}"
        return line


@dataclass(frozen=True)
class _Claimed:
    # A snapshot taken before the claim is committed, so sending needs no reload.
    id: int
    to_addr: str
    subject: str
    body_text: str
    body_html: str
    sealed_links: str | None
    ics: str | None
    attempts: int
    reclaimed: bool


def _due(now: datetime) -> sa.ColumnElement[bool]:
    # Pending rows whose time has come, and rows whose worker died: their lease ran out.
    return sa.or_(
        sa.and_(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now),
        sa.and_(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.locked_until < now),
    )


def _lease_seconds() -> float:
    config = current_app.config
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 10)
    configured = config.get("OUTBOX_LEASE_SECONDS")
    # A lease shorter than one send would let a second worker resend a live message.
    return float(configured) if configured else max(DEFAULT_LEASE_SECONDS, 6 * timeout)


def _claim_next(now: datetime) -> _Claimed | None:
    """Take the oldest due row: SENDING, one more attempt, leased. Flushes, never commits."""
    due = _due(now)
    while True:
        # SKIP LOCKED lets several PostgreSQL workers pass each other; SQLite leaves
        # FOR UPDATE out, and the compare-and-set below keeps two claims apart there.
        row = db.session.scalars(
            sa.select(OutboxEmail)
            .where(due)
            .order_by(OutboxEmail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        claimed = cast(
            CursorResult[Any],
            db.session.execute(
                sa.update(OutboxEmail)
                .where(OutboxEmail.id == row.id, due)
                .values(
                    status=OutboxStatus.SENDING,
                    attempts=OutboxEmail.attempts + 1,
                    locked_until=now + timedelta(seconds=_lease_seconds()),
                )
                .execution_options(synchronize_session=False)
            ),
        )
        if claimed.rowcount == 1:
            return _Claimed(
                id=row.id,
                to_addr=row.to_addr,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
                sealed_links=row.sealed_links,
                ics=row.ics,
                attempts=row.attempts + 1,
                reclaimed=row.status == OutboxStatus.SENDING,
            )
        db.session.expire(row)


def _set(outbox_id: int, **values: Any) -> None:
    db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id == outbox_id)
        .values(locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def _record_failure(
    claimed: _Claimed, exc: BaseException, now: datetime, report: DeliveryReport
) -> None:
    config = current_app.config
    max_attempts = int(config["OUTBOX_MAX_ATTEMPTS"])
    error = describe(exc)
    if is_permanent(exc):
        log.warning("outbox %s dead-lettered: %s", claimed.id, error)
        _set(claimed.id, status=OutboxStatus.FAILED, last_error=error)
        report.failed += 1
    elif claimed.attempts >= max_attempts:
        log.warning("outbox %s gave up after %s attempts: %s", claimed.id, max_attempts, error)
        error = f"gave up after {claimed.attempts} attempts: {error}"[:ERROR_MAX]
        _set(claimed.id, status=OutboxStatus.FAILED, last_error=error)
        report.failed += 1
    else:
        delay = backoff_seconds(
            claimed.attempts,
            base=float(config["OUTBOX_RETRY_BASE_SECONDS"]),
            cap=float(config.get("OUTBOX_RETRY_CAP_SECONDS") or DEFAULT_RETRY_CAP_SECONDS),
        )
        log.info("outbox %s will be retried in %.0f s: %s", claimed.id, delay, error)
        _set(
            claimed.id,
            status=OutboxStatus.PENDING,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=error,
        )
        report.retrying += 1


def deliver_due(
    limit: int,
    now: datetime | None = None,
    *,
    commit: Callable[[], None],
    transport: SmtpTransport | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send up to ``limit`` due messages, one unit of work per message.

    A claim must be durable before the SMTP conversation starts (so other workers skip the
    message and a crash is recoverable), and an outcome as soon as it is known, so the
    caller passes ``commit`` and this function calls it at those boundaries. To halve the
    number of commits, the outcome of one message is committed together with the claim of
    the next. With ``now`` the clock is fixed (tests, benchmarks).

    When the relay cannot be reached the pass stops without charging the message an
    attempt; the next pass tries again. When it defers ``RELAY_DEFERRAL_RUN`` messages in
    a row, those are not charged either and come back after the base delay, so a long
    deferral does not push the backlog into long backoffs. ``should_stop`` is asked
    before each claim, so a worker can stop cleanly after the current message. With sending off (no
    ``MAIL_SERVER``) nothing is touched.
    """
    report = DeliveryReport()
    if not sending_enabled():
        report.sending_disabled = True
        return report
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    own_transport = transport is None
    transport = transport or SmtpTransport()
    try:
        claimed = None if should_stop() else _claim_next(clock())
        # Always commit, also after an empty claim: an idle worker must hold no transaction.
        commit()
        deferred: list[_Claimed] = []
        while claimed is not None:
            try:
                transport.open()
            except RelayUnavailable as exc:
                report.relay_error = describe(exc.cause)
                log.warning("outbox: SMTP relay unreachable: %s", report.relay_error)
                _release(claimed)
                commit()
                break
            retrying = report.retrying
            _deliver_one(claimed, transport, clock, report)
            deferred = [*deferred, claimed] if report.retrying > retrying else []
            if len(deferred) >= RELAY_DEFERRAL_RUN:
                report.relay_error = "the relay defers every message"
                log.warning("outbox: %s; pass stopped", report.relay_error)
                _forgive(deferred, clock())
                commit()
                break
            more = report.attempted < limit and not should_stop()
            claimed = _claim_next(clock()) if more else None
            commit()
    finally:
        if own_transport:
            transport.close()
    return report


def _forgive(deferred: list[_Claimed], now: datetime) -> None:
    # The relay, not these messages, was the problem: take the attempts back and try
    # again after the base delay instead of an ever longer backoff.
    delay = timedelta(seconds=float(current_app.config["OUTBOX_RETRY_BASE_SECONDS"]))
    for claimed in deferred:
        _set(claimed.id, attempts=claimed.attempts - 1, next_attempt_at=now + delay)


def _release(claimed: _Claimed) -> None:
    # The relay was down before the message was offered: not the message's fault, so the
    # attempt does not count and it stays due.
    _set(claimed.id, status=OutboxStatus.PENDING, attempts=claimed.attempts - 1)


def _deliver_one(
    claimed: _Claimed,
    transport: SmtpTransport,
    clock: Callable[[], datetime],
    report: DeliveryReport,
) -> None:
    """Send one claimed message and record the outcome (flushes)."""
    max_attempts = int(current_app.config["OUTBOX_MAX_ATTEMPTS"])
    if claimed.reclaimed and claimed.attempts > max_attempts:
        # The worker died while sending this message on every attempt: stop trying.
        _set(
            claimed.id,
            status=OutboxStatus.FAILED,
            last_error=f"gave up: the worker stopped while sending it {max_attempts} times",
        )
        report.failed += 1
        return
    try:
        # The real links exist only here, in memory, for the SMTP conversation.
        message = build_message(
            to=claimed.to_addr,
            subject=masking.unmask(claimed.subject, claimed.sealed_links),
            text=masking.unmask(claimed.body_text, claimed.sealed_links),
            html=masking.unmask(claimed.body_html, claimed.sealed_links),
            message_id=message_id_for(claimed.id),
            ics=claimed.ics,
        )
        transport.send(message)
    except Exception as exc:
        _record_failure(claimed, exc, clock(), report)
        return
    # Sent: the links have done their job here, and nothing can put them back now.
    _set(claimed.id, status=OutboxStatus.SENT, sent_at=clock(), last_error=None, sealed_links=None)
    report.sent += 1
    report.sent_ids.append(claimed.id)
