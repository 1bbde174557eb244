"""The email outbox: render and enqueue in the caller's transaction, deliver from a worker.

Every email is a row in ``outbox_email``, written in the same transaction as the change
that causes it, so it exists exactly when that change was committed (reliability REL-01).
The worker (``flask outbox send|work``) claims due rows one at a time, sends them over
SMTP with a timeout, and records the outcome. Delivery is at-least-once: a crash between
the relay's ``250`` and the commit that records it sends that message again once its lease
expires; the deterministic Message-ID makes such a duplicate recognisable.

A new email is a folder ``templates/email/<name>/`` with ``subject.txt``, ``body.txt`` and
``body.html``; the bodies extend ``email/_layout.txt`` and ``email/_layout.html`` (footer,
privacy link, opt-out) and build links with ``external_url(...)``, never ``url_for``.
Call ``enqueue("<name>", to=..., context=..., dedupe_key=...)`` in the service that makes
the change.
"""

from __future__ import annotations

import logging
import random
import re
import smtplib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import BadHeaderError
from sqlalchemy.exc import IntegrityError

from onderwijsplatform.extensions import db
from onderwijsplatform.links import external_url
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow
from onderwijsplatform.services.errors import InvalidTransition, NotFound
from onderwijsplatform.services.mail_transport import (
    RelayUnavailable,
    SmtpTransport,
    build_message,
    sender_domain,
    sending_enabled,
)

log = logging.getLogger(__name__)

SUBJECT_MAX = 300  # the column's length
ERROR_MAX = 1000  # the column's length
DEFAULT_LEASE_SECONDS = 300
DEFAULT_RETRY_CAP_SECONDS = 3600
MAX_ID = 2**31 - 1  # the id column is a 32-bit integer

_TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,60}")
# One bare address: RFC 5322 atext in the local part (minus "%", which only ever shows up
# in injection attempts such as "%0d%0a"), and a domain of at least two labels (IDN allowed).
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- enqueue


def validate_address(to: str) -> str:
    """Return ``to`` stripped if it is exactly one plain address; raise ValueError otherwise.

    Refuses CR/LF, commas, semicolons, display names and anything else that could smuggle
    a second recipient or a header into the message (reliability MAIL-01).
    """
    if not isinstance(to, str):
        raise ValueError("recipient must be a string")
    address = to.strip(" ")
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        raise ValueError(f"not exactly one valid email address: {to!r}")
    return address


def _clean_subject(rendered: str) -> str:
    # Collapsing all whitespace (CR, LF, U+2028, ...) to single spaces means user data in a
    # subject can never start a new header line.
    subject = " ".join(_CONTROL.sub("", rendered).split())
    return subject[:SUBJECT_MAX]


def _clean_body(rendered: str) -> str:
    # Templates leave trailing spaces and runs of blank lines around blocks; NUL would
    # make PostgreSQL refuse the row.
    lines = [
        line if line == "-- " else line.rstrip()  # "-- " is the signature delimiter
        for line in rendered.replace("\x00", "").splitlines()
    ]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


@dataclass(frozen=True)
class RenderedEmail:
    """Subject, text part and HTML part of one message, in one language."""

    subject: str
    text: str
    html: str


def render(
    template: str, context: Mapping[str, Any], *, language: str = "nl", transactional: bool = True
) -> RenderedEmail:
    """Render ``templates/email/<template>/{subject.txt,body.txt,body.html}`` in ``language``.

    Raises ValueError for an unknown template name shape or a non-transactional message
    without ``unsubscribe_url``; jinja2.TemplateNotFound when the folder is missing.
    """
    if not _TEMPLATE_NAME.fullmatch(template):
        raise ValueError(f"bad email template name: {template!r}")
    if not transactional and not context.get("unsubscribe_url"):
        raise ValueError("a non-transactional email needs an unsubscribe_url in its context")
    config = current_app.config
    if language not in config["LANGUAGES"]:
        language = config["BABEL_DEFAULT_LOCALE"]
    values = {"unsubscribe_url": None, **context, "transactional": transactional}
    # What the layout relies on comes last, so the caller's context cannot replace it.
    values.update(
        platform_name=config["PLATFORM_NAME"],
        region_name=config["REGION_NAME"],
        privacy_url=external_url("public.privacy"),
        home_url=external_url("public.home"),
        language=language,
        # Absolute links on PUBLIC_URL: url_for would give relative or request-host URLs.
        external_url=external_url,
    )
    folder = f"email/{template}"
    with force_locale(language):
        subject = render_template(f"{folder}/subject.txt", **values)
        text = render_template(f"{folder}/body.txt", **values)
        html = render_template(f"{folder}/body.html", **values)
    return RenderedEmail(
        subject=_clean_subject(subject),
        text=_clean_body(text),
        html=html.replace("\x00", ""),
    )


def enqueue(
    template: str,
    *,
    to: str,
    context: Mapping[str, Any],
    dedupe_key: str,
    language: str = "nl",
    ics: str | None = None,
    transactional: bool = True,
    now: datetime | None = None,
) -> OutboxEmail | None:
    """Render an email now and add it to the outbox in the caller's transaction.

    Returns the new row, or None when a row with ``dedupe_key`` already exists (a repeat is
    a no-op, also under a concurrent insert: the insert runs in a SAVEPOINT, so the
    caller's transaction survives the unique violation). Raises ValueError for a bad
    recipient, dedupe key or template name, and when a non-transactional message has no
    ``unsubscribe_url``. Flushes, never commits.
    """
    address = validate_address(to)
    config = current_app.config
    language = language if language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]
    if not dedupe_key or len(dedupe_key) > 200 or not dedupe_key.isprintable():
        raise ValueError("dedupe_key must be 1-200 printable characters")
    if _exists(dedupe_key):
        return None
    rendered = render(template, context, language=language, transactional=transactional)
    now = now or utcnow()
    row = OutboxEmail(
        dedupe_key=dedupe_key,
        template=template,
        to_addr=address,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        ics=ics,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # Lost a race with a concurrent insert of the same key: that row is the email.
        if _exists(dedupe_key):
            return None
        raise
    return row


def _exists(dedupe_key: str) -> bool:
    query = sa.select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key)
    return db.session.scalar(query) is not None


def enqueue_test_mail(to: str, *, language: str = "nl", now: datetime | None = None) -> OutboxEmail:
    """Queue a test message to ``to`` so an operator can check the SMTP settings.

    Every call queues a new message (its dedupe key is random). Raises ValueError for a bad
    address.
    """
    now = now or utcnow()
    row = enqueue(
        "test_mail",
        to=to,
        context={"requested_at": now},
        dedupe_key=f"test-mail:{uuid.uuid4().hex}",
        language=language,
        now=now,
    )
    if row is None:  # pragma: no cover - a fresh random key cannot collide
        raise RuntimeError("test mail dedupe key collided")
    return row


# --------------------------------------------------------------------------- delivery


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
        claimed = db.session.execute(
            sa.update(OutboxEmail)
            .where(OutboxEmail.id == row.id, due)
            .values(
                status=OutboxStatus.SENDING,
                attempts=OutboxEmail.attempts + 1,
                locked_until=now + timedelta(seconds=_lease_seconds()),
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            return _Claimed(
                id=row.id,
                to_addr=row.to_addr,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
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
    attempt; the next pass tries again. ``should_stop`` is asked before each claim, so a
    worker can stop cleanly after the current message. With sending off (no
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
        while claimed is not None:
            try:
                transport.open()
            except RelayUnavailable as exc:
                report.relay_error = describe(exc.cause)
                log.warning("outbox: SMTP relay unreachable: %s", report.relay_error)
                _release(claimed)
                commit()
                break
            _deliver_one(claimed, transport, clock, report)
            more = report.attempted < limit and not should_stop()
            claimed = _claim_next(clock()) if more else None
            commit()
    finally:
        if own_transport:
            transport.close()
    return report


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
        message = build_message(
            to=claimed.to_addr,
            subject=claimed.subject,
            text=claimed.body_text,
            html=claimed.body_html,
            message_id=message_id_for(claimed.id),
            ics=claimed.ics,
        )
        transport.send(message)
    except Exception as exc:
        _record_failure(claimed, exc, clock(), report)
        return
    _set(claimed.id, status=OutboxStatus.SENT, sent_at=clock(), last_error=None)
    report.sent += 1
    report.sent_ids.append(claimed.id)


# --------------------------------------------------------------------------- staff

# The staff view's filters; "pending" includes messages a worker is sending right now.
STATUS_FILTERS: dict[str, tuple[OutboxStatus, ...]] = {
    "pending": (OutboxStatus.PENDING, OutboxStatus.SENDING),
    "sent": (OutboxStatus.SENT,),
    "failed": (OutboxStatus.FAILED,),
}


def retry(message_id: int, *, now: datetime | None = None) -> OutboxEmail:
    """Put a failed message back in the queue with a fresh set of attempts.

    Raises NotFound for an unknown id and InvalidTransition when it has not failed.
    """
    row = get_message(message_id)
    if row.status != OutboxStatus.FAILED:
        raise InvalidTransition("only a failed message can be retried")
    row.status = OutboxStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = now or utcnow()
    row.locked_until = None
    db.session.flush()
    return row


def backlog() -> int:
    """How many messages still wait for delivery (pending or being sent)."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(OutboxEmail.status.in_(STATUS_FILTERS["pending"]))
    )


def get_message(message_id: int) -> OutboxEmail:
    """One outbox row; raises NotFound."""
    if not 0 < message_id <= MAX_ID:
        # PostgreSQL would refuse an id beyond its integer range with an error, not a miss.
        raise NotFound()
    row = db.session.get(OutboxEmail, message_id)
    if row is None:
        raise NotFound()
    return row


@dataclass(frozen=True)
class MailOverview:
    """One page of the staff mail list, with the counts per filter and the backlog age."""

    messages: list[OutboxEmail]
    counts: dict[str, int]
    oldest_pending_at: datetime | None
    page: int
    pages: int


def overview(status: str | None, *, page: int = 1, per_page: int = 50) -> MailOverview:
    """Newest first, filtered by ``status`` (pending, sent, failed or None for all)."""
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for state, number in db.session.execute(
        sa.select(OutboxEmail.status, sa.func.count()).group_by(OutboxEmail.status)
    ):
        for name, states in STATUS_FILTERS.items():
            if state in states:
                counts[name] += number
    query = sa.select(OutboxEmail)
    if status in STATUS_FILTERS:
        query = query.where(OutboxEmail.status.in_(STATUS_FILTERS[status]))
        total = counts[status]
    else:
        total = sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    messages = list(
        db.session.scalars(
            query.order_by(OutboxEmail.id.desc()).limit(per_page).offset((page - 1) * per_page)
        )
    )
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxEmail.created_at)).where(
            OutboxEmail.status.in_(STATUS_FILTERS["pending"])
        )
    )
    return MailOverview(
        messages=messages, counts=counts, oldest_pending_at=oldest, page=page, pages=pages
    )
