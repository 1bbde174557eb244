"""The public front door for companies: landing page, intake form and email confirmation."""

from __future__ import annotations

import hashlib
import time
from contextlib import suppress

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from onderwijsplatform import labels
from onderwijsplatform.extensions import csrf, limiter
from onderwijsplatform.forms.fields import region_choices
from onderwijsplatform.forms.intake import (
    MAX_CONTRIBUTIONS,
    IntakeForm,
    seconds_since_started,
    sign_started,
)
from onderwijsplatform.forms.text import normalise_email
from onderwijsplatform.i18n import current_locale
from onderwijsplatform.identity import sessions
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import intake, regions
from onderwijsplatform.services.errors import InvalidToken, NotFound, ValidationFailed
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("intake", __name__, url_prefix="/bedrijven")

THEME_SUGGESTIONS = (
    "zonnepanelen",
    "warmtepompen",
    "elektrotechniek",
    "installatietechniek",
    "lassen",
    "3D-printen",
    "robotica",
    "programmeren",
    "CNC-frezen",
    "duurzaam bouwen",
    "timmeren",
    "automotive",
    "elektrisch rijden",
    "procestechniek",
    "drones",
    "mechatronica",
)


def _accepted(response) -> bool:
    # Only intakes that went through count against the per-IP and per-address limits,
    # so someone fixing typos is not locked out.
    return response.status_code == 302


def _email_key() -> str:
    return "intake-email:" + normalise_email(request.form.get("email", ""))[:320].casefold()


KIND_EXPLANATIONS = {
    "gastles": _l("Een vakman of -vrouw vertelt en laat zien in de klas."),
    "bedrijfsbezoek": _l("Een klas komt kijken in uw werkplaats, fabriek of kantoor."),
    "stage_leerling": _l("Leerlingen lopen een paar dagen of weken mee."),
    "stage_docent": _l("Een docent loopt mee om de praktijk van nu te leren kennen."),
    "materialen": _l("U leent of geeft machines, gereedschap, materiaal of een ruimte."),
    "doe_activiteit": _l("Leerlingen gaan zelf aan de slag, bijvoorbeeld op een techniekdag."),
    "hybride_docent": _l("Een medewerker geeft een deel van de week les op school."),
    "lesmodule": _l("U denkt mee over een opdracht of lesmodule, of levert een echte casus."),
    "kennisdeling": _l("Workshops of masterclasses voor docenten en andere bedrijven."),
}


@bp.get("")
def landing():
    lang = current_locale()
    kinds = [
        (label, KIND_EXPLANATIONS.get(code, "")) for code, label in labels.choices("kinds", lang)
    ]
    return render_template("intake/landing.html", kinds=kinds)


def _offer_regions(form: IntakeForm) -> None:
    """The regions a company may choose: the page's region (``?regio=``) first, then nearest."""
    context = None
    with suppress(NotFound):
        context = regions.by_code(request.args.get("regio", ""))
    choices = regions.open_for_intake(context)
    form.regions.choices = region_choices(choices)
    if choices and (request.method != "POST" or (len(choices) == 1 and not form.regions.data)):
        # With one region to choose from, the form does not ask (and a post need not say).
        form.regions.data = [choices[0].code]


def _render(form: IntakeForm, *, status: int = 200, csrf_message: str | None = None):
    return (
        render_template(
            "intake/form.html",
            form=form,
            csrf_message=csrf_message,
            max_contributions=MAX_CONTRIBUTIONS,
            theme_suggestions=THEME_SUGGESTIONS,
            place_names=intake.place_names(),
        ),
        status,
    )


def _csrf_problem() -> tuple[str, int] | None:
    """None when the token is fine; else the message and status for a re-rendered form."""
    token = request.form.get("csrf_token", "")
    try:
        validate_csrf(token)
        return None
    except ValidationError:
        pass
    try:
        validate_csrf(token, time_limit=10**9)
    except ValidationError:
        return _(
            "Uw formulier kon niet veilig worden verstuurd. "
            "Controleer uw gegevens en verstuur het opnieuw."
        ), 400
    return _("Uw formulier was verlopen. Uw gegevens staan er nog: verstuur het opnieuw."), 200


@bp.route("/aanmelden", methods=["GET", "POST"])
# The form checks its own CSRF token, so that an expired one re-renders the form with
# everything typed still there instead of a bare 400 (reliability CSRF-03).
@csrf.exempt
@limiter.limit("60/hour", methods=["POST"])
@limiter.limit(
    "5/hour;20/day", methods=["POST"], deduct_when=_accepted, key_func=get_remote_address
)
@limiter.limit("3/day", methods=["POST"], deduct_when=_accepted, key_func=_email_key)
def form():
    form = IntakeForm(meta={"csrf": False})
    _offer_regions(form)
    if request.method != "POST":
        form.started.data = sign_started(time.time())
        return _render(form)
    if seconds_since_started(form.started.data) is None:
        form.started.data = sign_started(time.time())
    action = request.form.get("action", "")
    if action == "add":
        if len(form.contributions) < MAX_CONTRIBUTIONS:
            form.contributions.append_entry()
        return _render(form)
    if action.startswith("remove-") and len(form.contributions) > 1:
        index = action.removeprefix("remove-")
        if index.isdigit() and int(index) < len(form.contributions):
            del form.contributions.entries[int(index)]
        return _render(form)
    problem = _csrf_problem()
    valid = form.validate()
    if problem is not None:
        return _render(form, status=problem[1], csrf_message=problem[0])
    if not valid:
        return _render(form)
    elapsed = seconds_since_started(form.started.data)
    if (
        form.homepage.data
        or elapsed is None
        or elapsed < current_app.config.get("INTAKE_MIN_FILL_SECONDS", 3)
    ):
        # A bot: it sees the usual thank-you page, but nothing is stored or sent.
        return redirect(url_for("intake.thanks"))
    submission = hashlib.sha256(
        f"{form.started.data}|{form.email.data}|{form.org_name.data}".encode()
    ).hexdigest()
    # The same filled-in form posted twice (double click, back button) is stored once.
    try:
        with suppress(intake.DuplicateSubmission), unit_of_work():
            intake.submit(
                form.intake_data(language=current_locale(), submission=submission), now=utcnow()
            )
    except ValidationFailed:
        form.regions.errors = [_("Kies regio's uit de lijst.")]
        return _render(form)
    return redirect(url_for("intake.thanks"))


@bp.get("/aangemeld")
def thanks():
    return render_template("intake/thanks.html")


@bp.route("/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    now = utcnow()
    try:
        if request.method != "POST":
            # Opening the link (GET, HEAD) only shows the button: link scanners must not confirm.
            organisation = intake.peek_confirmation(token, now=now)
            return render_template("intake/confirm.html", organisation=organisation, token=token)
        with unit_of_work():
            contact = intake.confirm(token, now=now)
    except InvalidToken as exc:
        return render_template("intake/link_invalid.html", expired=exc.expired), 404
    sessions.start_company_session(contact, now)
    return redirect(url_for("intake.confirmed"))


@bp.get("/bevestigd")
def confirmed():
    return render_template("intake/confirmed.html")
