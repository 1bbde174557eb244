"""The coordinator's visit pages: programmes with free slots, booking a class, own bookings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from onderwijsplatform.forms.visits import (
    BookingForm,
    ChangeForm,
    ReasonForm,
    refusal,
    target_group_choices,
)
from onderwijsplatform.identity.roles import coordinator_required
from onderwijsplatform.models import BookingState, VisitBooking, utcnow
from onderwijsplatform.services import visit_programmes, visits
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed
from onderwijsplatform.services.visits import BookingValues
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("visits", __name__, url_prefix="/school/bezoeken")


@bp.get("")
@coordinator_required
def index():
    return render_template(
        "visits/index.html",
        offered=visit_programmes.open_in(current_user.region_id, utcnow()),
        bookings=visits.for_school(current_user.school_id),
    )


def _own_open_programme(programme_id: int):
    """The programme (of the coordinator's region) with its bookable slots, or 404."""
    try:
        programme = visit_programmes.get(current_user, programme_id)
    except NotFound:
        abort(404)
    found = visit_programmes.open_in(programme.region_id, utcnow(), programme_id=programme.id)
    return programme, (found[0].slots if found else [])


def _booking_form(programme, slots, *, posted: bool) -> BookingForm:
    form = BookingForm() if posted else BookingForm(formdata=None)
    form.slot_id.choices = [SelectChoice(str(s.slot.id), str(s.slot.id)) for s in slots]
    form.target_group.choices = [
        SelectChoice("", _("Kies…")),
        *target_group_choices(programme.target_groups),
    ]
    return form


@bp.route("/<id:programme_id>", methods=["GET", "POST"])
@coordinator_required
def programme(programme_id: int):
    row, slots = _own_open_programme(programme_id)
    form = _booking_form(row, slots, posted=True)
    status = 200
    if form.is_submitted():
        booking = _book(form) if form.validate() else None
        if booking is not None:
            if booking.state is BookingState.CONFIRMED:
                flash(_("Het bezoek is geboekt en bevestigd. U krijgt een e-mail."), "success")
            else:
                flash(
                    _("Het bezoek is geboekt. De gastheer bevestigt het nog; u krijgt bericht."),
                    "success",
                )
            return redirect(url_for("visits.booking", booking_id=booking.id))
        status = 422
    return render_template("visits/programme.html", programme=row, slots=slots, form=form), status


def _book(form: BookingForm) -> VisitBooking | None:
    values = BookingValues(
        target_group=form.target_group.data,
        pupils=form.pupils.whole or 0,
        escorts=form.escorts.whole or 0,
        contact_name=form.contact_name.data or None,
        contact_phone=form.contact_phone.data or None,
        note=form.note.data or None,
    )
    try:
        with unit_of_work():
            return visits.book(current_user, int(form.slot_id.data), values, utcnow())
    except ValidationFailed as refused:
        form[refused.field].errors.append(refusal(refused.message, getattr(refused, "params", {})))
    return None


def _own_booking(booking_id: int) -> VisitBooking:
    try:
        return visits.get(current_user, booking_id)
    except NotFound:
        abort(404)


def _booking_page(booking: VisitBooking, change=None, cancel=None, status: int = 200):
    if change is None:
        change = ChangeForm(
            formdata=None, data={"pupils": str(booking.pupils), "escorts": str(booking.escorts)}
        )
    return render_template(
        "visits/booking.html",
        booking=booking,
        change=change,
        cancel=cancel or ReasonForm(formdata=None),
        open_states=(BookingState.PROVISIONAL, BookingState.CONFIRMED),
    ), status


@bp.get("/boekingen/<id:booking_id>")
@coordinator_required
def booking(booking_id: int):
    return _booking_page(_own_booking(booking_id))


@bp.post("/boekingen/<id:booking_id>/wijzigen")
@coordinator_required
def change(booking_id: int):
    row = _own_booking(booking_id)
    form = ChangeForm()
    if form.validate():
        try:
            with unit_of_work():
                visits.change(
                    current_user, row.id, form.pupils.whole or 0, form.escorts.whole or 0, utcnow()
                )
        except InvalidTransition:
            flash(_("Deze boeking kan niet meer gewijzigd worden."), "info")
            return redirect(url_for("visits.booking", booking_id=row.id))
        except ValidationFailed as refused:
            form[refused.field].errors.append(
                refusal(refused.message, getattr(refused, "params", {}))
            )
        else:
            flash(_("De boeking is gewijzigd; beide kanten krijgen bericht."), "success")
            return redirect(url_for("visits.booking", booking_id=row.id))
    return _booking_page(_own_booking(booking_id), change=form, status=422)


@bp.post("/boekingen/<id:booking_id>/annuleren")
@coordinator_required
def cancel(booking_id: int):
    row = _own_booking(booking_id)
    form = ReasonForm()
    if form.validate():
        try:
            with unit_of_work():
                visits.cancel(current_user, row.id, form.reason.data, utcnow())
        except InvalidTransition:
            flash(_("Deze boeking is al afgesloten."), "info")
            return redirect(url_for("visits.booking", booking_id=row.id))
        except ValidationFailed as refused:
            form.reason.errors.append(refusal(refused.message, getattr(refused, "params", {})))
        else:
            flash(_("De boeking is geannuleerd."), "success")
            return redirect(url_for("visits.index"))
    return _booking_page(_own_booking(booking_id), cancel=form, status=422)
