"""The five hard rules of the exchange format, each at its edges, scalar and vectorised."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from matching import rules
from matching.geo import haversine_km
from matching.index import MatchIndex
from matching.types import DateRange, Location, Offer, Request

ASSEN = (52.9925, 6.5649)


def make_offer(id: str = "o1", **kw: Any) -> Offer:
    """An offer that passes every rule for ``make_request()`` unless told otherwise."""
    lat, lon = kw.pop("at", ASSEN)
    kw.setdefault("organisation", "Bedrijf " + id)
    kw.setdefault("kinds", ("gastles",))
    kw["location"] = Location(lat, lon)
    for key in ("kinds", "sectors", "themes", "target_groups", "where", "available"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return Offer(id=id, **kw)


def make_request(id: str = "r1", **kw: Any) -> Request:
    """A request in Assen for a gastles for vmbo_bovenbouw."""
    lat, lon = kw.pop("at", ASSEN)
    kw.setdefault("school", "School " + id)
    kw.setdefault("kinds", ("gastles",))
    kw.setdefault("target_group", "vmbo_bovenbouw")
    kw["location"] = Location(lat, lon)
    for key in ("kinds", "sectors", "themes"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return Request(id=id, **kw)


def days(start: str, end: str) -> DateRange:
    return DateRange(date.fromisoformat(start), date.fromisoformat(end))


def north_of(km: float, origin: tuple[float, float] = ASSEN) -> tuple[float, float]:
    """A point ``km`` due north of ``origin`` (on the sphere of radius 6371 km)."""
    return origin[0] + np.degrees(km / 6371.0), origin[1]


# --- 1. kind ------------------------------------------------------------------------------


def test_kind_shared_passes_and_none_shared_fails() -> None:
    request = make_request(kinds=["gastles", "lesmodule"])
    assert rules.kind_ok(make_offer(kinds=["lesmodule", "materialen"]), request)
    assert not rules.kind_ok(make_offer(kinds=["bedrijfsbezoek"]), request)
    assert rules.broken_rules(make_offer(kinds=["materialen"]), request, 0.0) == ["kind"]


# --- 2. target group ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "ok"),
    [((), True), (("vmbo_bovenbouw",), True), (("po", "vmbo_bovenbouw"), True), (("po",), False)],
)
def test_target_group(groups: tuple[str, ...], ok: bool) -> None:
    assert rules.target_group_ok(make_offer(target_groups=groups), make_request()) is ok


# --- 3. period ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "ok"),
    [
        ((), True),  # no dates on the offer: always available
        ((days("2027-01-01", "2027-02-28"),), True),  # touches the period's first day
        ((days("2027-03-31", "2027-04-30"),), True),  # touches the period's last day
        ((days("2027-01-01", "2027-02-27"),), False),  # ends the day before
        ((days("2027-04-01", "2027-04-30"),), False),  # starts the day after
        ((days("2026-01-01", "2026-02-01"), days("2027-03-10", "2027-03-10")), True),
        ((days("2027-02-01", "2027-04-30"),), True),  # covers it
    ],
)
def test_period(available: tuple[DateRange, ...], ok: bool) -> None:
    request = make_request(period=days("2027-02-28", "2027-03-31"))
    assert rules.period_ok(make_offer(available=available), request) is ok


def test_period_without_request_period_passes() -> None:
    offer = make_offer(available=[days("2020-01-01", "2020-01-02")])
    assert rules.period_ok(offer, make_request())


# --- 4. capacity --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "group", "ok"),
    [(None, 30, True), (25, None, True), (25, 25, True), (25, 26, False), (1, 1, True)],
)
def test_capacity(capacity: int | None, group: int | None, ok: bool) -> None:
    assert rules.capacity_ok(make_offer(capacity=capacity), make_request(group_size=group)) is ok


# --- 5. distance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "travel_km", "max_travel_km", "distance", "ok"),
    [
        (("online",), 1.0, 1.0, 500.0, True),  # online: distance does not matter
        (("online", "bij_bedrijf"), None, 1.0, 500.0, True),
        (("bij_bedrijf",), None, None, 500.0, True),  # no limit given
        (("bij_bedrijf",), None, 20.0, 20.0, True),  # exactly at the limit
        (("bij_bedrijf",), None, 20.0, 20.001, False),
        (("bij_bedrijf",), 100.0, 20.0, 30.0, False),  # travel_km is for op_school only
        (("op_school",), None, 5.0, 500.0, True),  # the company gives no limit
        (("op_school",), 30.0, None, 30.0, True),
        (("op_school",), 30.0, 100.0, 30.5, False),  # max_travel_km is for bij_bedrijf only
        (("op_school", "bij_bedrijf"), 10.0, 20.0, 15.0, True),  # reachable one way
        (("op_school", "bij_bedrijf"), 10.0, 20.0, 25.0, False),
        ((), None, 20.0, 25.0, False),  # no where: counts as bij_bedrijf
        ((), None, 20.0, 15.0, True),
        ((), 100.0, 20.0, 25.0, False),
    ],
)
def test_distance(
    where: tuple[str, ...],
    travel_km: float | None,
    max_travel_km: float | None,
    distance: float,
    ok: bool,
) -> None:
    offer = make_offer(where=where, travel_km=travel_km)
    request = make_request(max_travel_km=max_travel_km)
    assert rules.distance_ok(offer, request, distance) is ok
    assert rules.passes(offer, request, distance) is ok


def test_offer_without_where_counts_as_bij_bedrijf() -> None:
    assert rules.effective_where(make_offer(where=())) == ("bij_bedrijf",)
    assert rules.effective_where(make_offer(where=("online",))) == ("online",)


def test_passes_needs_every_rule() -> None:
    request = make_request(group_size=20, max_travel_km=10, period=days("2027-03-01", "2027-03-05"))
    good = make_offer(capacity=20, available=[days("2027-03-05", "2027-03-06")])
    assert rules.passes(good, request, 10.0)
    assert rules.broken_rules(good, request, 10.0) == []
    bad = make_offer(
        kinds=["materialen"],
        target_groups=["po"],
        capacity=5,
        available=[days("2020-01-01", "2020-01-01")],
    )
    assert rules.broken_rules(bad, request, 11.0) == list(rules.RULE_NAMES)


def test_period_overlap_days_counts_inclusive_days() -> None:
    period = days("2027-03-01", "2027-03-10")
    assert rules.period_overlap_days([days("2027-03-10", "2027-04-01")], period) == 1
    assert rules.period_overlap_days([days("2027-01-01", "2027-12-31")], period) == 10
    assert rules.period_overlap_days([days("2027-04-01", "2027-04-02")], period) == 0


# --- the index applies the same rules ----------------------------------------------------


def test_index_leaves_out_exactly_the_offers_that_break_a_rule() -> None:
    rng = random.Random(7)
    kinds = ["gastles", "bedrijfsbezoek", "lesmodule"]
    groups = ["po", "vmbo_bovenbouw", "mbo"]
    where = [(), ("bij_bedrijf",), ("op_school",), ("online",), ("op_school", "bij_bedrijf")]
    start = date(2027, 1, 1)
    offers = []
    for i in range(300):
        s = start + timedelta(days=rng.randrange(0, 200))
        offers.append(
            make_offer(
                f"o{i:03d}",
                kinds=rng.sample(kinds, rng.randint(1, 2)),
                target_groups=rng.sample(groups, rng.randint(0, 2)),
                where=rng.choice(where),
                travel_km=rng.choice([None, 5.0, 20.0, 60.0]),
                capacity=rng.choice([None, 10, 25, 40]),
                available=rng.choice([(), (DateRange(s, s + timedelta(days=rng.randrange(30))),)]),
                at=(rng.uniform(50.8, 53.4), rng.uniform(3.5, 7.1)),
            )
        )
    index = MatchIndex(offers)
    for j in range(40):
        s = start + timedelta(days=rng.randrange(0, 200))
        request = make_request(
            f"r{j}",
            kinds=rng.sample(kinds, rng.randint(1, 2)),
            target_group=rng.choice(groups),
            group_size=rng.choice([None, 15, 30]),
            max_travel_km=rng.choice([None, 10.0, 40.0]),
            period=rng.choice([None, DateRange(s, s + timedelta(days=rng.randrange(20)))]),
            at=(rng.uniform(50.8, 53.4), rng.uniform(3.5, 7.1)),
        )
        listed = {m.offer_id for m in index.query(request, top=None)}
        expected = {
            o.id
            for o in offers
            if rules.passes(o, request, haversine_km(*request_at(request), *offer_at(o)))
        }
        assert listed == expected


def request_at(request: Request) -> tuple[float, float]:
    return request.location.lat, request.location.lon


def offer_at(offer: Offer) -> tuple[float, float]:
    return offer.location.lat, offer.location.lon


def test_index_distance_edge_agrees_with_scalar_rule() -> None:
    # An offer exactly at max_travel_km (as the scalar haversine computes it) is listed.
    here = ASSEN
    there = north_of(20.0)
    exact = haversine_km(*here, *there)
    offer = make_offer(at=there)
    inside = make_request(max_travel_km=exact)
    outside = make_request(max_travel_km=np.nextafter(exact, 0.0))
    assert [m.offer_id for m in MatchIndex([offer]).query(inside)] == ["o1"]
    assert rules.passes(offer, inside, exact)
    assert MatchIndex([offer]).query(outside) == []
    assert not rules.passes(offer, outside, exact)


def test_vectorised_masks_match_scalar_rules() -> None:
    capacity = np.array([np.nan, 10.0, 20.0])
    assert rules.capacity_mask(capacity, 20).tolist() == [True, False, True]
    assert rules.capacity_mask(capacity, None).all()
    groups = np.array([0, rules.TARGET_GROUP_BITS["po"], rules.TARGET_GROUP_BITS["mbo"]])
    assert rules.target_group_mask(groups, rules.TARGET_GROUP_BITS["mbo"]).tolist() == [
        True,
        False,
        True,
    ]
    where = np.array(
        [
            rules.WHERE_BITS["online"],
            rules.WHERE_BITS["bij_bedrijf"],
            rules.WHERE_BITS["op_school"],
            rules.WHERE_BITS["op_school"],
        ]
    )
    travel = np.array([np.nan, np.nan, 10.0, np.nan])
    dist = np.array([900.0, 21.0, 10.0, 900.0])
    assert rules.distance_mask(dist, where, travel, 20.0).tolist() == [True, False, True, True]
    range_offer = np.array([0, 0, 2])
    start = np.array([date(2027, 1, 1).toordinal(), date(2027, 6, 1).toordinal(), 0])
    end = np.array([date(2027, 1, 31).toordinal(), date(2027, 6, 30).toordinal(), 1])
    has = np.array([True, False, True])
    mask, overlap = rules.period_mask(
        range_offer, start, end, has, days("2027-01-31", "2027-02-10")
    )
    assert mask.tolist() == [True, True, False]
    assert overlap[0] == 1
    assert np.isnan(overlap[1])
    assert overlap[2] == 0
