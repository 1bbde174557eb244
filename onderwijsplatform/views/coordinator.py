"""The coordinator's pages: requests, suggestions with reasons, introductions, profile."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.forms.requests import (
    DismissForm,
    IntroductionForm,
    RequestForm,
    SuggestionFilterForm,
)
from onderwijsplatform.forms.school import SchoolProfileForm
from onderwijsplatform.i18n import current_locale
from onderwijsplatform.identity.roles import coordinator_required
from onderwijsplatform.models import RequestStatus, SchoolRequest
from onderwijsplatform.services import introduction_requests, school_profile, school_requests
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("coordinator", __name__, url_prefix="/school")


def _own_request(request_id: int) -> SchoolRequest:
    try:
        return school_requests.get(current_user.school_id, request_id)
    except NotFound:
        abort(404)


@bp.get("/hulpvragen")
@coordinator_required
def requests():
    rows = school_requests.for_school(current_user.school_id)
    return render_template(
        "coordinator/requests.html",
        rows=rows,
        copyable={row.id for row in rows if school_requests.copyable(row)},
    )


def _save_request(form: RequestForm, existing: SchoolRequest | None):
    try:
        with unit_of_work():
            if existing is None:
                saved = school_requests.create(current_user, form.values())
            else:
                saved = school_requests.update(existing, form.values())
    except ValidationFailed:
        flash(_("Vul eerst de plaats van uw school in bij het schoolprofiel."), "error")
        return None
    return saved


@bp.route("/hulpvragen/nieuw", methods=["GET", "POST"])
@coordinator_required
def new_request():
    form = RequestForm()
    if form.validate_on_submit():
        saved = _save_request(form, None)
        if saved is not None:
            flash(
                _("Uw hulpvraag staat klaar. Hieronder ziet u de best passende aanbieders."),
                "success",
            )
            return redirect(url_for("coordinator.suggestions", request_id=saved.id))
    return render_template("coordinator/request_form.html", form=form, existing=None)


@bp.route("/hulpvragen/<id:request_id>/wijzigen", methods=["GET", "POST"])
@coordinator_required
def edit_request(request_id: int):
    existing = _own_request(request_id)
    if existing.status != RequestStatus.OPEN:
        abort(404)
    form = RequestForm()
    if request.method == "GET":
        form.kinds.data = list(existing.kinds)
        form.sectors.data = list(existing.sectors or [])
        form.themes.data = ", ".join(existing.themes or [])
        form.target_group.data = existing.target_group
        form.group_size.data = "" if existing.group_size is None else str(existing.group_size)
        form.max_travel_km.data = (
            "" if existing.max_travel_km is None else str(int(existing.max_travel_km))
        )
        form.period_from.data = existing.period_from.isoformat() if existing.period_from else ""
        form.period_to.data = existing.period_to.isoformat() if existing.period_to else ""
        form.description.data = existing.description
    elif form.validate_on_submit():
        saved = _save_request(form, existing)
        if saved is not None:
            flash(_("De hulpvraag is gewijzigd en de suggesties zijn bijgewerkt."), "success")
            return redirect(url_for("coordinator.suggestions", request_id=saved.id))
    return render_template("coordinator/request_form.html", form=form, existing=existing)


def _change_status(request_id: int, status: RequestStatus, message: str):
    row = _own_request(request_id)
    try:
        with unit_of_work():
            school_requests.set_status(row, status)
    except InvalidTransition:
        flash(_("Deze hulpvraag is al afgesloten."), "info")
        return redirect(url_for("coordinator.requests"))
    flash(message, "success")
    return redirect(url_for("coordinator.requests"))


@bp.post("/hulpvragen/<id:request_id>/afsluiten")
@coordinator_required
def close_request(request_id: int):
    return _change_status(request_id, RequestStatus.CLOSED, _("De hulpvraag is afgesloten."))


@bp.post("/hulpvragen/<id:request_id>/annuleren")
@coordinator_required
def cancel_request(request_id: int):
    return _change_status(request_id, RequestStatus.CANCELLED, _("De hulpvraag is geannuleerd."))


@bp.post("/hulpvragen/<id:request_id>/kopieren")
@coordinator_required
def copy_request(request_id: int):
    row = _own_request(request_id)
    try:
        with unit_of_work():
            copy = school_requests.copy_to_current_year(row, current_user)
    except InvalidTransition:
        flash(_("Deze hulpvraag hoort al bij dit schooljaar."), "info")
        return redirect(url_for("coordinator.requests"))
    except ValidationFailed:
        flash(_("Vul eerst de plaats van uw school in bij het schoolprofiel."), "error")
        return redirect(url_for("coordinator.requests"))
    flash(
        _("Gekopieerd naar dit schooljaar. Controleer de data en wijzig wat nodig is."), "success"
    )
    return redirect(url_for("coordinator.edit_request", request_id=copy.id))


def _suggestions_page(row: SchoolRequest, failed: dict | None = None, status: int = 200):
    filters = SuggestionFilterForm(request.args)
    kind, max_km = filters.chosen()
    shown = introduction_requests.visible(
        row, introduction_requests.SuggestionFilter(kind=kind, max_km=max_km)
    )
    forms = {}
    for suggestion in shown:
        prefix = f"s{suggestion.id}"
        forms[suggestion.id] = (
            IntroductionForm(prefix=prefix + "-intro", formdata=None),
            DismissForm(prefix=prefix + "-dismiss", formdata=None),
        )
    if failed:
        forms.update(failed)
    return render_template(
        "coordinator/suggestions.html",
        row=row,
        shown=shown,
        filters=filters,
        filtered=kind is not None or max_km is not None,
        forms=forms,
    ), status


@bp.get("/hulpvragen/<id:request_id>")
@coordinator_required
def suggestions(request_id: int):
    return _suggestions_page(_own_request(request_id))


def _own_suggestion(request_id: int, suggestion_id: int):
    """The coordinator's own request and one of its suggestions, or 404."""
    row = _own_request(request_id)
    try:
        return row, introduction_requests.get_suggestion(row, suggestion_id)
    except NotFound:
        abort(404)


@bp.post("/hulpvragen/<id:request_id>/suggesties/<id:suggestion_id>/introductie")
@coordinator_required
def ask_introduction(request_id: int, suggestion_id: int):
    row, suggestion = _own_suggestion(request_id, suggestion_id)
    form = IntroductionForm(prefix=f"s{suggestion.id}-intro")
    if not form.validate_on_submit():
        return _suggestions_page(
            row,
            {suggestion.id: (form, DismissForm(prefix=f"s{suggestion.id}-dismiss", formdata=None))},
            422,
        )
    try:
        with unit_of_work():
            introduction_requests.request_introduction(suggestion, current_user, form.message.data)
    except InvalidTransition:
        flash(_("Deze suggestie hebt u als niet passend gemarkeerd."), "info")
        return redirect(url_for("coordinator.suggestions", request_id=row.id))
    flash(_("Uw aanvraag voor een introductie is naar het regioteam gestuurd."), "success")
    return redirect(url_for("coordinator.introductions"))


@bp.post("/hulpvragen/<id:request_id>/suggesties/<id:suggestion_id>/niet-passend")
@coordinator_required
def dismiss(request_id: int, suggestion_id: int):
    row, suggestion = _own_suggestion(request_id, suggestion_id)
    form = DismissForm(prefix=f"s{suggestion.id}-dismiss")
    if not form.validate_on_submit():
        return _suggestions_page(
            row,
            {
                suggestion.id: (
                    IntroductionForm(prefix=f"s{suggestion.id}-intro", formdata=None),
                    form,
                )
            },
            422,
        )
    try:
        with unit_of_work():
            introduction_requests.dismiss(suggestion, form.reason.data, form.note.data)
    except InvalidTransition:
        flash(_("Voor deze suggestie is al een introductie aangevraagd."), "info")
        return redirect(url_for("coordinator.suggestions", request_id=row.id))
    flash(_("Genoteerd: deze suggestie komt niet meer terug."), "success")
    return redirect(url_for("coordinator.suggestions", request_id=row.id))


@bp.get("/introducties")
@coordinator_required
def introductions():
    return render_template(
        "coordinator/introductions.html",
        rows=introduction_requests.for_school(current_user.school_id),
    )


@bp.route("/profiel", methods=["GET", "POST"])
@coordinator_required
def profile():
    school = current_user.school
    form = SchoolProfileForm()
    if request.method == "GET":
        form.name.data = school.name
        form.brin_code.data = school.brin_code or ""
        form.school_type.data = school.school_type.value if school.school_type else "other"
        form.postcode.data = school.postcode or ""
        form.place.data = school.place or ""
        form.sectors.data = list(school.sectors or [])
        form.contact_name.data = current_user.name
        form.phone.data = current_user.phone or ""
        form.digest_enabled.data = current_user.digest_enabled
        form.language.data = current_user.language
    elif form.validate_on_submit():
        try:
            with unit_of_work():
                school_profile.update(current_user, form.values())
        except ValidationFailed as error:
            form[error.field].errors.append(_profile_message(error))
        else:
            flash(_("Het schoolprofiel is opgeslagen."), "success")
            return redirect(url_for("coordinator.profile"))
    return render_template("coordinator/profile.html", form=form)


def _profile_message(error: ValidationFailed) -> str:
    if error.message == "brin_taken":
        return _("Deze BRIN-code hoort al bij een andere school.")
    if current_locale() == "en":
        return getattr(error, "message_en", error.message)
    return error.message
