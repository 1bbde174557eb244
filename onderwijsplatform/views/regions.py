"""Public pages per region: its figures, its catalogue of offers and kits, an embeddable copy."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from onderwijsplatform.forms.catalogue import CatalogueFilterForm
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import catalogue, lending, loans, regions
from onderwijsplatform.services.errors import ValidationFailed

bp = Blueprint("regions", __name__, url_prefix="/r/<code>")

MESSAGES = {
    "kind": _l("Kies een soort uit de lijst."),
    "sector": _l("Kies een profiel uit de lijst."),
    "target_group": _l("Kies een doelgroep uit de lijst."),
    "within_km": _l("Vul een afstand in van 1 tot en met 300 km."),
    "near": _l("Deze postcode of plaats kennen we niet."),
}


@bp.get("/", endpoint="home")
def region_home(code: str):
    page = catalogue.page_of(regions.by_code(code))
    return render_template("regions/home.html", page=page)


def _catalogue(code: str, template: str):
    region = regions.by_code(code)
    form = CatalogueFilterForm(request.args)
    results, status = None, 200
    if form.validate():
        filters = catalogue.Filters(
            kind=form.kind.data or None,
            sector=form.sector.data or None,
            target_group=form.target_group.data or None,
            online=bool(form.online.data),
            near=form.near.data or None,
            within_km=form.within_km.whole or 25,
        )
        try:
            results = catalogue.offers(region, filters, request.args.get("pagina", 1, type=int))
        except ValidationFailed as error:
            form[error.field].errors.append(str(MESSAGES[error.field]))
    if results is None:
        status = 400

    def page_url(number: int) -> str:
        args: dict[str, Any] = {**request.args, "code": code, "pagina": number}
        return url_for(request.endpoint or "", **args)

    return render_template(
        template, region=region, form=form, results=results, page_url=page_url
    ), status


@bp.get("/aanbod", endpoint="catalogue")
def catalogue_page(code: str):
    return _catalogue(code, "regions/catalogue.html")


@bp.get("/embed", endpoint="embed")
def embed(code: str):
    # security.py lets any site frame this page (and no other).
    return _catalogue(code, "regions/embed.html")


@bp.get("/uitlenen", endpoint="lending")
def lending_catalogue(code: str):
    region = regions.by_code(code)
    rows = lending.with_weeks(lending.public_listing(region.id), loans.today(utcnow()))
    return render_template("regions/lending.html", region=region, rows=rows)
