"""Signing in and out: password, invitation, password reset and one-time login links."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from onderwijsplatform.extensions import limiter
from onderwijsplatform.forms.auth import ConfirmForm, EmailOnlyForm, LoginForm, SetPasswordForm
from onderwijsplatform.forms.text import PASSWORD_LENGTH, normalise_email
from onderwijsplatform.identity import accounts, sessions
from onderwijsplatform.identity.roles import home_endpoint
from onderwijsplatform.models import TokenPurpose, User
from onderwijsplatform.security import is_safe_next
from onderwijsplatform.services.errors import InvalidToken, ValidationFailed
from onderwijsplatform.transaction import after_response, unit_of_work
from onderwijsplatform.views.auth.blueprint import bp

TOKEN_MAX = 100


def _typed_email() -> str:
    return normalise_email(request.form.get("email", ""))[:320].lower()


def _account_key() -> str:
    # Per account, whatever the IP: spreading guesses over many addresses does not help.
    return "account:" + _typed_email()


def _account_ip_key() -> str:
    return f"account-ip:{_typed_email()}|{get_remote_address()}"


def _known_device() -> bool:
    # The owner's own browser (it signed in to this account before) is not held back by
    # what strangers did to the account-wide bucket; its per-IP buckets still apply.
    return sessions.known_device(_typed_email())


def _not_signed_in(response) -> bool:
    # A sign-in that went through redirects; a wrong password re-renders the form.
    return response.status_code != 302


# Escalating windows give a backoff: a few quick tries, then fewer per hour and per day.
# No bucket is shared by everyone, so strangers cannot empty one for real users
# (issue 16): per IP, per account from one IP, and per account for wrong passwords only,
# from browsers that never signed in to it.
login_per_ip = limiter.limit("20 per 5 minutes;60 per hour", methods=["POST"])
login_per_account_ip = limiter.limit(
    "5 per 5 minutes;10 per hour;30 per day", key_func=_account_ip_key, methods=["POST"]
)
login_per_account = limiter.limit(
    "10 per hour;30 per day",
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_not_signed_in,
    exempt_when=_known_device,
)
link_per_ip = limiter.limit(
    "10 per 5 minutes;50 per day", key_func=get_remote_address, methods=["POST"]
)
link_per_address = limiter.limit(
    "3 per hour;10 per day", key_func=_account_key, methods=["POST"], exempt_when=_known_device
)


def _default_target(user: User) -> str:
    return url_for(home_endpoint(user.role))


@bp.route("/inloggen", methods=["GET", "POST"])
@login_per_ip
@login_per_account_ip
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
            with unit_of_work():
                accounts.record_login(user)
            sessions.start(user)
            target = form.next.data
            return redirect(target if is_safe_next(target) else _default_target(user))
    return render_template("auth/login.html", form=form)


def _second_factor(user: User):
    """The password was right; the second factor decides."""
    sessions.await_second_factor(user)
    if "auth.second_factor" in current_app.view_functions:
        return redirect(url_for("auth.second_factor"))
    form = LoginForm()
    flash(
        _("Inloggen voor medewerkers vraagt een tweede stap die nog niet beschikbaar is."),
        "warning",
    )
    return render_template("auth/login.html", form=form)


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        with unit_of_work():
            accounts.sign_out(current_user._get_current_object())
    sessions.end()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"))


def _link_request(template: str, send) -> object:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        email = form.email.data
        # The same page for known and unknown addresses (AUTH-03), in the same time: the
        # lookup, the token and the email happen after the answer has gone out.
        after_response(lambda: send(email))
        return render_template("auth/link_sent.html")
    return render_template(template, form=form)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@link_per_ip
@link_per_address
def forgot_password():
    return _link_request("auth/forgot_password.html", accounts.request_password_reset)


@bp.route("/inloglink", methods=["GET", "POST"])
@link_per_ip
@link_per_address
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
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = accounts.set_password_with_link(purpose, token, form.password.data)
        except InvalidToken:
            return render_template("auth/link_invalid.html"), 404
        except ValidationFailed:
            form.password.errors.append(str(PASSWORD_LENGTH))
            return render_template(template, form=form, user=user), 422
        if sign_in and not user.is_staff:
            sessions.start(user)
            flash(_("Welkom! Uw wachtwoord is ingesteld."), "success")
            return redirect(_default_target(user))
        flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


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
        return render_template("auth/link_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = accounts.use_login_link(token)
        except InvalidToken:
            return render_template("auth/link_invalid.html"), 404
        sessions.start(user)
        return redirect(_default_target(user))
    return render_template("auth/login_link.html", form=form, user=user)
