"""The API's routes: regions, a region's offers and lendable items, and their OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from werkzeug.wrappers import Response

from onderwijsplatform.forms.catalogue import CatalogueFilterForm
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import catalogue, exchange_files, lending, loans, regions
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.views.api.blueprint import bp
from onderwijsplatform.views.api.openapi import document

MAX_PER_PAGE = 100
MAX_WEEKS = 26


def bad_parameter(name: str, message: str) -> tuple[Response, int]:
    """A 400 naming the query parameter that is wrong."""
    return jsonify({"error": {"status": 400, "parameter": name, "message": message}}), 400


@bp.get("/openapi.json", endpoint="openapi")
def openapi() -> Response:
    return jsonify(document())


@bp.get("/regions", endpoint="regions")
def list_regions() -> Response:
    return jsonify(
        {
            "regions": [
                {
                    "code": row.region.code,
                    "name": row.region.name,
                    "active_offers": row.active_offers,
                    "schools": row.schools,
                    "open_requests": row.open_requests,
                }
                for row in regions.listing()
            ]
        }
    )


def _unexpected(known: set[str]) -> tuple[Response, int] | None:
    """A 400 for a parameter that is unknown, empty or given twice; None when all are fine."""
    seen: set[str] = set()
    for name, value in request.args.items(multi=True):
        if name not in known:
            return bad_parameter(name, "unknown parameter")
        if not value:
            return bad_parameter(name, "give a value, or leave the parameter out")
        if name in seen:
            return bad_parameter(name, "give this parameter once")
        seen.add(name)
    return None


def _page_number(name: str, default: int, high: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= high:
        raise ValidationFailed(name, f"a whole number from 1 to {high}")
    return int(text)


@bp.get("/regions/<code>/offers", endpoint="offers")
def list_offers(code: str) -> Response | tuple[Response, int]:
    region = regions.by_code(code)
    known = {"kind", "sector", "target_group", "online", "near", "within_km", "page", "per_page"}
    if (refused := _unexpected(known)) is not None:
        return refused
    if request.args.get("online", "true") not in ("true", "false"):
        return bad_parameter("online", "true or false")
    form = CatalogueFilterForm(request.args)
    if not form.validate():
        name, problems = next(iter(form.errors.items()))
        return bad_parameter(name, str(problems[0]))
    try:
        page = _page_number("page", 1, 100_000)
        per_page = _page_number("per_page", catalogue.PER_PAGE, MAX_PER_PAGE)
        filters = catalogue.Filters(
            kind=form.kind.data or None,
            sector=form.sector.data or None,
            target_group=form.target_group.data or None,
            online=request.args.get("online") == "true",
            near=form.near.data or None,
            within_km=form.within_km.whole or 25,
        )
        results = catalogue.offers(region, filters, page, per_page=per_page)
    except ValidationFailed as error:
        return bad_parameter(error.field, error.message)
    body: dict[str, Any] = {
        "region": region.code,
        "page": results.page,
        "per_page": results.per_page,
        "total": results.total,
        "pages": results.pages,
        "next": None,
        "offers": exchange_files.offer_documents(results.items),
    }
    if results.has_next:
        args: dict[str, Any] = {**request.args, "page": results.page + 1}
        body["next"] = url_for("api.offers", code=region.code, _external=True, **args)
    return jsonify(body)


@bp.get("/regions/<code>/items", endpoint="items")
def list_items(code: str) -> Response | tuple[Response, int]:
    region = regions.by_code(code)
    if (refused := _unexpected({"weeks"})) is not None:
        return refused
    try:
        weeks = _page_number("weeks", lending.WEEKS_SHOWN, MAX_WEEKS)
    except ValidationFailed as error:
        return bad_parameter(error.field, error.message)
    rows = lending.with_weeks(lending.public_listing(region.id), loans.today(utcnow()), weeks)
    return jsonify(
        {
            "region": region.code,
            "items": [
                {
                    "id": row.item.id,
                    "title": row.item.title,
                    "description": row.item.description,
                    "owner": row.item.owner.name if row.item.owner else None,
                    "kinds": row.item.kinds,
                    "sectors": row.item.sectors,
                    "themes": row.item.themes,
                    "target_groups": row.item.target_groups,
                    "sets": row.item.quantity,
                    "loan_days": row.item.loan_days,
                    "components": [{"name": c.name, "count": c.count} for c in row.item.components],
                    "weeks": [
                        {
                            "year": w.monday.isocalendar().year,
                            "week": w.number,
                            "monday": w.monday.isoformat(),
                            "free": w.free,
                        }
                        for w in row.weeks
                    ],
                }
                for row in rows
            ],
        }
    )
