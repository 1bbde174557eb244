"""Signing in and out: password, invitation, password reset and one-time login links."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from onderwijsplatform.extensions import db, limiter
from onderwijsplatform.forms.auth import ConfirmForm, EmailOnlyForm, LoginForm, SetPasswordForm
from onderwijsplatform.forms.text import normalise_email
from onderwijsplatform.models import Role, TokenPurpose, User, utcnow
from onderwijsplatform.security import is_safe_next
from onderwijsplatform.services import accounts
from onderwijsplatform.services.errors import InvalidToken

bp = Blueprint("auth", __name__)

# Coordinators: 8 h idle (PERMANENT_SESSION_LIFETIME) and 7 days absolute (SESS-04).
ABSOLUTE_SESSION_LIMIT = timedelta(days=7)
TOKEN_MAX = 100


def _account_key() -> str:
    # Per account, whatever the IP: spreading guesses over many addresses does not help.
    return "account:" + normalise_email(request.form.get("email", ""))[:320].lower()


def _global_key() -> str:
    return "everyone"


# Escalating windows give a backoff: a few quick tries, then fewer per hour and per day.
login_per_ip = limiter.limit("20 per 5 minutes;60 per hour", methods=["POST"])
login_per_account = limiter.limit(
    "5 per 5 minutes;10 per hour;30 per day", key_func=_account_key, methods=["POST"]
)
link_per_ip = limiter.limit("10 per 5 minutes", key_func=get_remote_address, methods=["POST"])
link_per_address = limiter.limit("3 per hour;10 per day", key_func=_account_key, methods=["POST"])
link_global = limiter.limit("300 per hour", key_func=_global_key, methods=["POST"])


def _start_session(user: User) -> None:
    """A fresh session (no fixation), permanent so the idle limit applies."""
    language = session.get("lang") or user.language
    session.clear()
    login_user(user)
    session.permanent = True
    session["login_at"] = utcnow().isoformat()
    session["lang"] = language


def _token_page(template: str, **values):
    response = current_app.make_response(render_template(template, **values))
    # The token is in the URL: never leak it to another site (AUTH-02).
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _default_target(user: User) -> str:
    if user.role == Role.COORDINATOR and "coordinator.requests" in current_app.view_functions:
        return url_for("coordinator.requests")
    return url_for("public.home")


@bp.before_app_request
def _enforce_absolute_limit():
    if request.endpoint in (None, "static", "bootstrap.static"):
        return None
    started = session.get("login_at")
    if not started or not current_user.is_authenticated:
        return None
    try:
        expired = utcnow() - datetime.fromisoformat(started) > ABSOLUTE_SESSION_LIMIT
    except (TypeError, ValueError):
        expired = True
    if expired:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    return None


@bp.route("/inloggen", methods=["GET", "POST"])
@login_per_ip
@login_per_account
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_default_target(current_user))
    if form.validate_on_submit():
        user = accounts.authenticate(normalise_email(form.email.data), form.password.data)
        if user is None:
            form.password.errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
        elif user.is_staff:
            return _second_factor(user)
        else:
            accounts.record_login(user)
            db.session.commit()
            _start_session(user)
            target = form.next.data
            return redirect(target if is_safe_next(target) else _default_target(user))
    return render_template("auth/login.html", form=form)


def _second_factor(user: User):
    """Staff contract: the password was right; the second factor decides (another feature)."""
    session.clear()
    session["2fa_user"] = user.session_token
    session["2fa_started"] = utcnow().isoformat()
    if "staff_auth.second_factor" in current_app.view_functions:
        return redirect(url_for("staff_auth.second_factor"))
    form = LoginForm()
    flash(
        _("Inloggen voor medewerkers vraagt een tweede stap die nog niet beschikbaar is."),
        "warning",
    )
    return render_template("auth/login.html", form=form)


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"))


def _link_request(template: str, send) -> object:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        send(form.email.data)
        db.session.commit()
        # The same page for known and unknown addresses (AUTH-03).
        return render_template("auth/link_sent.html")
    return render_template(template, form=form)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@link_per_ip
@link_per_address
@link_global
def forgot_password():
    return _link_request("auth/forgot_password.html", accounts.request_password_reset)


@bp.route("/inloglink", methods=["GET", "POST"])
@link_per_ip
@link_per_address
@link_global
def request_login_link():
    return _link_request("auth/request_login_link.html", accounts.request_login_link)


def _peek(purpose: TokenPurpose, token: str) -> User | None:
    if len(token) > TOKEN_MAX:
        return None
    try:
        return accounts.peek_link(purpose, token)
    except InvalidToken:
        return None


def _set_password_page(purpose: TokenPurpose, token: str, template: str, sign_in: bool):
    user = _peek(purpose, token)
    if user is None:
        return _token_page("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_password_with_link(purpose, token, form.password.data)
        except InvalidToken:
            db.session.rollback()
            return _token_page("auth/link_invalid.html"), 404
        db.session.commit()
        if sign_in and not user.is_staff:
            _start_session(user)
            flash(_("Welkom! Uw wachtwoord is ingesteld."), "success")
            return redirect(_default_target(user))
        flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"))
    return _token_page(template, form=form, user=user)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@login_per_ip
def accept_invitation(token: str):
    return _set_password_page(TokenPurpose.INVITE, token, "auth/accept_invitation.html", True)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@login_per_ip
def reset_password(token: str):
    return _set_password_page(TokenPurpose.PASSWORD_RESET, token, "auth/reset_password.html", False)


@bp.route("/inloglink/<token>", methods=["GET", "POST"])
@login_per_ip
def login_link(token: str):
    user = _peek(TokenPurpose.LOGIN_LINK, token)
    if user is None:
        return _token_page("auth/link_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = accounts.use_login_link(token)
        except InvalidToken:
            db.session.rollback()
            return _token_page("auth/link_invalid.html"), 404
        db.session.commit()
        _start_session(user)
        return redirect(_default_target(user))
    return _token_page("auth/login_link.html", form=form, user=user)
