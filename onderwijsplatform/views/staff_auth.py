"""Staff sign-in: the second factor after the password, enrolment by link, session limits."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from onderwijsplatform.extensions import db, limiter
from onderwijsplatform.forms.staff import EnrolForm, SecondFactorForm
from onderwijsplatform.forms.text import PASSWORD_LENGTH
from onderwijsplatform.models import utcnow
from onderwijsplatform.security import is_safe_next
from onderwijsplatform.services import staff_accounts, totp
from onderwijsplatform.services.errors import InvalidToken, NotFound, ValidationFailed

bp = Blueprint("staff_auth", __name__)

IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)


def _login_page():
    if "auth.login" in current_app.view_functions:
        return redirect(url_for("auth.login"))
    return redirect(url_for("public.home"))


def _start_staff_session(user, now: datetime) -> None:
    # A fresh session (no fixation); only the chosen language survives.
    language = session.get("lang")
    session.clear()
    login_user(user)
    if language:
        session["lang"] = language
    # Flask-WTF caches the token of the old session in g; pages rendered next need a new one.
    g.pop("csrf_token", None)
    session["staff_auth_at"] = now.isoformat()
    session["staff_seen_at"] = now.isoformat()


@bp.before_app_request
def enforce_staff_session_limits():
    """Staff sessions end after 30 minutes idle or 12 hours in all (SESS-04)."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return None
    now = utcnow()
    started, seen = session.get("staff_auth_at"), session.get("staff_seen_at")
    try:
        expired = started and (
            now - datetime.fromisoformat(started) > ABSOLUTE_LIMIT
            or now - datetime.fromisoformat(seen or started) > IDLE_LIMIT
        )
    except (TypeError, ValueError):
        expired = True
    if expired:
        logout_user()
        session.clear()
        flash(_("Uw sessie is verlopen. Log opnieuw in."), "warning")
        return _login_page()
    # A session begun elsewhere (tests, older logins) starts its clocks now.
    session.setdefault("staff_auth_at", now.isoformat())
    session["staff_seen_at"] = now.isoformat()
    return None


def _pending_key() -> str:
    return "2fa:" + str(session.get("2fa_user", ""))


@bp.route("/inloggen/tweede-stap", methods=["GET", "POST"])
@limiter.limit("5 per 5 minutes", key_func=_pending_key, methods=["POST"])
def second_factor():
    now = utcnow()
    try:
        user = staff_accounts.pending_user(session.get("2fa_user"), session.get("2fa_started"), now)
    except NotFound:
        session.pop("2fa_user", None)
        session.pop("2fa_started", None)
        flash(_("Log opnieuw in: de inlogpoging is verlopen."), "warning")
        return _login_page()
    form = SecondFactorForm()
    if form.validate_on_submit():
        if staff_accounts.second_factor(user, form.code.data, now):
            db.session.commit()
            target = request.args.get("next")
            _start_staff_session(user, now)
            return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))
        db.session.commit()  # a used-up code stays used
        form.code.errors.append(_("Deze code klopt niet of is al gebruikt."))
    return render_template("staff_auth/second_factor.html", form=form), (
        422 if form.errors else 200
    )


def _enrol_secret(token_raw: str) -> str:
    # The secret is shown to the person enrolling anyway; it lives in their session
    # until the code proves their app has it.
    key = "enrol_secret"
    stored = session.get(key)
    if not stored or stored.get("t") != token_raw[:12]:
        stored = {"t": token_raw[:12], "s": totp.new_secret()}
        session[key] = stored
    return stored["s"]


@bp.route("/staff/aanmelden/<token>", methods=["GET", "POST"])
def enrol(token: str):
    now = utcnow()
    try:
        user = staff_accounts.enrolment_user(token, now)
    except (InvalidToken, NotFound):
        return render_template("staff_auth/link_invalid.html"), 404
    secret = _enrol_secret(token)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            user, codes = staff_accounts.complete_enrolment(
                token, password=form.password.data, secret=secret, code=form.code.data, now=now
            )
        except ValidationFailed as exc:
            db.session.rollback()
            if exc.field == "code":
                form.code.errors.append(_("Deze code klopt niet. Probeer de nieuwste code."))
            else:
                form.password.errors.append(str(PASSWORD_LENGTH))
        except InvalidToken:
            db.session.rollback()
            abort(404)
        else:
            db.session.commit()
            _start_staff_session(user, now)
            return render_template("staff_auth/recovery_codes.html", codes=codes)
    uri = totp.provisioning_uri(user.email, secret)
    return render_template(
        "staff_auth/enrol.html", form=form, user=user, secret=secret, qr=totp.qr_svg(uri)
    ), (422 if form.errors else 200)
