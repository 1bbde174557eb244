"""Writing the exchange format: Offer and Request objects back to JSON records."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matching import vocabulary
from matching.exchange.common import _gc_paused
from matching.types import DateRange, Location, Offer, Request


def _plain(value: float) -> float | int:
    # 30.0 goes back out as 30, as people write it.
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _dump_location(location: Location) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if location.postcode is not None:
        out["postcode"] = location.postcode
    if location.place is not None:
        out["place"] = location.place
    if location.given_lat is not None and location.given_lon is not None:
        out["lat"], out["lon"] = location.given_lat, location.given_lon
    elif not out:
        # Built in code rather than read from a file: the coordinates are all there is.
        out["lat"], out["lon"] = location.lat, location.lon
    return out


def _dump_range(period: DateRange) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@_gc_paused()
def dump_offers(offers: Iterable[Offer]) -> list[dict[str, Any]]:
    """Offers back to exchange-format dicts, with only the keys that carry a value."""
    out = []
    for o in offers:
        d: dict[str, Any] = {"id": o.id, "organisation": o.organisation, "kinds": list(o.kinds)}
        if o.sectors:
            d["sectors"] = list(o.sectors)
        if o.themes:
            d["themes"] = list(o.themes)
        if o.target_groups:
            d["target_groups"] = list(o.target_groups)
        if o.where_given or tuple(o.where) != vocabulary.DEFAULT_WHERE:
            d["where"] = list(o.where)
        d.update(_dump_location(o.location))
        if o.travel_km is not None:
            d["travel_km"] = _plain(o.travel_km)
        if o.capacity is not None:
            d["capacity"] = o.capacity
        if o.available:
            d["available"] = [_dump_range(p) for p in o.available]
        if o.description:
            d["description"] = o.description
        if o.regions:
            d["regions"] = list(o.regions)
        out.append(d)
    return out


@_gc_paused()
def dump_requests(requests: Iterable[Request]) -> list[dict[str, Any]]:
    """Requests back to exchange-format dicts, with only the keys that carry a value."""
    out = []
    for q in requests:
        d: dict[str, Any] = {"id": q.id, "school": q.school, "kinds": list(q.kinds)}
        if q.sectors:
            d["sectors"] = list(q.sectors)
        if q.themes:
            d["themes"] = list(q.themes)
        d["target_group"] = q.target_group
        if q.group_size is not None:
            d["group_size"] = q.group_size
        d.update(_dump_location(q.location))
        if q.max_travel_km is not None:
            d["max_travel_km"] = _plain(q.max_travel_km)
        if q.period is not None:
            d["period"] = _dump_range(q.period)
        if q.description:
            d["description"] = q.description
        if q.region:
            d["region"] = q.region
        out.append(d)
    return out


def write_json(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> None:
    """Write records as UTF-8 JSON (not ASCII-escaped), indented by 2, newline at the end."""
    text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8", newline="\n")
