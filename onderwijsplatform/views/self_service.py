"""Mijn aanbod: a company contact keeps its offers and data current through an emailed link."""

from __future__ import annotations

import json
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from onderwijsplatform.extensions import limiter
from onderwijsplatform.forms.fields import region_choices
from onderwijsplatform.forms.intake import MAX_CONTRIBUTIONS
from onderwijsplatform.forms.self_service import (
    ConfirmForm,
    ContactForm,
    LinkRequestForm,
    OfferForm,
    RegionsForm,
)
from onderwijsplatform.identity import sessions
from onderwijsplatform.models import OfferStatus, utcnow
from onderwijsplatform.services import regions, self_service
from onderwijsplatform.services.errors import (
    InvalidToken,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from onderwijsplatform.transaction import after_response, unit_of_work

bp = Blueprint("self_service", __name__, url_prefix="/mijn-aanbod")


def scoped(view):
    """Only with a live self-service session; its organisation is ``g.org_id``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        scope = sessions.company_scope(utcnow())
        if scope is None:
            flash(
                _(
                    "Uw sessie is verlopen of u heeft nog geen link gebruikt. "
                    "Vraag hieronder een nieuwe link aan."
                ),
                "warning",
            )
            return redirect(url_for("self_service.request_link"))
        try:
            g.self_contact = self_service.contact_in(scope.organisation_id, scope.contact_id)
        except NotFound:
            sessions.end_company_session()
            return redirect(url_for("self_service.request_link"))
        g.org_id = g.self_contact.organisation_id
        return view(*args, **kwargs)

    wrapper.company_scoped = True
    return wrapper


@bp.get("")
@scoped
def index():
    contact = g.self_contact
    return render_template(
        "self_service/index.html",
        contact=contact,
        organisation=contact.organisation,
        offers=self_service.offers_of(g.org_id),
        actions=self_service.ACTIONS,
        editable=self_service.EDITABLE,
        statuses=OfferStatus,
        form=ConfirmForm(),
    )


@bp.route("/aanbod/<id:offer_id>", methods=["GET", "POST"])
@scoped
def edit_offer(offer_id: int):
    offer = self_service.offer_of(g.org_id, offer_id)
    if offer.status not in self_service.EDITABLE:
        abort(404)
    form = OfferForm(obj=None if request.method == "POST" else _form_values(offer))
    form.regions.choices = region_choices(m.region for m in offer.organisation.memberships)
    if form.validate_on_submit():
        codes = form.regions.data if len(form.regions.choices) > 1 else None
        try:
            with unit_of_work():
                self_service.update_offer(
                    g.org_id, offer.id, form.contribution_data(), now=utcnow(), region_codes=codes
                )
        except ValidationFailed:
            form.regions.errors = [_("Kies regio's uit de lijst.")]
        else:
            flash(_("Uw aanbod is bijgewerkt."), "success")
            return redirect(url_for("self_service.index"))
    return render_template("self_service/offer.html", form=form, offer=offer)


@bp.route("/aanbod/nieuw", methods=["GET", "POST"])
@scoped
def add_offer():
    form = OfferForm()
    if form.validate_on_submit():
        if len(self_service.offers_of(g.org_id)) >= 10 * MAX_CONTRIBUTIONS:
            abort(429)
        with unit_of_work():
            self_service.add_offer(g.org_id, g.self_contact, form.contribution_data(), now=utcnow())
        flash(
            _(
                "Uw nieuwe aanbod is opgeslagen. "
                "Het platformteam bekijkt het voordat scholen het zien."
            ),
            "success",
        )
        return redirect(url_for("self_service.index"))
    return render_template("self_service/offer.html", form=form, offer=None)


@bp.post("/aanbod/<id:offer_id>/status")
@scoped
def change_status(offer_id: int):
    self_service.offer_of(g.org_id, offer_id)
    try:
        with unit_of_work():
            self_service.change_status(g.org_id, offer_id, request.form.get("action", ""))
    except InvalidTransition:
        flash(_("Dat kan niet met dit aanbod in deze status."), "error")
        return redirect(url_for("self_service.index"))
    flash(_("De status van uw aanbod is aangepast."), "success")
    return redirect(url_for("self_service.index"))


@bp.route("/contactgegevens", methods=["GET", "POST"])
@scoped
def contact():
    contact = g.self_contact
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        with unit_of_work():
            self_service.update_contact(
                contact,
                name=form.name.data,
                role=form.role.data or None,
                phone=form.phone.data,
                language=form.language.data,
            )
        flash(_("Uw gegevens zijn bijgewerkt."), "success")
        return redirect(url_for("self_service.index"))
    return render_template("self_service/contact.html", form=form, contact=contact)


@bp.route("/regios", methods=["GET", "POST"])
@scoped
def choose_regions():
    organisation = g.self_contact.organisation
    serves = [m.region for m in organisation.memberships]
    # The regions it serves stay choosable even when closed for new companies.
    choices = regions.open_for_intake(organisation.region)
    choices += [region for region in serves if region not in choices]
    form = RegionsForm()
    form.regions.choices = region_choices(choices)
    if request.method != "POST":
        form.regions.data = [region.code for region in serves]
    elif form.validate_on_submit():
        try:
            with unit_of_work():
                added = self_service.set_regions(g.org_id, form.regions.data, now=utcnow())
        except ValidationFailed:
            form.regions.errors = [_("Kies regio's uit de lijst.")]
        else:
            if added:
                flash(_("Het regioteam van elke nieuwe regio bekijkt uw aanmelding."), "success")
            else:
                flash(_("Uw regio's zijn bijgewerkt."), "success")
            return redirect(url_for("self_service.index"))
    return render_template("self_service/regions.html", form=form, organisation=organisation)


@bp.get("/gegevens.json")
@scoped
def export():
    data = self_service.export(g.org_id, g.self_contact)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens.json"'},
    )


@bp.route("/verwijderen", methods=["GET", "POST"])
@scoped
def erase():
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work():
            anonymised = self_service.erase(g.org_id, now=utcnow())
        sessions.end_company_session()
        return render_template("self_service/erased.html", anonymised=anonymised)
    return render_template("self_service/erase.html", form=form)


@bp.post("/afsluiten")
def sign_out():
    sessions.end_company_session()
    flash(_("U bent afgemeld van mijn aanbod."), "info")
    return redirect(url_for("intake.landing"))


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def request_link():
    form = LinkRequestForm()
    if form.validate_on_submit():
        email, now = form.email.data, utcnow()
        # Known or not: the same page in the same time (the work follows the answer), so
        # the form reveals no addresses (AUTH-03, issue 16 item 3).
        after_response(lambda: self_service.request_link(email, now=now))
        return redirect(url_for("self_service.link_sent"))
    return render_template("self_service/request_link.html", form=form)


@bp.get("/link-verstuurd")
def link_sent():
    return render_template("self_service/link_sent.html")


@bp.route("/open/<token>", methods=["GET", "POST"])
def open_link(token: str):
    now = utcnow()
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            # GET (and HEAD) only shows the button: link scanners must not use the link.
            contact = self_service.peek_link(token, now=now)
            return render_template(
                "self_service/open.html", form=form, contact=contact, token=token
            )
        with unit_of_work():
            contact = self_service.use_link(token, now=now)
    except InvalidToken as exc:
        return render_template("intake/link_invalid.html", expired=exc.expired), 404
    sessions.start_company_session(contact, now)
    return redirect(url_for("self_service.index"))


def _form_values(offer):
    """The offer as the form's fields expect it."""

    class Values:
        pass

    values = Values()
    for name in ("kinds", "sectors", "target_groups", "description"):
        setattr(values, name, getattr(offer, name))
    values.where = offer.where or ["bij_bedrijf"]
    values.regions = [row.region.code for row in offer.availability]
    values.themes = ", ".join(offer.themes or [])
    for name in ("travel_km", "capacity", "yearly_limit"):
        number = getattr(offer, name)
        setattr(values, name, str(int(number)) if number is not None else "")
    periods = offer.available or []
    values.whole_year = not periods
    for index in (1, 2):
        period = periods[index - 1] if len(periods) >= index else {}
        setattr(values, f"from_{index}", period.get("from", ""))
        setattr(values, f"to_{index}", period.get("to", ""))
    return values
