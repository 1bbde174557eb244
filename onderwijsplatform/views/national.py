"""National totals for the programme: every region in figures, without personal data."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from onderwijsplatform.identity.roles import national_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.school_years import chosen_school_year
from onderwijsplatform.services import national, national_report, spreadsheets
from onderwijsplatform.transaction import unit_of_work

bp = Blueprint("national", __name__, url_prefix="/landelijk")


def _chosen_year() -> str:
    return chosen_school_year(request.args.get("jaar"), utcnow().date())


@bp.get("/", endpoint="totals")
@national_required
def totals_page():
    return render_template("national/totals.html", figures=national.totals(_chosen_year()))


@bp.get("/cofinanciering.<fmt>", endpoint="export")
@national_required
def export(fmt: str):
    # A download changes nothing but the audit log, which must record every export.
    if fmt not in spreadsheets.MEDIA_TYPES:
        abort(404)
    with unit_of_work():
        name, data = national_report.export(current_user, fmt, _chosen_year(), utcnow())
    return Response(
        data,
        mimetype=spreadsheets.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
