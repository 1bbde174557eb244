"""An independent reading of the exchange format's five hard rules, for judging rankings."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

EARTH_RADIUS_KM = 6371.0
RULES = ("kind", "target_group", "period", "capacity", "distance")
DEFAULT_WHERE = ("bij_bedrijf",)

Record = Mapping[str, Any]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (earth radius 6371 km)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _given(record: Record, key: str) -> Any:
    """The value of ``key``, with JSON null treated as absent."""
    return record.get(key)


def date_range(item: Mapping[str, str]) -> tuple[date, date]:
    """The (from, to) days of an exchange-format ``{"from": ..., "to": ...}`` range."""
    return date.fromisoformat(item["from"]), date.fromisoformat(item["to"])


_cache: dict[tuple[Any, ...], tuple[float, float]] = {}


def locate(record: Record) -> tuple[float, float]:
    """Resolve a record to (lat, lon): its own lat/lon, else the project's offline geocoder."""
    lat, lon = _given(record, "lat"), _given(record, "lon")
    if lat is not None and lon is not None:
        return float(lat), float(lon)
    key = (_given(record, "postcode"), _given(record, "place"))
    if key not in _cache:
        # Only the geocoder (postcode/place table) is shared with the project.
        from matching.geo import get_geocoder

        point = get_geocoder().resolve(postcode=key[0], place=key[1])
        _cache[key] = (point.lat, point.lon)
    return _cache[key]


def distance_km(offer: Record, request: Record) -> float:
    """Great-circle distance between an offer and a request, in km."""
    return haversine_km(*locate(offer), *locate(request))


def broken_rules(
    offer: Record,
    request: Record,
    distance: float | Callable[[Record, Record], float] = distance_km,
) -> list[str]:
    """The hard rules (names from ``RULES``) that keep ``offer`` from serving ``request``.

    ``distance`` is the distance in km or a function of (offer, request); it is
    only asked for when a travel limit applies.
    """
    broken: list[str] = []

    # 1. Kind: at least one kind in common.
    if not set(offer["kinds"]) & set(request["kinds"]):
        broken.append("kind")

    # 2. Target group: only when the offer lists target groups.
    groups = _given(offer, "target_groups") or []
    if groups and request["target_group"] not in groups:
        broken.append("target_group")

    # 3. Period: only when both give dates; touching for one day overlaps.
    period = _given(request, "period")
    available = _given(offer, "available") or []
    if period and available:
        start, end = date_range(period)
        if not any(a <= end and start <= b for a, b in map(date_range, available)):
            broken.append("period")

    # 4. Capacity: only when both give numbers.
    capacity, group_size = _given(offer, "capacity"), _given(request, "group_size")
    if capacity is not None and group_size is not None and group_size > capacity:
        broken.append("capacity")

    # 5. Distance: online offers always reach; otherwise one way must reach.
    # An offer without ``where`` (absent, null or empty) counts as bij_bedrijf.
    where = _given(offer, "where") or DEFAULT_WHERE
    if "online" not in where:
        max_travel = _given(request, "max_travel_km")
        travel = _given(offer, "travel_km")
        needs_km = ("bij_bedrijf" in where and max_travel is not None) or (
            "op_school" in where and travel is not None
        )
        km = None
        if needs_km:
            km = distance(offer, request) if callable(distance) else distance
        reaches = ("bij_bedrijf" in where and (max_travel is None or km <= max_travel)) or (
            "op_school" in where and (travel is None or km <= travel)
        )
        if not reaches:
            broken.append("distance")

    return broken


def passes(
    offer: Record,
    request: Record,
    distance: float | Callable[[Record, Record], float] = distance_km,
) -> bool:
    """True when no hard rule keeps ``offer`` from serving ``request``."""
    return not broken_rules(offer, request, distance)
