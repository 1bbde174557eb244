"""The staff dashboard: the year's funnel, reach, co-financing and fairness."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from onderwijsplatform import labels
from onderwijsplatform.i18n import current_locale
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import OrganisationType
from onderwijsplatform.services import dashboard
from onderwijsplatform.views.staff.blueprint import bp
from onderwijsplatform.views.staff.ledger import chosen_year


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/", endpoint="dashboard")
@staff_required
def dashboard_page():
    lang = current_locale()
    kinds = dict(labels.choices("kinds", lang))
    profiles = dict(labels.choices("sectors", lang))
    filters = dashboard.Filters(
        kind=request.args.get("soort") if request.args.get("soort") in kinds else None,
        profile=request.args.get("profiel") if request.args.get("profiel") in profiles else None,
        school_id=_int_arg("school"),
        company_id=_int_arg("bedrijf"),
    )
    year = chosen_year()
    figures = dashboard.figures(current_user, year, filters)
    peak = max([n for _m, n in figures.per_month] + [1])
    return render_template(
        "staff/dashboard.html",
        figures=figures,
        year=year,
        filters=filters,
        kinds=kinds,
        profiles=profiles,
        schools=dashboard.organisation_choices(current_user, OrganisationType.SCHOOL),
        companies=dashboard.organisation_choices(current_user, OrganisationType.COMPANY),
        peak=peak,
    )
