"""Staff handle the region's visit bookings: confirm or decline, cancel, the day list, record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.forms.fields import parse_day
from onderwijsplatform.forms.visits import ReasonForm, RecordForm, refusal
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import BookingState, utcnow
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services import visits
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp

S = BookingState


def _page(booking, decline=None, cancel=None, record=None, status: int = 200):
    return render_template(
        "staff/visit_booking.html",
        booking=booking,
        decline=decline or ReasonForm(formdata=None, prefix="decline"),
        cancel=cancel or ReasonForm(formdata=None, prefix="cancel"),
        record=record or RecordForm(formdata=None, data={"took_place": "ja"}),
        required=visits.required_escorts(
            booking.slot.programme, booking.target_group, booking.pupils
        ),
        started=booking.slot.starts_at <= utcnow(),
    ), status


@bp.get("/bezoeken/boekingen/<id:booking_id>", endpoint="visit_booking")
@staff_required
def booking(booking_id: int):
    return _page(visits.get(current_user, booking_id))


def _done(booking_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("staff.visit_booking", booking_id=booking_id))


def _closed(booking_id: int):
    flash(_("Deze boeking is al afgehandeld."), "info")
    return redirect(url_for("staff.visit_booking", booking_id=booking_id))


@bp.post("/bezoeken/boekingen/<id:booking_id>/bevestigen", endpoint="visit_confirm")
@staff_required
def confirm(booking_id: int):
    row = visits.get(current_user, booking_id)
    try:
        with unit_of_work():
            visits.confirm(current_user, row.id, utcnow())
    except InvalidTransition:
        return _closed(row.id)
    return _done(row.id, _("De boeking is bevestigd; school en gastheer krijgen de uitnodiging."))


@bp.post("/bezoeken/boekingen/<id:booking_id>/afwijzen", endpoint="visit_decline")
@staff_required
def decline(booking_id: int):
    row = visits.get(current_user, booking_id)
    form = ReasonForm(prefix="decline")
    if not form.validate():
        return _page(row, decline=form, status=422)
    try:
        with unit_of_work():
            visits.decline(current_user, row.id, form.reason.data, utcnow())
    except InvalidTransition:
        return _closed(row.id)
    return _done(row.id, _("De boeking is afgewezen; de school krijgt de reden."))


@bp.post("/bezoeken/boekingen/<id:booking_id>/annuleren", endpoint="visit_cancel")
@staff_required
def cancel(booking_id: int):
    row = visits.get(current_user, booking_id)
    form = ReasonForm(prefix="cancel")
    if form.validate():
        try:
            with unit_of_work():
                visits.cancel(current_user, row.id, form.reason.data, utcnow())
        except InvalidTransition:
            return _closed(row.id)
        except ValidationFailed as refused:
            form.reason.errors.append(refusal(refused.message, getattr(refused, "params", {})))
        else:
            return _done(row.id, _("De boeking is geannuleerd; alleen deze boeking."))
    return _page(visits.get(current_user, booking_id), cancel=form, status=422)


@bp.post("/bezoeken/boekingen/<id:booking_id>/afronden", endpoint="visit_record")
@staff_required
def record(booking_id: int):
    row = visits.get(current_user, booking_id)
    form = RecordForm()
    if form.validate():
        try:
            with unit_of_work():
                visits.record(
                    current_user,
                    row.id,
                    form.took_place.data == "ja",
                    form.pupils_reached.whole,
                    None if form.host_hours.value is None else Decimal(form.host_hours.value),
                    utcnow(),
                )
        except InvalidTransition:
            return _closed(row.id)
        except ValidationFailed as refused:
            form.pupils_reached.errors.append(refusal(refused.message))
        else:
            return _done(row.id, _("Vastgelegd. Dank u wel!"))
    return _page(visits.get(current_user, booking_id), record=form, status=422)


@bp.get("/bezoeken/dag", endpoint="visit_day")
@staff_required
def day_list():
    try:
        day = parse_day(request.args.get("dag")) or cal.local_day(utcnow())
    except ValueError:
        day = cal.local_day(utcnow())
    rows = visits.listing(current_user, day=day)
    return render_template(
        "staff/visit_day.html",
        day=day,
        rows=rows,
        previous=date.fromordinal(day.toordinal() - 1),
        following=date.fromordinal(day.toordinal() + 1),
        holding=(S.PROVISIONAL, S.CONFIRMED, S.TOOK_PLACE, S.NO_SHOW),
    )
