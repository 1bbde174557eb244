"""Region preference: out-of-region offers stay listed, rank lower and say so (nl/en)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from matching import MatchIndex, Weights, rank, rules
from matching.exchange import (
    ExchangeError,
    dump_offers,
    dump_requests,
    parse_offers,
    parse_requests,
)
from matching.reasons import region_label, region_labels
from matching.types import Match
from tests.matching.test_rules import make_offer, make_request, north_of

OFFER = {"id": "o1", "organisation": "A", "kinds": ["gastles"], "place": "Assen"}
REQUEST = {
    "id": "r1",
    "school": "S",
    "kinds": ["gastles"],
    "target_group": "vmbo_bovenbouw",
    "place": "Assen",
}


def by_id(matches: list[Match]) -> dict[str, Match]:
    return {m.offer_id: m for m in matches}


def region_reasons(match: Match) -> list[str]:
    return [r for r in match.reasons if "regio" in r or "region" in r]


# --- ranking --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", [("bij_bedrijf",), ("op_school",), ("online",)])
def test_in_region_beats_an_otherwise_identical_out_of_region_offer(where: tuple[str, ...]) -> None:
    # The out-of-region copy has the smaller id: a tie would put it first.
    offers = [
        make_offer("a-out", where=where, sectors=["pie"], regions=("twente",)),
        make_offer("b-in", where=where, sectors=["pie"], regions=("assen", "twente")),
    ]
    matches = rank(make_request(sectors=["pie"], region="assen"), offers, top=None)
    assert [m.offer_id for m in matches] == ["b-in", "a-out"]
    found = by_id(matches)
    assert found["a-out"].score < found["b-in"].score
    assert found["a-out"].score == pytest.approx(
        found["b-in"].score * Weights().region_mismatch_factor, abs=1e-4
    )
    assert region_reasons(found["a-out"]) == ["buiten uw regio: Twente"]
    assert region_reasons(found["b-in"]) == []


def test_out_of_region_offer_still_passes_the_hard_rules() -> None:
    offer = make_offer("o1", regions=("twente",))
    request = make_request(region="assen")
    assert rules.passes(offer, request, 0.0)
    assert rules.broken_rules(offer, request, 0.0) == []
    assert [m.offer_id for m in rank(request, [offer])] == ["o1"]


def test_online_offers_are_out_of_region_too() -> None:
    offers = [
        make_offer("a-out", where=["online"], regions=("twente",), at=north_of(150)),
        make_offer("b-in", where=["online"], regions=("assen",), at=north_of(150)),
    ]
    matches = rank(make_request(region="assen"), offers, top=None)
    assert [m.offer_id for m in matches] == ["b-in", "a-out"]
    assert "online" in matches[1].reasons
    assert region_reasons(matches[1]) == ["buiten uw regio: Twente"]


@pytest.mark.parametrize(
    ("offer_regions", "request_region"),
    [((), None), (("twente",), None), ((), "assen")],
    ids=["no-keys", "request-without-region", "offer-without-regions"],
)
def test_no_region_key_on_either_side_means_no_preference(
    offer_regions: tuple[str, ...], request_region: str | None
) -> None:
    plain = make_offer("a-plain")
    keyed = make_offer("b-keyed", regions=offer_regions)
    request = make_request(region=request_region)
    matches = by_id(rank(request, [plain, keyed], top=None))
    assert matches["a-plain"].score == matches["b-keyed"].score
    assert matches["a-plain"].reasons == matches["b-keyed"].reasons
    assert region_reasons(matches["b-keyed"]) == []


def test_the_penalty_is_a_named_weight() -> None:
    offers = [make_offer("o1", regions=("twente",)), make_offer("o2", regions=("assen",))]
    request = make_request(region="assen")
    neutral = by_id(MatchIndex(offers, Weights(region_mismatch_factor=1.0)).query(request))
    assert neutral["o1"].score == neutral["o2"].score
    assert region_reasons(neutral["o1"]) == ["buiten uw regio: Twente"]  # still said
    with pytest.raises(ValueError, match="region_mismatch_factor"):
        Weights(region_mismatch_factor=1.5)


def test_pruned_ranking_agrees_with_full_ranking_with_regions() -> None:
    offers = [
        make_offer(f"o{i:02d}", at=north_of(i), regions=(("assen",), ("twente",), ())[i % 3])
        for i in range(30)
    ]
    index = MatchIndex(offers)
    request = make_request(region="assen", description="lassen")
    full = index.query(request, top=None)
    assert index.query(request, top=5) == full[:5]
    outside = {o.id for o in offers if o.regions == ("twente",)}
    assert all(bool(region_reasons(m)) == (m.offer_id in outside) for m in full)


# --- the reason -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regions", "names", "lang", "expected"),
    [
        (("twente",), None, "nl", "buiten uw regio: Twente"),
        (("twente",), None, "en", "outside your region: Twente"),
        (("noord-drenthe",), None, "nl", "buiten uw regio: Noord-Drenthe"),
        (("twente",), {"twente": "Regio Twente"}, "nl", "buiten uw regio: Regio Twente"),
        (("twente",), {"twente": "Regio Twente"}, "en", "outside your region: Regio Twente"),
        (
            ("twente", "rijnmond"),
            {"rijnmond": "Rijnmond"},
            "nl",
            "buiten uw regio: Twente, Rijnmond",
        ),
        (("twente", "rijnmond", "groningen"), None, "en", "outside your region: Twente, Rijnmond"),
        (("twente", "x"), {"x": "bel 06-12345678"}, "nl", "buiten uw regio: Twente"),
        (("info@x.nl",), None, "nl", "buiten uw regio"),
        (("info@x.nl",), None, "en", "outside your region"),
    ],
)
def test_reason_names_the_offer_s_regions(
    regions: tuple[str, ...], names: dict[str, str] | None, lang: str, expected: str
) -> None:
    offer = make_offer("o1", regions=regions)
    (match,) = rank(make_request(region="assen"), [offer], lang=lang, region_names=names)
    assert region_reasons(match) == [expected]


def test_reason_is_listed_before_the_themes_however_many_reasons_follow() -> None:
    themes = ["zonnepanelen", "warmtepompen", "lassen", "robotica"]
    offer = make_offer(
        "o1",
        sectors=["pie"],
        themes=themes,
        where=["op_school"],
        capacity=30,
        regions=("twente",),
        description="zonnepanelen warmtepompen lassen robotica voor vmbo bovenbouw",
    )
    request = make_request(
        sectors=["pie"], themes=themes, group_size=20, region="assen", description="lassen"
    )
    (match,) = rank(request, [offer])
    position = match.reasons.index("buiten uw regio: Twente")
    assert match.reasons[:position] == (
        "soort: gastles",
        "profiel: pie",
        "afstand: 0 km",
        "komt naar school",
    )
    assert len(match.reasons) > position + 3


def test_region_label_title_cases_each_hyphen_part() -> None:
    assert region_label("twente") == "Twente"
    assert region_label("noord-drenthe") == "Noord-Drenthe"
    assert region_label("NOORD-drenthe") == "Noord-Drenthe"
    assert region_label("twente", {"twente": "Twente e.o."}) == "Twente e.o."
    assert region_label("twente", {"assen": "Assen"}) == "Twente"
    assert region_labels(["a", "b", "c"]) == ("A", "B")
    assert region_labels(["twente", "twente"]) == ("Twente",)


# --- reading and writing ----------------------------------------------------------------------


def test_region_keys_are_read_and_written_back() -> None:
    (offer,) = parse_offers([OFFER | {"regions": [" twente", "assen", "twente"]}])
    (request,) = parse_requests([REQUEST | {"region": "assen "}])
    assert offer.regions == ("twente", "assen")
    assert request.region == "assen"
    assert dump_offers([offer])[0]["regions"] == ["twente", "assen"]
    assert dump_requests([request])[0]["region"] == "assen"


def test_absent_null_and_empty_list_mean_no_region() -> None:
    offers = parse_offers(
        [OFFER, OFFER | {"id": "o2", "regions": None}, OFFER | {"id": "o3", "regions": []}]
    )
    assert [o.regions for o in offers] == [(), (), ()]
    requests = parse_requests([REQUEST, REQUEST | {"id": "r2", "region": None}])
    assert [r.region for r in requests] == [None, None]
    assert "regions" not in dump_offers(offers)[0]
    assert "region" not in dump_requests(requests)[0]


def test_any_region_code_is_accepted() -> None:
    (offer,) = parse_offers([OFFER | {"regions": ["Nergens-Land", "x_1"]}])
    assert offer.regions == ("Nergens-Land", "x_1")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("twente", "expected a list of region codes, got a string"),
        ({"twente": True}, "got an object"),
        (["twente", 3], "found a number"),
        ([["twente"]], "found an array"),
        ([None], "found null"),
        (["twente", ""], "must not be empty"),
        (["  "], "must not be empty"),
        (["twen\nte"], "U+000A"),
    ],
)
def test_bad_offer_regions(value: object, words: str) -> None:
    with pytest.raises(ExchangeError) as info:
        parse_offers([OFFER, OFFER | {"id": "o2", "regions": value}])
    error = info.value
    assert (error.file, error.record_id, error.field) == ("offers.json", "o2", "regions")
    assert words in str(error)
    assert len(str(error).splitlines()) == 1


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (["assen"], "expected a region code (a string), got an array"),
        (7, "got a number"),
        (True, "got true"),
        ({"code": "assen"}, "got an object"),
        ("", "must not be empty"),
        ("as\tsen", "U+0009"),
    ],
)
def test_bad_request_region(value: object, words: str) -> None:
    with pytest.raises(ExchangeError) as info:
        parse_requests([REQUEST | {"region": value}])
    error = info.value
    assert (error.file, error.record_id, error.field) == ("requests.json", "r1", "region")
    assert words in str(error)


def _cli(tmp_path: Path, offers: list[dict[str, Any]], requests: list[dict[str, Any]]) -> Any:
    (tmp_path / "offers.json").write_text(json.dumps(offers), encoding="utf-8")
    (tmp_path / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
    args = ["rank", "--offers", "offers.json", "--requests", "requests.json", "--lang", "en"]
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("offer_change", "request_change", "where"),
    [
        ({"regions": "twente"}, {}, ('offers.json: record "o1": field "regions"')),
        ({}, {"region": ["assen"]}, ('requests.json: record "r1": field "region"')),
    ],
)
def test_cli_bad_region_keys_give_exit_2_and_one_line(
    tmp_path: Path, offer_change: dict[str, Any], request_change: dict[str, Any], where: str
) -> None:
    done = _cli(tmp_path, [OFFER | offer_change], [REQUEST | request_change])
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(where)


def test_cli_ranks_out_of_region_offers_lower_with_the_reason(tmp_path: Path) -> None:
    offers = [
        OFFER | {"id": "a-out", "regions": ["noord-drenthe"]},
        OFFER | {"id": "b-in", "regions": ["assen"]},
    ]
    done = _cli(tmp_path, offers, [REQUEST | {"region": "assen"}])
    assert done.returncode == 0, done.stderr
    matches = json.loads(done.stdout)["rankings"][0]["matches"]
    assert [m["offer_id"] for m in matches] == ["b-in", "a-out"]
    assert "outside your region: Noord-Drenthe" in matches[1]["reasons"]
    assert matches[0]["reasons"] == [r for r in matches[1]["reasons"] if "region" not in r]
