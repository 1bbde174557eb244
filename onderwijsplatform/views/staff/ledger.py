"""The co-financing ledger: what took place, its value, who confirmed, and corrections."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.formatting import cents_for_input, for_input
from onderwijsplatform.forms.staff import CorrectionForm
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.school_years import chosen_school_year, school_year_bounds
from onderwijsplatform.services import outcomes
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


def chosen_year() -> str:
    """The school year asked for in ?jaar=, else the current one."""
    return chosen_school_year(request.args.get("jaar"), utcnow().date())


@bp.get("/cofinanciering", endpoint="ledger")
@staff_required
def ledger_page():
    year = chosen_year()
    start, end = school_year_bounds(year)
    entries = outcomes.ledger(current_user, start, end)
    total = sum(o.value_cents for o in entries if o.took_place)
    hours = sum((o.company_hours for o in entries if o.took_place), Decimal(0))
    return render_template(
        "staff/ledger.html", entries=entries, year=year, total=total, hours=hours
    )


@bp.route("/cofinanciering/<id:outcome_id>", methods=["GET", "POST"])
@staff_required
def correct(outcome_id: int):
    outcome = outcomes.get(current_user, outcome_id)
    form = CorrectionForm()
    if request.method == "GET":
        form.pupils.data = for_input(outcome.pupils)
        form.hours.data = for_input(outcome.company_hours)
        form.materials.data = cents_for_input(outcome.materials_cents)
    elif form.validate_on_submit():
        values = {}
        if form.pupils.value is not None:
            values["pupils"] = form.pupils.value
        if form.hours.value is not None:
            values["company_hours"] = form.hours.value
        if form.materials.value is not None:
            values["materials_cents"] = int(form.materials.value * 100)
        with unit_of_work():
            outcomes.correct(current_user, outcome_id, values, utcnow(), note=form.note.data)
        flash(_("De correctie is opgeslagen en in het logboek gezet."), "success")
        return redirect(url_for("staff.ledger"))
    status = 422 if form.errors else 200
    return render_template("staff/correct.html", form=form, outcome=outcome), status
