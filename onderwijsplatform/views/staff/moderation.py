"""Staff moderation queue: approve, reject or merge new organisations and offers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.forms.staff import ActionForm, MergeForm, ReasonForm
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import moderation
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


def _region_code() -> str | None:
    # The region decided for: a staff member's own; a platform admin's from the queue entry.
    return request.args.get("regio")


def _key(organisation_id: int, code: str | None) -> str:
    # One queue entry per organisation and region: a prefix each keeps the field ids unique.
    return f"{organisation_id}-{code}" if code else str(organisation_id)


def _merge_form(organisation, code: str | None, *, posted: bool = True):
    prefix = f"merge{_key(organisation.id, code)}"
    form = MergeForm(prefix=prefix) if posted else MergeForm(formdata=None, prefix=prefix)
    form.set_targets(moderation.merge_targets(current_user, organisation))
    return form


def _render_queue(status=200, **forms):
    entries = moderation.queue(current_user)
    keys = {e: _key(e.organisation.id, e.region.code) for e in entries}
    merge_forms = {
        key: forms.get(f"merge_{key}") or _merge_form(e.organisation, e.region.code, posted=False)
        for e, key in keys.items()
    }
    reject_forms = {
        key: forms.get(f"reject_{key}") or ReasonForm(formdata=None, prefix=f"reject{key}")
        for key in keys.values()
    }
    return render_template(
        "staff/moderation.html",
        entries=entries,
        keys=keys,
        action=ActionForm(formdata=None),
        merge_forms=merge_forms,
        reject_forms=reject_forms,
    ), status


@bp.get("/aanmeldingen", endpoint="moderation")
@staff_required
def moderation_queue():
    return _render_queue()


@bp.post("/aanmeldingen/<id:organisation_id>/goedkeuren")
@staff_required
def approve_organisation(organisation_id: int):
    moderation.get_organisation(current_user, organisation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            organisation = moderation.approve(
                current_user, organisation_id, utcnow(), _region_code()
            )
    except InvalidTransition:
        flash(_("Er is hier niets meer goed te keuren."), "warning")
        return redirect(url_for("staff.moderation"))
    flash(_("%(name)s is goedgekeurd.", name=organisation.name), "success")
    return redirect(url_for("staff.moderation"))


@bp.post("/aanmeldingen/<id:organisation_id>/afwijzen")
@staff_required
def reject_organisation(organisation_id: int):
    moderation.get_organisation(current_user, organisation_id)
    key = _key(organisation_id, _region_code())
    form = ReasonForm(prefix=f"reject{key}")
    if not form.validate_on_submit():
        return _render_queue(422, **{f"reject_{key}": form})
    try:
        with unit_of_work():
            organisation = moderation.reject(
                current_user, organisation_id, form.reason.data, utcnow(), _region_code()
            )
    except InvalidTransition:
        flash(_("Er is hier niets meer af te wijzen."), "warning")
        return redirect(url_for("staff.moderation"))
    flash(_("%(name)s is afgewezen; de contactpersoon krijgt de reden.", name=organisation.name))
    return redirect(url_for("staff.moderation"))


@bp.post("/aanmeldingen/<id:organisation_id>/samenvoegen")
@staff_required
def merge_organisation(organisation_id: int):
    organisation = moderation.get_organisation(current_user, organisation_id)
    form = _merge_form(organisation, _region_code())
    if not form.validate_on_submit():
        return _render_queue(422, **{f"merge_{_key(organisation_id, _region_code())}": form})
    if form.confirmed.data != "yes":
        # Merging cannot be undone: name both organisations and ask once more.
        targets = moderation.merge_targets(current_user, organisation)
        target = next(t for t in targets if t.id == form.target_id)
        return render_template(
            "staff/merge_confirm.html",
            form=form,
            organisation=organisation,
            target=target,
            region_code=_region_code(),
        )
    try:
        with unit_of_work():
            moderation.merge(
                current_user, organisation_id, form.target_id, utcnow(), _region_code()
            )
    except (InvalidTransition, ValidationFailed):
        flash(_("Samenvoegen kan hier niet."), "warning")
        return redirect(url_for("staff.moderation"))
    flash(_("De aanmelding is samengevoegd."), "success")
    return redirect(url_for("staff.moderation"))
