"""Reading offers.json: decoded data or a file to validated Offer objects."""

from __future__ import annotations

import os
from typing import Any

from matching import vocabulary
from matching.exchange.common import _gc_paused, _json_type
from matching.exchange.decoding import read_json
from matching.exchange.fields import GeocoderLike, _Memo, _records, _resolver, _start
from matching.types import DateRange, Offer


def parse_offers(
    data: Any, file: str = "offers.json", geocoder: GeocoderLike | None = None
) -> list[Offer]:
    """Validate decoded offers.json data into Offer objects; a problem raises ExchangeError."""
    with _gc_paused():
        return _parse_offers(data, file, geocoder)


def _parse_offers(data: Any, file: str, geocoder: GeocoderLike | None) -> list[Offer]:
    resolve = _resolver(geocoder)
    seen: dict[str, int] = {}
    memo = _Memo()
    offers = []
    for index, item in enumerate(_records(data, file)):
        r = _start(item, file, index, seen, memo)
        record_id = r.id or ""
        organisation = r.required("organisation")
        kinds = r.codes("kinds", required=True)
        sectors = r.codes("sectors")
        themes = r.strings("themes")
        target_groups = r.codes("target_groups")
        where = r.codes("where")
        location = r.location(resolve)
        travel_km = r.distance("travel_km")
        capacity = r.count("capacity")
        available = r.get("available")
        if available is None:
            ranges: tuple[DateRange, ...] = ()
        elif not isinstance(available, list):
            r.fail("available", f"expected a list of date ranges, got {_json_type(available)}")
        else:
            ranges = tuple(r.date_range(v, f"available[{i}]") for i, v in enumerate(available))
        description = r.get("description")
        regions = r.region_codes("regions")
        offers.append(
            Offer(
                id=record_id,
                organisation=organisation,
                kinds=kinds,
                location=location,
                sectors=sectors,
                themes=themes,
                target_groups=target_groups,
                where=where or vocabulary.DEFAULT_WHERE,
                where_given=bool(where),
                travel_km=travel_km,
                capacity=capacity,
                available=ranges,
                description=r.text(description, "description", multiline=True)
                if description is not None
                else "",
                regions=regions,
            )
        )
    return offers


def load_offers(path: str | os.PathLike[str], geocoder: GeocoderLike | None = None) -> list[Offer]:
    """Read offers.json; any problem raises one ExchangeError."""
    return parse_offers(read_json(path), os.fspath(path), geocoder)
