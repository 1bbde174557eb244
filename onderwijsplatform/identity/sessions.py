"""Sessions: starting and ending them, their time limits, and the company's link session.

The web edge of identity: the only module besides the views that reads and writes
``flask.session``. Coordinators and staff sign in through Flask-Login (the cookie carries
a rotating token, not the id); a company contact gets a short session scoped to one
organisation from an emailed link, without an account.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import (
    Flask,
    after_this_request,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from onderwijsplatform.extensions import db, login_manager
from onderwijsplatform.models import Contact, User, utcnow

# Coordinators: 8 h idle (PERMANENT_SESSION_LIFETIME) and 7 days absolute (SESS-04).
ABSOLUTE_SESSION_LIMIT = timedelta(days=7)
# Staff: 30 minutes idle, 12 hours in all (SESS-04).
STAFF_IDLE_LIMIT = timedelta(minutes=30)
STAFF_ABSOLUTE_LIMIT = timedelta(hours=12)
# A company contact's session from a self-service link.
COMPANY_SESSION_LIFETIME = timedelta(minutes=60)

_COMPANY_KEY = "self_service"
_PENDING_USER, _PENDING_SINCE = "2fa_user", "2fa_started"
# A browser that signed in to an account before: the account-wide limit on wrong
# passwords does not apply to it, so strangers cannot lock the owner out.
DEVICE_COOKIE = "known_device"
DEVICE_COOKIE_LIFETIME = timedelta(days=365)
_DEVICE_ACCOUNTS = 5


def start(user: User, now: datetime | None = None) -> None:
    """A fresh signed-in session for ``user`` (no fixation); only the language survives."""
    now = now or utcnow()
    language = session.get("lang") or (None if user.is_staff else user.language)
    session.clear()
    login_user(user)
    # Flask-WTF caches the old session's token in g; pages rendered next need a new one.
    g.pop("csrf_token", None)
    if language:
        session["lang"] = language
    if user.is_staff:
        session["staff_auth_at"] = now.isoformat()
        session["staff_seen_at"] = now.isoformat()
    else:
        session.permanent = True
        session["login_at"] = now.isoformat()
    _remember_device(user.email)


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _account_digest(email: str) -> str:
    # Keyed with the secret, so the cookie does not show which accounts it names.
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    message = b"device:" + email.strip().lower().encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def _device_accounts() -> list[str]:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        value = _device_serializer().loads(raw)
    except BadSignature:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def known_device(email: str) -> bool:
    """True when this browser signed in to the account with ``email`` before."""
    return bool(email) and _account_digest(email) in _device_accounts()


def _remember_device(email: str) -> None:
    digest = _account_digest(email)
    accounts = [digest, *(item for item in _device_accounts() if item != digest)]
    value = _device_serializer().dumps(accounts[:_DEVICE_ACCOUNTS])

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()),
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
            httponly=True,
            samesite="Lax",
        )
        return response


def end() -> None:
    """Sign out and forget everything in the session."""
    logout_user()
    session.clear()


def await_second_factor(user: User, now: datetime | None = None) -> None:
    """Remember that ``user``'s password was right; the second factor decides."""
    session.clear()
    session[_PENDING_USER] = user.session_token
    session[_PENDING_SINCE] = (now or utcnow()).isoformat()


def pending_second_factor() -> tuple[str | None, str | None]:
    """The session token and start time of a sign-in waiting for its second factor."""
    return session.get(_PENDING_USER), session.get(_PENDING_SINCE)


def forget_second_factor() -> None:
    session.pop(_PENDING_USER, None)
    session.pop(_PENDING_SINCE, None)


def pending_key() -> str:
    """The rate-limit key of the sign-in waiting for its second factor, from this address."""
    return f"2fa:{session.get(_PENDING_USER, '')}|{request.remote_addr}"


def pending_account_key() -> str:
    """The rate-limit key of the account waiting for its second factor, from anywhere."""
    return "2fa-account:" + str(session.get(_PENDING_USER, ""))


def pending_on_known_device() -> bool:
    """True when the account waiting for its second factor signed in from this browser before."""
    token = session.get(_PENDING_USER)
    if not token:
        return False
    email = db.session.scalar(sa.select(User.email).where(User.session_token == token))
    return email is not None and known_device(email)


@dataclass(frozen=True)
class CompanyScope:
    """What a company contact's link session allows: one organisation, as one contact."""

    organisation_id: int
    contact_id: int


def start_company_session(contact: Contact, now: datetime) -> None:
    """A short session scoped to one organisation; not a Flask-Login login."""
    session[_COMPANY_KEY] = {
        "org": contact.organisation_id,
        "contact": contact.id,
        "until": (now + COMPANY_SESSION_LIFETIME).timestamp(),
    }


def company_scope(now: datetime) -> CompanyScope | None:
    """The live company session's scope, or None (an expired one is forgotten)."""
    scope = session.get(_COMPANY_KEY)
    try:
        if isinstance(scope, dict) and scope["until"] >= now.timestamp():
            return CompanyScope(int(scope["org"]), int(scope["contact"]))
    except (KeyError, TypeError, ValueError):
        pass
    end_company_session()
    return None


def end_company_session() -> None:
    session.pop(_COMPANY_KEY, None)


def _load_user(session_token: str) -> User | None:
    # The cookie carries a rotating token, not the id, so revoking it ends every session.
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.is_active.is_(True))
    )


def _unauthorized() -> Response:
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def _expired(started: str | None, seen: str | None, now: datetime) -> bool:
    if not started:
        return False
    try:
        if current_user.is_staff:
            return (
                now - datetime.fromisoformat(started) > STAFF_ABSOLUTE_LIMIT
                or now - datetime.fromisoformat(seen or started) > STAFF_IDLE_LIMIT
            )
        return now - datetime.fromisoformat(started) > ABSOLUTE_SESSION_LIMIT
    except (TypeError, ValueError):
        return True


def _enforce_limits() -> Response | None:
    if request.endpoint in (None, "static", "bootstrap.static"):
        return None
    if not current_user.is_authenticated:
        return None
    now = utcnow()
    if current_user.is_staff:
        started, seen = session.get("staff_auth_at"), session.get("staff_seen_at")
    else:
        started, seen = session.get("login_at"), None
    if _expired(started, seen, now):
        staff = current_user.is_staff
        end()
        if staff:
            flash(_("Uw sessie is verlopen. Log opnieuw in."), "warning")
        return redirect(url_for("auth.login"))
    if current_user.is_staff:
        # A session begun elsewhere (tests, older logins) starts its clocks now.
        session.setdefault("staff_auth_at", now.isoformat())
        session["staff_seen_at"] = now.isoformat()
    return None


def session_identifier() -> str:
    """What binds a signed-in session to its browser: the client address and user agent.

    Flask-Login's own identifier reads X-Forwarded-For, which any client can send: a
    stolen cookie plus a forged header would pass. ``request.remote_addr`` is the
    address the server saw, or what the configured number of trusted proxies reported
    (``FLASK_PROXY_HOPS``, Werkzeug's ProxyFix), never a header the client chose.
    """
    agent = request.headers.get("User-Agent", "")
    text = f"{request.remote_addr or ''}|{agent}"
    return hashlib.sha512(text.encode("utf-8", "replace")).hexdigest()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager._session_identifier_generator = session_identifier
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "strong"
    app.before_request(_enforce_limits)
