"""The five hard rules of the exchange format: when an offer cannot serve a request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from matching.types import DateRange, Offer, Request
from matching.vocabulary import DEFAULT_WHERE, KINDS, SECTORS, TARGET_GROUPS, WHERE

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "KIND_BITS",
    "RULE_NAMES",
    "SECTOR_BITS",
    "TARGET_GROUP_BITS",
    "WHERE_BITS",
    "broken_rules",
    "capacity_mask",
    "capacity_ok",
    "distance_mask",
    "distance_ok",
    "effective_where",
    "encode",
    "kind_mask",
    "kind_ok",
    "passes",
    "period_mask",
    "period_ok",
    "period_overlap_days",
    "target_group_mask",
    "target_group_ok",
]

RULE_NAMES: tuple[str, ...] = ("kind", "target_group", "period", "capacity", "distance")

# One bit per vocabulary code, in documented vocabulary order, so that "shares a
# code" is a single bitwise AND over a whole numpy array of offers.
KIND_BITS: dict[str, int] = {t.code: 1 << i for i, t in enumerate(KINDS)}
SECTOR_BITS: dict[str, int] = {t.code: 1 << i for i, t in enumerate(SECTORS)}
TARGET_GROUP_BITS: dict[str, int] = {t.code: 1 << i for i, t in enumerate(TARGET_GROUPS)}
WHERE_BITS: dict[str, int] = {t.code: 1 << i for i, t in enumerate(WHERE)}


def encode(codes: Iterable[str], bits: dict[str, int]) -> int:
    """Return the bitmask of ``codes``; codes outside the vocabulary add nothing.

    Parameters
    ----------
    codes : iterable of str
        Vocabulary codes.
    bits : dict of str to int
        One of ``KIND_BITS``, ``SECTOR_BITS``, ``TARGET_GROUP_BITS``, ``WHERE_BITS``.

    Returns
    -------
    int
        The OR of the codes' bits.
    """
    mask = 0
    for code in codes:
        mask |= bits.get(code, 0)
    return mask


def effective_where(offer: Offer) -> tuple[str, ...]:
    """Return the offer's ``where`` codes.

    Parameters
    ----------
    offer : Offer
        The offer.

    Returns
    -------
    tuple of str
        Its codes; ``("bij_bedrijf",)`` for an offer without them.
    """
    return tuple(offer.where) if offer.where else DEFAULT_WHERE


# --- scalar rules ---------------------------------------------------------------------------


def kind_ok(offer: Offer, request: Request) -> bool:
    """Rule 1: at least one kind code is in both.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.

    Returns
    -------
    bool
        True when this rule does not leave the offer out.
    """
    return not set(offer.kinds).isdisjoint(request.kinds)


def target_group_ok(offer: Offer, request: Request) -> bool:
    """Rule 2: the offer lists no target groups, or lists the request's.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.

    Returns
    -------
    bool
        True when this rule does not leave the offer out.
    """
    return not offer.target_groups or request.target_group in offer.target_groups


def period_ok(offer: Offer, request: Request) -> bool:
    """Rule 3: either side gives no dates, or some available range overlaps the period.

    Ranges are inclusive, so a range that touches the period on one day overlaps.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.

    Returns
    -------
    bool
        True when this rule does not leave the offer out.
    """
    if request.period is None or not offer.available:
        return True
    return any(r.overlaps(request.period) for r in offer.available)


def capacity_ok(offer: Offer, request: Request) -> bool:
    """Rule 4: either side gives no number, or the group fits the capacity.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.

    Returns
    -------
    bool
        True when this rule does not leave the offer out.
    """
    if offer.capacity is None or request.group_size is None:
        return True
    return request.group_size <= offer.capacity


def distance_ok(offer: Offer, request: Request, distance_km: float) -> bool:
    """Rule 5: the offer is online, or reachable ``bij_bedrijf`` or ``op_school``.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.
    distance_km : float
        Great-circle distance between the two locations (haversine, R = 6371 km).

    Returns
    -------
    bool
        True when the distance does not rule the offer out.
    """
    where = effective_where(offer)
    if "online" in where:
        return True
    if "bij_bedrijf" in where and (
        request.max_travel_km is None or distance_km <= request.max_travel_km
    ):
        return True
    return "op_school" in where and (offer.travel_km is None or distance_km <= offer.travel_km)


def broken_rules(offer: Offer, request: Request, distance_km: float) -> list[str]:
    """Return the names (from ``RULE_NAMES``) of the hard rules the pair breaks.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.
    distance_km : float
        Great-circle distance between the two locations in km.

    Returns
    -------
    list of str
        Empty when the offer can serve the request.
    """
    checks = (
        kind_ok(offer, request),
        target_group_ok(offer, request),
        period_ok(offer, request),
        capacity_ok(offer, request),
        distance_ok(offer, request, distance_km),
    )
    return [name for name, ok in zip(RULE_NAMES, checks, strict=True) if not ok]


def passes(offer: Offer, request: Request, distance_km: float) -> bool:
    """Return True when no hard rule leaves the offer out of the request's ranking.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair to check.
    distance_km : float
        Great-circle distance between the two locations in km.

    Returns
    -------
    bool
        Whether the offer may be listed for the request.
    """
    return (
        kind_ok(offer, request)
        and target_group_ok(offer, request)
        and period_ok(offer, request)
        and capacity_ok(offer, request)
        and distance_ok(offer, request, distance_km)
    )


def period_overlap_days(ranges: Iterable[DateRange], period: DateRange) -> int:
    """Return how many days of ``period`` fall in ``ranges``.

    Parameters
    ----------
    ranges : iterable of DateRange
        Inclusive ranges (an offer's ``available``).
    period : DateRange
        The request's period.

    Returns
    -------
    int
        Days in both, capped at the period's length.
    """
    total = 0
    for r in ranges:
        start, end = max(r.start, period.start), min(r.end, period.end)
        if start <= end:
            total += (end - start).days + 1
    return min(total, (period.end - period.start).days + 1)


# --- vectorised masks (one request against arrays of offers) --------------------------------


def kind_mask(offer_kinds: np.ndarray, request_kinds: int) -> npt.NDArray[np.bool_]:
    """Rule 1 over arrays of offers.

    Parameters
    ----------
    offer_kinds : ndarray of int
        Kind bitmasks of the offers.
    request_kinds : int
        Kind bitmask of the request.

    Returns
    -------
    ndarray of bool
        True where a kind is shared.
    """
    # numpy's stubs type == and != on arrays as Any; the result is a bool array.
    shared: npt.NDArray[np.bool_] = (offer_kinds & request_kinds) != 0
    return shared


def target_group_mask(offer_groups: np.ndarray, request_group: int) -> npt.NDArray[np.bool_]:
    """Rule 2 over arrays of offers.

    Parameters
    ----------
    offer_groups : ndarray of int
        Target-group bitmasks of the offers (0 = any).
    request_group : int
        Bit of the request's target group.

    Returns
    -------
    ndarray of bool
        True where the offer may serve the group.
    """
    allowed: npt.NDArray[np.bool_] = (offer_groups == 0) | ((offer_groups & request_group) != 0)
    return allowed


def capacity_mask(capacity: np.ndarray, group_size: int | None) -> npt.NDArray[np.bool_]:
    """Rule 4 over arrays of offers.

    Parameters
    ----------
    capacity : ndarray of float
        The offers' capacities (NaN = not given).
    group_size : int or None
        The request's group size.

    Returns
    -------
    ndarray of bool
        True where the group fits or a number is missing.
    """
    if group_size is None:
        return np.ones(capacity.shape, dtype=bool)
    # NaN compares False, so "not given" must be allowed explicitly.
    fits: npt.NDArray[np.bool_] = np.isnan(capacity) | (group_size <= capacity)
    return fits


def distance_mask(
    distance_km: np.ndarray,
    where: np.ndarray,
    travel_km: np.ndarray,
    max_travel_km: float | None,
) -> npt.NDArray[np.bool_]:
    """Rule 5 over arrays of offers.

    Parameters
    ----------
    distance_km : ndarray of float
        Distance from the request to each offer.
    where : ndarray of int
        ``where`` bitmasks (already defaulted to ``bij_bedrijf`` when not given).
    travel_km : ndarray of float
        The offers' ``travel_km``; NaN when not given.
    max_travel_km : float or None
        The request's ``max_travel_km``.

    Returns
    -------
    ndarray of bool
        True where the offer is online or reachable either way.
    """
    online = (where & WHERE_BITS["online"]) != 0
    at_company = (where & WHERE_BITS["bij_bedrijf"]) != 0
    if max_travel_km is not None:
        at_company &= distance_km <= max_travel_km
    at_school = ((where & WHERE_BITS["op_school"]) != 0) & (
        np.isnan(travel_km) | (distance_km <= travel_km)
    )
    reachable: npt.NDArray[np.bool_] = online | at_company | at_school
    return reachable


def period_mask(
    range_offer: np.ndarray,
    range_start: np.ndarray,
    range_end: np.ndarray,
    has_available: np.ndarray,
    period: DateRange | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rule 3 over arrays of offers whose ``available`` ranges are stored flat.

    Parameters
    ----------
    range_offer : ndarray of int
        For each stored range, the position of its offer in ``has_available``.
    range_start, range_end : ndarray of int
        Inclusive first and last day of each range, as ``date.toordinal()``.
    has_available : ndarray of bool
        Whether each offer lists any range (no ranges = always available).
    period : DateRange or None
        The request's period.

    Returns
    -------
    mask : ndarray of bool
        True where the rule lets the offer through.
    overlap_days : ndarray of float
        Days of the period covered by the offer's ranges (capped at the period's
        length); NaN where either side gives no dates.
    """
    n = has_available.shape[0]
    if period is None:
        return np.ones(n, dtype=bool), np.full(n, np.nan)
    p_start, p_end = period.start.toordinal(), period.end.toordinal()
    days = np.minimum(range_end, p_end) - np.maximum(range_start, p_start) + 1
    days = np.clip(days, 0, None).astype(np.float64)
    covered = np.bincount(range_offer, weights=days, minlength=n)
    covered = np.minimum(covered, p_end - p_start + 1)
    mask = ~has_available | (covered > 0)
    return mask, np.where(has_available, covered, np.nan)
