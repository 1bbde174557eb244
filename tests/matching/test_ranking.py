"""Ranking: order, ties, top-K, scores, reasons in Dutch and English, and the spec examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import matching
from matching import ALGORITHM_VERSION, MatchIndex, TextSimilarity, Weights, rank
from matching.exchange import load_offers, load_requests
from matching.features import (
    ThemeMatcher,
    normalise_theme,
    theme_in_text,
    theme_similarity,
    token_similarity,
)
from matching.reasons import clean_label
from tests.matching.test_rules import days, make_offer, make_request, north_of

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "spec_examples"


def ids(matches: list[matching.Match]) -> list[str]:
    return [m.offer_id for m in matches]


# --- order, ties, top-K ---------------------------------------------------------------------


def test_better_fit_ranks_first_and_scores_lie_in_unit_interval() -> None:
    request = make_request(sectors=["pie"], themes=["zonnepanelen"])
    offers = [
        make_offer("o-far", sectors=["pie"], themes=["zonnepanelen"], at=north_of(40)),
        make_offer("o-wrong", sectors=["zw"], themes=["EHBO"]),
        make_offer("o-best", sectors=["pie"], themes=["zonnepanelen"]),
    ]
    matches = rank(request, offers)
    assert ids(matches) == ["o-best", "o-far", "o-wrong"]
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_ties_are_broken_by_offer_id() -> None:
    offers = [make_offer(i) for i in ("o3", "o1", "o10", "o2")]
    matches = rank(make_request(), offers)
    assert len({m.score for m in matches}) == 1
    assert ids(matches) == ["o1", "o10", "o2", "o3"]


def test_top_limits_the_list_and_none_lists_all() -> None:
    offers = [make_offer(f"o{i:02d}", at=north_of(i)) for i in range(15)]
    assert ids(rank(make_request(), offers, top=3)) == ["o00", "o01", "o02"]
    assert len(rank(make_request(), offers)) == 10
    assert len(rank(make_request(), offers, top=None)) == 15
    assert rank(make_request(), offers, top=0) == []
    with pytest.raises(ValueError, match="top"):
        rank(make_request(), offers, top=-1)


def test_pruned_text_scoring_gives_the_same_top_as_full_scoring() -> None:
    rng = np.random.default_rng(3)
    words = ["lassen", "zonnepanelen", "robots", "bakken", "hout", "auto", "zorg", "data"]
    offers = [
        make_offer(
            f"o{i:03d}",
            sectors=[["pie", "bwi", "mvi", "zw"][i % 4]],
            description=" ".join(rng.choice(words, 5)),
            at=north_of(float(rng.uniform(0, 60))),
        )
        for i in range(200)
    ]
    index = MatchIndex(offers)
    request = make_request(sectors=["pie"], description="lassen en zonnepanelen")
    full = index.query(request, top=None)
    assert index.query(request, top=7) == full[:7]


def test_empty_offers_and_no_candidates() -> None:
    assert rank(make_request(), []) == []
    assert rank(make_request(kinds=["materialen"]), [make_offer()]) == []
    assert MatchIndex([]).query_many([make_request(), make_request("r2")]) == [[], []]


def test_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="o1: kinds: unknown code 'gastlezing'"):
        MatchIndex([make_offer(kinds=["gastlezing"])])


def test_query_many_keeps_request_order() -> None:
    offers = [make_offer("a", sectors=["pie"]), make_offer("b", sectors=["zw"])]
    index = MatchIndex(offers)
    results = index.query_many([make_request(sectors=["zw"]), make_request(sectors=["pie"])])
    assert [ids(r)[0] for r in results] == ["b", "a"]
    assert index.query(make_request(sectors=["zw"])) == results[0]


# --- what raises or lowers the score --------------------------------------------------------


def score_of(request: matching.Request, offer: matching.Offer) -> float:
    return rank(request, [offer])[0].score


def test_sector_mismatch_weighs_heavily_but_does_not_rule_out() -> None:
    request = make_request(sectors=["pie"])
    match = score_of(request, make_offer(sectors=["pie"]))
    any_sector = score_of(request, make_offer())
    mismatch = score_of(request, make_offer(sectors=["zw"]))
    assert match > any_sector > mismatch > 0


def test_specific_profile_beats_a_long_list() -> None:
    request = make_request(sectors=["pie"])
    assert score_of(request, make_offer(sectors=["pie"])) > score_of(
        request, make_offer(sectors=["pie", "bwi", "mvi", "zw"])
    )


def test_pupils_travelling_decays_faster_than_company_travelling() -> None:
    far = north_of(25)
    visit = make_request(kinds=["bedrijfsbezoek"])
    lesson = make_request(kinds=["gastles"])
    at_company = make_offer(kinds=["bedrijfsbezoek"], where=["bij_bedrijf"], at=far)
    to_school = make_offer(kinds=["gastles"], where=["op_school"], at=far)
    visit_part = rank(visit, [at_company])[0].parts["distance"]
    lesson_part = rank(lesson, [to_school])[0].parts["distance"]
    assert lesson_part > visit_part


def test_online_is_neutral_good() -> None:
    request = make_request()
    online = rank(request, [make_offer(where=["online"], at=north_of(150))])[0]
    near = rank(request, [make_offer(where=["op_school"], at=north_of(1))])[0]
    far = rank(request, [make_offer(where=["op_school"], at=north_of(100))])[0]
    assert near.parts["distance"] > online.parts["distance"] > far.parts["distance"]
    assert "online" in online.reasons


def test_fuzzy_themes_meet() -> None:
    request = make_request(themes=["3D-printen"])
    for written in ("3d printing", "3D printer", "3D-printen"):
        assert rank(request, [make_offer(themes=[written])])[0].parts["theme"] > 0.7
    assert rank(request, [make_offer(themes=["lassen"])])[0].parts["theme"] == 0.0


def test_theme_found_in_the_other_sides_description() -> None:
    request = make_request(themes=["warmtepompen"])
    offer = make_offer(description="Onze monteurs laten zien hoe een warmtepomp werkt.")
    match = rank(request, [offer])[0]
    assert match.parts["theme"] > 0.5
    assert "thema: warmtepompen" in match.reasons
    request = make_request(description="We zoeken iets over installatietechniek.")
    match = rank(request, [make_offer(themes=["installatie"])])[0]
    assert "thema: installatie" in match.reasons


def test_text_similarity_meets_compounds_and_spelling() -> None:
    model = TextSimilarity().fit(
        ["installatie van warmtepompen", "elektrotechniek en schakelkasten", "bakken van brood"]
    )
    assert model.similarity("installatietechniek", "installatie") > 0.3
    assert model.similarity("electrotechniek", "elektrotechniek") > 0.3
    assert model.similarity("installatietechniek", "bakken") < 0.05
    assert model.fit_transform(["", "  "]).shape == (2, 0)
    with pytest.raises(RuntimeError, match="fit"):
        TextSimilarity().similarity("a", "b")


def test_timing_capacity_and_fairness_parts() -> None:
    request = make_request(period=days("2027-03-01", "2027-03-10"), group_size=20)
    full = make_offer("a", available=[days("2027-01-01", "2027-12-31")], capacity=30)
    part = make_offer("b", available=[days("2027-03-06", "2027-03-20")], capacity=20)
    busy = make_offer("c", available=[days("2027-01-01", "2027-12-31")], capacity=30)
    busy = busy.__class__(**{**_fields(busy), "yearly_limit": 4, "introductions_this_year": 3})
    by_id = {m.offer_id: m for m in rank(request, [full, part, busy])}
    assert by_id["a"].parts["timing"] == 1.0
    assert by_id["b"].parts["timing"] == 0.5
    assert by_id["a"].parts["capacity"] > by_id["b"].parts["capacity"]
    assert by_id["c"].parts["fairness"] == 0.25 < by_id["a"].parts["fairness"] == 1.0
    assert ids(rank(request, [full, part, busy])) == ["a", "c", "b"]


def _fields(offer: matching.Offer) -> dict[str, object]:
    return {name: getattr(offer, name) for name in offer.__slots__}


# --- reasons --------------------------------------------------------------------------------


def test_reasons_name_every_part_that_moved_the_score_in_dutch() -> None:
    request = make_request(
        kinds=["gastles", "bedrijfsbezoek"],
        sectors=["pie"],
        themes=["energietransitie"],
        group_size=20,
        period=days("2027-03-01", "2027-03-31"),
        description="Gastles over de energietransitie en warmtepompen in huis",
    )
    offer = make_offer(
        kinds=["gastles"],
        sectors=["pie"],
        themes=["energietransitie"],
        where=["op_school"],
        capacity=25,
        available=[days("2027-03-15", "2027-05-01")],
        description="Gastles over warmtepompen en de energietransitie in huis",
        at=north_of(12),
    )
    reasons = rank(request, [offer])[0].reasons
    assert reasons[:4] == ("soort: gastles", "profiel: pie", "afstand: 12 km", "komt naar school")
    for expected in (
        "thema: energietransitie",
        "beschrijving past",
        "deels in de periode",
        "capaciteit: 25",
    ):
        assert expected in reasons


def test_reasons_in_english() -> None:
    request = make_request(sectors=["zw"], period=days("2027-03-01", "2027-03-31"))
    offer = make_offer(sectors=["pie"], where=["online"])
    reasons = rank(request, [offer], lang="en")[0].reasons
    assert reasons == ("kind: guest lesson", "no profile in common", "online", "always available")
    dutch = rank(request, [offer])[0].reasons
    assert dutch == ("soort: gastles", "geen profiel gemeen", "online", "altijd beschikbaar")


def test_reasons_for_any_profile_fits_period_and_fairness() -> None:
    request = make_request(sectors=["pie"], period=days("2027-03-01", "2027-03-02"))
    offer = make_offer(available=[days("2027-01-01", "2027-12-31")])
    busy = offer.__class__(**{**_fields(offer), "introductions_this_year": 12})
    reasons = rank(request, [busy])[0].reasons
    assert "alle profielen" in reasons
    assert "past in de periode" in reasons
    assert "al vaak voorgesteld dit jaar" in reasons


def test_reasons_never_show_contact_details() -> None:
    offer = make_offer(
        organisation="Jansen BV, info@jansen.nl, 06-12345678",
        themes=["lassen", "mail info@jansen.nl", "bel 050-1234567", "www.jansen.nl"],
        description="Bel Piet op 06-12345678 of mail piet@jansen.nl voor lassen",
    )
    request = make_request(
        themes=["lassen", "info@jansen.nl", "bel 050-1234567", "www.jansen.nl"],
        description="mail info@jansen.nl",
    )
    reasons = " | ".join(rank(request, [offer])[0].reasons)
    assert "lassen" in reasons
    for secret in ("@", "jansen", "1234", "www", "Piet"):
        assert secret not in reasons
    assert clean_label("  3D   printen ") == "3D printen"
    assert clean_label("x" * 80).endswith("…")


# --- building blocks ------------------------------------------------------------------------


def test_theme_similarity_building_blocks() -> None:
    n = normalise_theme
    assert n("3D-printen") == "3d print"
    assert theme_similarity(n("3D-printen"), n("3d printing")) >= 0.8
    assert theme_similarity(n("3D-printen"), n("3D printer")) >= 0.8
    assert theme_similarity(n("elektrotechniek"), n("electrotechniek")) >= 0.9
    assert theme_similarity(n("logistiek"), n("havenlogistiek")) >= 0.8
    assert theme_similarity(n("lassen"), n("klassen")) == 0.0
    assert theme_similarity(n("energie"), n("duurzame energie")) < 0.78
    assert token_similarity("installatie", "installatietechniek", "longer") == 0.85
    assert token_similarity("techniekpromotie", "techniek", "longer") == 0.0
    assert theme_in_text(n("zonnepanelen"), "Wij leggen zonnepanelen aan") == 1.0


def test_theme_matcher_agrees_with_scalar_functions() -> None:
    themes = [["3D printer", "lassen"], ["robotica"], [], ["zonne-energie", "PV-panelen"]]
    texts = [
        "We printen onderdelen",
        "Robots programmeren",
        "Installatietechniek en zonnepanelen",
        "Gastles zonne-energie",
    ]
    matcher = ThemeMatcher.from_texts(
        themes, [f"{t} {' '.join(th)}" for t, th in zip(texts, themes, strict=True)], Weights()
    )
    cand = np.arange(4)
    for request_theme in ("3D-printen", "zonnepanelen", "installatie", "robot"):
        result = matcher.score([request_theme], "", cand)
        norm = normalise_theme(request_theme)
        for i in cand:
            by_theme = max(
                (theme_similarity(norm, normalise_theme(t)) for t in themes[i]), default=0.0
            )
            by_theme = by_theme if by_theme >= Weights().theme_cutoff else 0.0
            coverage = theme_in_text(norm, f"{texts[i]} {' '.join(themes[i])}")
            in_text = Weights().theme_in_description * coverage
            in_text = in_text if coverage >= Weights().theme_cutoff else 0.0
            assert result.per_theme[0, i] == pytest.approx(max(by_theme, in_text))


# --- spec examples --------------------------------------------------------------------------


def test_spec_examples_give_sensible_rankings() -> None:
    offers = load_offers(EXAMPLES / "offers.json")
    requests = load_requests(EXAMPLES / "requests.json")
    results = MatchIndex(offers).query_many(requests)
    dalton, klimop = results
    assert ids(dalton) == ["o-hofstede-1"]
    assert dalton[0].reasons[:3] == ("soort: gastles", "profiel: pie", "afstand: 3 km")
    assert "past in de periode" in dalton[0].reasons
    assert ids(klimop) == ["o-codelab-2"]
    assert "soort: lesmodule" in klimop[0].reasons
    assert "thema: programmeren" in klimop[0].reasons
    assert 0.5 < dalton[0].score <= 1.0


def test_public_api() -> None:
    assert set(matching.__all__) >= {"rank", "MatchIndex", "Weights", "ALGORITHM_VERSION"}
    assert ALGORITHM_VERSION.count(".") == 1
    assert "-" in ALGORITHM_VERSION
    assert matching.vocabulary.KIND_CODES
    with pytest.raises(ValueError, match="non-negative"):
        Weights(theme=-1)


def test_offer_described_for_another_audience_ranks_lower() -> None:
    request = make_request(target_group="vmbo_onderbouw", themes=["3D-printen"])
    listed = make_offer("a", themes=["3D-printen"], target_groups=["vmbo_onderbouw"])
    silent = make_offer("b", themes=["3D-printen"], description="Workshop 3D-printen.")
    other = make_offer(
        "c", themes=["3D-printen"], description="Workshop voor mbo-niveau 4, hbo en vakmensen."
    )
    teachers = make_offer("d", themes=["3D-printen"], description="De docent krijgt een map.")
    by_id = {m.offer_id: m for m in rank(request, [listed, silent, other, teachers])}
    assert by_id["a"].score > by_id["b"].score > by_id["c"].score
    # Naming teachers does not make a pupils' offer unfit.
    assert by_id["d"].parts["audience"] == by_id["b"].parts["audience"] == 0.7
    assert "doelgroep: vmbo 1–2" in by_id["a"].reasons
    assert "beschreven voor een andere doelgroep" in by_id["c"].reasons
    english = rank(request, [other], lang="en")[0].reasons
    assert "described for another audience" in english


def test_far_trips_without_a_stated_limit_are_lowered() -> None:
    offer = make_offer(kinds=["bedrijfsbezoek"], where=["bij_bedrijf"], at=north_of(80))
    near = make_offer("o0", kinds=["bedrijfsbezoek"], where=["bij_bedrijf"], at=north_of(25))
    free = make_request(kinds=["bedrijfsbezoek"])
    stated = make_request(kinds=["bedrijfsbezoek"], max_travel_km=100)
    assert rank(free, [offer])[0].score < rank(stated, [offer])[0].score
    assert rank(free, [near])[0].score == rank(stated, [near])[0].score
