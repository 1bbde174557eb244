"""Staff sign-in: the second factor after the password, and enrolment by link."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from onderwijsplatform.extensions import limiter
from onderwijsplatform.forms.staff import EnrolForm, SecondFactorForm
from onderwijsplatform.forms.text import PASSWORD_LENGTH
from onderwijsplatform.identity import sessions, staff_accounts, totp
from onderwijsplatform.identity.roles import home_endpoint
from onderwijsplatform.models import utcnow
from onderwijsplatform.security import is_safe_next
from onderwijsplatform.services.errors import InvalidToken, NotFound, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.auth.blueprint import bp


def _code_refused(response) -> bool:
    return response.status_code == 422


@bp.route("/inloggen/tweede-stap", methods=["GET", "POST"])
# Per account from one address; and per account from anywhere for wrong codes, except from
# the owner's own browser, so someone who has the password cannot lock the owner out.
@limiter.limit("5 per 5 minutes", key_func=sessions.pending_key, methods=["POST"])
@limiter.limit(
    "20 per hour",
    key_func=sessions.pending_account_key,
    methods=["POST"],
    deduct_when=_code_refused,
    exempt_when=sessions.pending_on_known_device,
)
def second_factor():
    now = utcnow()
    try:
        user = staff_accounts.pending_user(*sessions.pending_second_factor(), now)
    except NotFound:
        sessions.forget_second_factor()
        flash(_("Log opnieuw in: de inlogpoging is verlopen."), "warning")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        # A used-up code stays used, whether it passed or not.
        with unit_of_work():
            passed = staff_accounts.second_factor(user, form.code.data, now)
        if passed:
            target = request.args.get("next")
            sessions.start(user, now)
            home = url_for(home_endpoint(user.role))
            return redirect(target if is_safe_next(target) else home)
        form.code.errors.append(_("Deze code klopt niet of is al gebruikt."))
    return render_template("auth/second_factor.html", form=form), (422 if form.errors else 200)


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
        return render_template("auth/enrol_link_invalid.html"), 404
    secret = _enrol_secret(token)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user, codes = staff_accounts.complete_enrolment(
                    token, password=form.password.data, secret=secret, code=form.code.data, now=now
                )
        except ValidationFailed as exc:
            if exc.field == "code":
                form.code.errors.append(_("Deze code klopt niet. Probeer de nieuwste code."))
            else:
                form.password.errors.append(str(PASSWORD_LENGTH))
        except InvalidToken:
            abort(404)
        else:
            sessions.start(user, now)
            home = url_for(home_endpoint(user.role))
            return render_template("auth/recovery_codes.html", codes=codes, home=home)
    uri = totp.provisioning_uri(user.email, secret)
    return render_template(
        "auth/enrol.html", form=form, user=user, secret=secret, qr=totp.qr_svg(uri)
    ), (422 if form.errors else 200)
