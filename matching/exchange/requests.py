"""Reading requests.json: decoded data or a file to validated Request objects."""

from __future__ import annotations

import os
from typing import Any

from matching.exchange.common import _gc_paused
from matching.exchange.decoding import read_json
from matching.exchange.fields import GeocoderLike, _Memo, _records, _resolver, _start
from matching.types import Request


def parse_requests(
    data: Any, file: str = "requests.json", geocoder: GeocoderLike | None = None
) -> list[Request]:
    """Validate decoded requests.json data into Request objects; a problem raises ExchangeError."""
    with _gc_paused():
        return _parse_requests(data, file, geocoder)


def _parse_requests(data: Any, file: str, geocoder: GeocoderLike | None) -> list[Request]:
    resolve = _resolver(geocoder)
    seen: dict[str, int] = {}
    memo = _Memo()
    requests = []
    for index, item in enumerate(_records(data, file)):
        r = _start(item, file, index, seen, memo)
        record_id = r.id or ""
        school = r.required("school")
        kinds = r.codes("kinds", required=True)
        sectors = r.codes("sectors")
        themes = r.strings("themes")
        target_group = r.code("target_group", r.text(r.get("target_group", True), "target_group"))
        group_size = r.count("group_size")
        location = r.location(resolve)
        max_travel_km = r.distance("max_travel_km")
        period = r.get("period")
        description = r.get("description")
        region = r.region_code("region")
        requests.append(
            Request(
                id=record_id,
                school=school,
                kinds=kinds,
                target_group=target_group,
                location=location,
                sectors=sectors,
                themes=themes,
                group_size=group_size,
                max_travel_km=max_travel_km,
                period=r.date_range(period, "period") if period is not None else None,
                description=r.text(description, "description", multiline=True)
                if description is not None
                else "",
                region=region,
            )
        )
    return requests


def load_requests(
    path: str | os.PathLike[str], geocoder: GeocoderLike | None = None
) -> list[Request]:
    """Read requests.json; any problem raises one ExchangeError."""
    return parse_requests(read_json(path), os.fspath(path), geocoder)
