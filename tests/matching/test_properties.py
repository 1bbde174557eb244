"""Properties of the ranking over generated offers and requests (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import MatchIndex, rank
from matching.geo import haversine_km
from matching.rules import passes
from matching.types import DateRange, Location, Offer, Request

KINDS = ["gastles", "bedrijfsbezoek", "lesmodule", "stage_leerling"]
SECTORS = ["pie", "bwi", "mvi", "zw"]
GROUPS = ["po", "vmbo_bovenbouw", "mbo"]
WHERE = [(), ("bij_bedrijf",), ("op_school",), ("online",), ("op_school", "bij_bedrijf")]
THEMES = ["lassen", "3D-printen", "3d printing", "zonnepanelen", "robotica", "zorg", "hout"]
REGIONS = [(), ("assen",), ("twente",), ("assen", "twente")]
WORDS = ["gastles", "over", "warmtepompen", "installatietechniek", "robots", "bakken", "de", "zorg"]

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

lat = st.floats(52.0, 53.0)
lon = st.floats(5.5, 7.0)
maybe_km = st.one_of(st.none(), st.sampled_from([0.0, 5.0, 20.0, 50.0]))


@st.composite
def date_ranges(draw: st.DrawFn) -> DateRange:
    start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 120)))
    return DateRange(start, start + timedelta(days=draw(st.integers(0, 40))))


@st.composite
def offers(draw: st.DrawFn, id: str) -> Offer:
    return Offer(
        id=id,
        organisation="Bedrijf",
        kinds=tuple(draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True))),
        location=Location(draw(lat), draw(lon)),
        sectors=tuple(draw(st.lists(st.sampled_from(SECTORS), max_size=2, unique=True))),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), max_size=2, unique=True))),
        target_groups=tuple(draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True))),
        where=draw(st.sampled_from(WHERE)),
        travel_km=draw(maybe_km),
        capacity=draw(st.one_of(st.none(), st.integers(1, 40))),
        available=tuple(draw(st.lists(date_ranges(), max_size=2))),
        description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
        yearly_limit=draw(st.one_of(st.none(), st.integers(1, 5))),
        introductions_this_year=draw(st.integers(0, 6)),
        regions=draw(st.sampled_from(REGIONS)),
    )


@st.composite
def offer_lists(draw: st.DrawFn) -> list[Offer]:
    n = draw(st.integers(0, 12))
    return [draw(offers(f"o{i:02d}")) for i in range(n)]


@st.composite
def requests(draw: st.DrawFn) -> Request:
    return Request(
        id="r1",
        school="School",
        kinds=tuple(draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True))),
        target_group=draw(st.sampled_from(GROUPS)),
        location=Location(draw(lat), draw(lon)),
        sectors=tuple(draw(st.lists(st.sampled_from(SECTORS), max_size=2, unique=True))),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), max_size=2, unique=True))),
        group_size=draw(st.one_of(st.none(), st.integers(1, 40))),
        max_travel_km=draw(maybe_km),
        period=draw(st.one_of(st.none(), date_ranges())),
        description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
        region=draw(st.sampled_from([None, "assen", "twente"])),
    )


def km(offer: Offer, request: Request) -> float:
    return haversine_km(
        request.location.lat, request.location.lon, offer.location.lat, offer.location.lon
    )


@SETTINGS
@given(offer_lists(), requests())
def test_never_lists_an_offer_that_breaks_a_hard_rule(
    offers: list[Offer], request: Request
) -> None:
    by_id = {o.id: o for o in offers}
    listed = rank(request, offers, top=None)
    for match in listed:
        assert passes(by_id[match.offer_id], request, km(by_id[match.offer_id], request))
    allowed = {o.id for o in offers if passes(o, request, km(o, request))}
    assert {m.offer_id for m in listed} == allowed


@SETTINGS
@given(offer_lists(), requests(), st.integers(1, 5))
def test_scores_in_unit_interval_sorted_and_at_most_top(
    offers: list[Offer], request: Request, top: int
) -> None:
    matches = rank(request, offers, top=top)
    assert len(matches) <= top
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    keys = [(-m.score, m.offer_id) for m in matches]
    assert keys == sorted(keys)
    assert all(round(m.score, 4) == m.score for m in matches)


@SETTINGS
@given(offer_lists(), requests(), st.randoms(use_true_random=False))
def test_deterministic_and_invariant_to_offer_order(
    offers: list[Offer], request: Request, rnd: object
) -> None:
    first = rank(request, offers, top=None)
    assert rank(request, offers, top=None) == first
    shuffled = list(offers)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rank(request, shuffled, top=None) == first
    assert rank(request, shuffled, top=3) == first[:3]


@SETTINGS
@given(offers("o-x"), requests(), st.floats(0.0, 1.0), st.floats(0.0, 0.5))
def test_nearer_offer_never_ranks_below_an_identical_farther_one(
    offer: Offer, request: Request, share: float, extra_deg: float
) -> None:
    # Two copies on the line from the request outwards: the nearer one gets the larger id,
    # so a tie would go to the farther one; its score must still be at least as high.
    r_lat, r_lon = request.location.lat, request.location.lon
    d_lat, d_lon = offer.location.lat - r_lat, offer.location.lon - r_lon
    scale = 1.0 + extra_deg
    far = _moved(offer, "a-far", r_lat + d_lat * scale, r_lon + d_lon * scale)
    near = _moved(offer, "b-near", r_lat + d_lat * share, r_lon + d_lon * share)
    matches = {m.offer_id: m for m in MatchIndex([far, near]).query(request, top=None)}
    if "a-far" in matches:
        assert "b-near" in matches
        assert matches["b-near"].score >= matches["a-far"].score
        assert matches["b-near"].parts["distance"] >= matches["a-far"].parts["distance"]


def _moved(offer: Offer, id: str, lat: float, lon: float) -> Offer:
    fields = {name: getattr(offer, name) for name in offer.__slots__}
    return Offer(**{**fields, "id": id, "location": Location(lat, lon)})


def _out_of_region(offer: Offer, request: Request) -> bool:
    return bool(request.region and offer.regions and request.region not in offer.regions)


@SETTINGS
@given(offers("o-x"), requests(), st.sampled_from(REGIONS[1:]), st.sampled_from(["nl", "en"]))
def test_in_region_copy_never_ranks_below_an_out_of_region_one(
    offer: Offer, request: Request, regions: tuple[str, ...], lang: str
) -> None:
    # The out-of-region copy gets the smaller id, so a tie would put it first.
    outside = _with(offer, "a-out", regions=regions)
    inside = _with(offer, "b-in", regions=(*regions, "elders"))
    request = _with(request, request.id, region="elders")
    listed = rank(request, [outside, inside], top=None, lang=lang)
    assert [m.offer_id for m in listed] in ([], ["b-in", "a-out"])
    if listed:
        assert listed[0].score > listed[1].score


@SETTINGS
@given(offer_lists(), requests(), st.sampled_from(["nl", "en"]))
def test_every_out_of_region_match_says_so_and_no_other_does(
    offers: list[Offer], request: Request, lang: str
) -> None:
    by_id = {o.id: o for o in offers}
    phrase = "outside your region" if lang == "en" else "buiten uw regio"
    for match in rank(request, offers, top=None, lang=lang):
        said = [r for r in match.reasons if r.startswith(phrase)]
        assert len(said) == _out_of_region(by_id[match.offer_id], request)


def _with(record: Any, id: str, **changes: Any) -> Any:
    fields = {name: getattr(record, name) for name in record.__slots__}
    return type(record)(**{**fields, "id": id, **changes})
