"""National totals for the programme: every region in figures, without personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from onderwijsplatform.identity.roles import national_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.school_years import chosen_school_year
from onderwijsplatform.services import national

bp = Blueprint("national", __name__, url_prefix="/landelijk")


@bp.get("/", endpoint="totals")
@national_required
def totals_page():
    year = chosen_school_year(request.args.get("jaar"), utcnow().date())
    return render_template("national/totals.html", figures=national.totals(year))
