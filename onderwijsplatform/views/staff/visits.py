"""Staff keep the region's visit programmes and their slots for the hosts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from onderwijsplatform.forms.visits import ESCORT_CODES, ProgrammeForm, SlotPlanForm, refusal
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import BookingState, VisitProgramme, utcnow
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services import visit_programmes, visits
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


@bp.get("/bezoeken", endpoint="visits")
@staff_required
def index():
    return render_template(
        "staff/visits.html",
        programmes=visit_programmes.listing(current_user),
        to_confirm=visits.listing(current_user, states=(BookingState.PROVISIONAL,)),
    )


def _programme_form(programme: VisitProgramme | None, *, posted: bool) -> ProgrammeForm:
    if posted:
        form = ProgrammeForm()
    elif programme is None:
        form = ProgrammeForm(
            formdata=None,
            data={"status": "draft", "confirmation": "by_host", "min_pupils": "1"},
        )
    else:
        data = {
            name: getattr(programme, name)
            for name in ("title", "description", "kinds", "sectors", "target_groups")
        }
        data.update(
            {
                name: getattr(programme, name) or ""
                for name in ("address", "postcode", "place", "accessibility", "transport")
            }
        )
        data.update(
            {
                name: str(getattr(programme, name))
                for name in (
                    "min_pupils",
                    "max_pupils",
                    "groups_at_once",
                    "change_days",
                    "cancel_days",
                )
            }
        )
        data["themes"] = ", ".join(programme.themes)
        data["status"] = programme.status.value
        data["confirmation"] = programme.confirmation.value
        data["staff_hours"] = f"{programme.staff_hours:.2f}".replace(".", ",")
        data["closed"] = "\n".join(
            p["from"] if p["from"] == p["to"] else f"{p['from']} t/m {p['to']}"
            for p in programme.closed
        )
        for code, per in programme.pupils_per_escort.items():
            data[f"escort_{code}"] = str(per)
        form = ProgrammeForm(formdata=None, data=data)
    form.host_id.choices = [
        SelectChoice(str(org.id), org.name) for org in visit_programmes.hosts(current_user)
    ]
    if programme is not None:
        form.host_id.data = str(programme.host_id)
    return form


def _programme_page(programme, form, plan, status=200):
    slots = programme.slots if programme else []
    return render_template(
        "staff/visit_programme.html",
        programme=programme,
        form=form,
        plan=plan,
        slots=slots,
        free=cal.free_places(slots),
        escort_codes=ESCORT_CODES,
        now=utcnow(),
    ), status


@bp.route("/bezoeken/nieuw", methods=["GET", "POST"], endpoint="visit_new")
@staff_required
def new_programme():
    form = _programme_form(None, posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            with unit_of_work():
                programme = visit_programmes.create(
                    current_user,
                    int(form.host_id.data),
                    current_user.region_id,
                    form.values(),
                    utcnow(),
                )
        except ValidationFailed as refused:
            form[refused.field].errors.append(refusal(refused.message))
        else:
            flash(_("Het programma is opgeslagen. Plan nu de tijdsloten."), "success")
            return redirect(url_for("staff.visit_programme", programme_id=programme.id))
    status = 422 if form.errors else 200
    return _programme_page(None, form, SlotPlanForm(formdata=None, prefix="plan"), status)


@bp.route("/bezoeken/<id:programme_id>", methods=["GET", "POST"], endpoint="visit_programme")
@staff_required
def edit_programme(programme_id: int):
    programme = visit_programmes.get(current_user, programme_id)
    form = _programme_form(programme, posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            with unit_of_work():
                visit_programmes.update(current_user, programme, form.values(), utcnow())
        except ValidationFailed as refused:
            form[refused.field].errors.append(refusal(refused.message))
        else:
            flash(_("Het programma is opgeslagen."), "success")
            return redirect(url_for("staff.visit_programme", programme_id=programme.id))
        programme = visit_programmes.get(current_user, programme_id)
    status = 422 if form.errors else 200
    return _programme_page(programme, form, SlotPlanForm(formdata=None, prefix="plan"), status)


@bp.post("/bezoeken/<id:programme_id>/tijdsloten", endpoint="visit_slots_add")
@staff_required
def add_slots(programme_id: int):
    programme = visit_programmes.get(current_user, programme_id)
    plan = SlotPlanForm(prefix="plan")
    if plan.validate_on_submit() and plan.start.value and plan.end.value:
        first, last, weekdays = plan.days()
        try:
            with unit_of_work():
                made = visit_programmes.add_slots(
                    current_user,
                    programme,
                    cal.plan_days(first, last, weekdays),
                    plan.start.value,
                    plan.end.value,
                    utcnow(),
                    capacity_pupils=plan.capacity_pupils.whole,
                    capacity_groups=plan.capacity_groups.whole,
                )
        except ValidationFailed as refused:
            plan[refused.field].errors.append(refusal(refused.message))
        else:
            flash(
                _(
                    "%(made)s tijdsloten gepland; %(skipped)s dagen overgeslagen "
                    "(vakantie, gesloten, weekend of al gepland).",
                    made=len(made.created),
                    skipped=len(made.skipped),
                ),
                "success",
            )
            return redirect(url_for("staff.visit_programme", programme_id=programme.id))
        programme = visit_programmes.get(current_user, programme_id)
    return _programme_page(programme, _programme_form(programme, posted=False), plan, 422)


@bp.post("/bezoeken/tijdsloten/<id:slot_id>/verwijderen", endpoint="visit_slot_remove")
@staff_required
def remove_slot(slot_id: int):
    slot = visit_programmes.get_slot(current_user, slot_id)
    programme_id = slot.programme_id
    try:
        with unit_of_work():
            visit_programmes.remove_slot(current_user, slot_id, utcnow())
    except InvalidTransition:
        flash(_("Dit tijdslot heeft boekingen en blijft staan."), "error")
    else:
        flash(_("Het tijdslot is verwijderd."), "success")
    return redirect(url_for("staff.visit_programme", programme_id=programme_id))
