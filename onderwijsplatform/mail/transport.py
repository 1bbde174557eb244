"""SMTP sending for the outbox worker: Flask-Mail messages over a connection with a timeout."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_mail import Connection, Message


class RelayUnavailable(Exception):
    """The SMTP relay could not be reached or refused the session (not the message's fault)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


@dataclass(frozen=True)
class SmtpSettings:
    """What the worker needs to reach the relay, read from the app config at send time."""

    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    timeout: float

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings:
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            timeout=float(config.get("MAIL_TIMEOUT_SECONDS") or 10),
        )


def sending_enabled() -> bool:
    """Sending is on exactly when ``MAIL_SERVER`` is set (no SMTP in development)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def sender_domain() -> str:
    """The domain of ``MAIL_DEFAULT_SENDER``, used to build deterministic Message-IDs."""
    _name, address = parseaddr(str(current_app.config.get("MAIL_DEFAULT_SENDER") or ""))
    domain = address.rpartition("@")[2].strip().lower()
    return domain or "localhost"


class _TimeoutConnection(Connection):
    # Flask-Mail 0.10 calls smtplib.SMTP(host, port) without a timeout and blocks forever
    # on a silent server (reliability MAIL-04); this connects with one, and verifies TLS.

    def __init__(self, settings: SmtpSettings) -> None:
        super().__init__(current_app.extensions["mail"])
        self.settings = settings

    def configure_host(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        host: smtplib.SMTP
        if s.use_ssl:
            host = smtplib.SMTP_SSL(s.server, s.port, timeout=s.timeout, context=context)
        else:
            host = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        try:
            if s.use_tls:
                # smtplib's default STARTTLS context does not check the certificate.
                host.starttls(context=context)
            if s.username and s.password:
                host.login(s.username, s.password)
        except BaseException:
            host.close()
            raise
        return host


class SmtpTransport:
    """One SMTP session, opened on demand and reused for the messages of a pass."""

    def __init__(self, settings: SmtpSettings | None = None) -> None:
        self.settings = settings or SmtpSettings.from_config(current_app.config)
        self._connection: _TimeoutConnection | None = None

    def open(self) -> None:
        """Connect (and log in) unless connected; raises RelayUnavailable on any failure."""
        if self._connection is not None:
            return
        connection = _TimeoutConnection(self.settings)
        try:
            connection.host = connection.configure_host()
        except Exception as exc:
            raise RelayUnavailable(exc) from exc
        self._connection = connection

    def send(self, message: Message) -> None:
        """Send one message; on any error the session is dropped so the next one starts clean."""
        self.open()
        connection = self._connection
        if connection is None:  # pragma: no cover - open() either connects or raises
            raise RelayUnavailable(RuntimeError("not connected"))
        try:
            connection.send(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """End the session politely, or just drop it when the server is gone."""
        connection, self._connection = self._connection, None
        if connection is None or connection.host is None:
            return
        try:
            connection.host.quit()
        except (smtplib.SMTPException, OSError):
            connection.host.close()

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def build_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    ics: str | None = None,
    headers: dict[str, str] | None = None,
) -> Message:
    """A multipart/alternative message (text + HTML) with an optional ``invite.ics``."""
    message = Message(
        subject=subject,
        recipients=[to],
        body=text,
        html=html,
        extra_headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    # A fixed Message-ID makes a resend after a crash recognisable as the same message.
    message.msgId = message_id
    if ics:
        # Flask-Mail splits the content type on "/" only, so the parameters ride along.
        message.attach(
            filename="invite.ics",
            content_type="text/calendar; charset=utf-8; method=REQUEST",
            data=ics.encode("utf-8"),
        )
    return message
