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
the change. Links that carry a token are stored masked and sealed (``mail.masking``).

This module renders and enqueues; delivery lives in ``mail.delivery`` and the staff
mail view's queries in ``mail.mailbox``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from onderwijsplatform.extensions import db
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import masking
from onderwijsplatform.models import OutboxEmail, OutboxStatus, utcnow

SUBJECT_MAX = 300  # the column's length

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
    # Links that sign someone in are stored masked and sealed (reliability: issue 16 item 1).
    masked = masking.mask(rendered.subject, rendered.text, rendered.html)
    now = now or utcnow()
    row = OutboxEmail(
        dedupe_key=dedupe_key,
        template=template,
        to_addr=address,
        language=language,
        subject=masked.subject,
        body_text=masked.text,
        body_html=masked.html,
        sealed_links=masked.sealed_links,
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
