"""Public outcome links: company and school report what took place (GET shows, POST uses)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, render_template
from flask_babel import gettext as _

from onderwijsplatform.forms.outcomes import OutcomeForm
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import outcomes
from onderwijsplatform.services.errors import InvalidToken, NotFound
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("outcomes", __name__, url_prefix="/terugkoppeling")


@bp.route("/<token>", methods=["GET", "POST"], endpoint="report")
def report(token: str):
    now = utcnow()
    try:
        link, intro = outcomes.open_link(token, now)
    except (InvalidToken, NotFound):
        return render_template("outcomes/invalid.html"), 404
    side = outcomes.side_of(link)
    form = OutcomeForm()
    if form.validate_on_submit():
        # The number fields parse whole numbers to int and decimals to Decimal.
        pupils, hours = form.pupils.value, form.hours.value
        data = outcomes.Report(
            took_place=form.took_place.data == "ja",
            pupils=None if pupils is None else int(pupils),
            # Hours and materials are the company's to report; the school's form has none.
            hours=Decimal(hours) if side == "company" and hours is not None else None,
            materials_cents=(
                int(form.materials.value * 100)
                if side == "company" and form.materials.value is not None
                else None
            ),
            rating=int(form.rating.data) if form.rating.data else None,
            comment=form.comment.data or None,
        )
        try:
            with unit_of_work():
                outcomes.submit(token, data, now)
        except (InvalidToken, NotFound):
            return render_template("outcomes/invalid.html"), 404
        return render_template("outcomes/thanks.html", message=_("Dank u wel!"))
    status = 422 if form.errors else 200
    return render_template("outcomes/form.html", form=form, intro=intro, side=side), status
