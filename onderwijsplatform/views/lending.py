"""The coordinator's lending pages: the region's kits with free sets per week, reserve, my loans."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.forms.lending import ActionForm, ReserveForm
from onderwijsplatform.identity.roles import coordinator_required
from onderwijsplatform.labels import label
from onderwijsplatform.models import Handover, LendingItem, utcnow
from onderwijsplatform.services import lending, loans
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("lending", __name__, url_prefix="/school/uitlenen")


def reservation_message(error: ValidationFailed, item: LendingItem) -> str:
    """The Dutch (or English) sentence for a refused reservation, shown next to its field."""
    reason, _sep, value = error.message.partition(":")
    if reason == "free":
        if value == "0":
            return _("In deze periode is er geen set vrij. Kies andere data.")
        return ngettext(
            "In deze periode is er nog %(num)d set vrij.",
            "In deze periode zijn er nog %(num)d sets vrij.",
            int(value),
        )
    if reason == "school":
        return (
            ngettext(
                "Uw school kan in deze periode nog %(num)d set reserveren.",
                "Uw school kan in deze periode nog %(num)d sets reserveren.",
                int(value),
            )
            + " "
            + _("Per school mag u er %(max)d tegelijk hebben.", max=item.max_sets_per_school)
        )
    if reason == "in the past":
        return _("Deze datum is al voorbij.")
    if reason == "lead":
        return _(
            "Reserveer minstens %(days)d openingsdagen vooruit: de eerste mogelijke dag is "
            "%(day)s.",
            days=item.lead_days,
            day=format_date(date.fromisoformat(value), "long"),
        )
    if reason == "closed":
        return _("De uitleenbalie is dan dicht (weekend of vakantie). Kies een andere dag.")
    if reason == "weekday":
        return _(
            "Deze set wisselt alleen op %(weekday)s.",
            weekday=lending_weekday(item.exchange_weekday),
        )
    if reason == "too long":
        return _("U kunt deze set hoogstens %(days)d dagen lenen.", days=item.max_loan_days)
    if reason == "before start":
        return _("De terugbrengdatum ligt vóór de ophaaldatum.")
    if reason == "inactive":
        return _("Deze set wordt op dit moment niet uitgeleend.")
    return _("Dit kan niet. Controleer de gegevens.")


def lending_weekday(weekday: int | None) -> str:
    return label("weekday", str(weekday)) if weekday is not None else ""


@bp.get("")
@coordinator_required
def catalogue():
    items = lending.listing(current_user, only_active=True)
    return render_template(
        "lending/catalogue.html", rows=lending.with_weeks(items, loans.today(utcnow()))
    )


def _item_page(item: LendingItem, form: ReserveForm, status: int = 200):
    now = utcnow()
    row = lending.with_weeks([item], loans.today(now))[0]
    return render_template("lending/item.html", item=item, row=row, form=form), status


@bp.route("/<id:item_id>", methods=["GET", "POST"])
@coordinator_required
def item(item_id: int):
    found = lending.get(current_user, item_id)
    form = ReserveForm()
    if not form.is_submitted():
        start, end = loans.default_period(found, utcnow())
        form.starts_on.data, form.ends_on.data = start.isoformat(), end.isoformat()
        form.sets.data = "1"
    if form.validate_on_submit() and form.starts_on.value and form.ends_on.value:
        wish = loans.Reservation(
            sets=form.sets.whole or 0,
            starts_on=form.starts_on.value,
            ends_on=form.ends_on.value,
            handover=Handover(form.handover.data),
            note=form.note.data or "",
        )
        try:
            with unit_of_work():
                loan = loans.reserve(current_user, found.id, wish, utcnow())
        except ValidationFailed as error:
            form[error.field].errors.append(reservation_message(error, found))
        else:
            if loan.decided_at is None:
                flash(
                    _("Uw reservering is aangevraagd. U krijgt bericht als ze is goedgekeurd."),
                    "success",
                )
            else:
                flash(
                    _("Uw reservering is goedgekeurd. U krijgt een bevestiging per e-mail."),
                    "success",
                )
            return redirect(url_for("lending.loans", _anchor=f"lening-{loan.id}"))
    return _item_page(found, form, 422 if form.errors else 200)


@bp.get("/reserveringen", endpoint="loans")
@coordinator_required
def my_loans():
    return render_template(
        "lending/loans.html", rows=loans.for_school(current_user.school_id), form=ActionForm()
    )


@bp.post("/reserveringen/<id:loan_id>/annuleren")
@coordinator_required
def cancel(loan_id: int):
    loans.get(current_user, loan_id)  # NotFound (404) for another school's loan
    form = ActionForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                loans.cancel(current_user, loan_id, utcnow())
        except InvalidTransition:
            flash(_("Deze reservering kan niet meer worden geannuleerd."), "info")
        else:
            flash(_("De reservering is geannuleerd; de sets zijn weer vrij."), "success")
    return redirect(url_for("lending.loans"))
