"""Tests for the quality metrics, the independent hard-rule checker and the judged dev set."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks import hard_rules
from benchmarks.quality import main, ndcg_at_k, precision_at_k, violations

DATA = Path(__file__).resolve().parent.parent / "data"
OFFERS_PATH = DATA / "dev_offers.json"
REQUESTS_PATH = DATA / "dev_requests.json"
JUDGEMENTS_PATH = DATA / "dev_judgements.json"

ASSEN = {"lat": 52.9939, "lon": 6.5625}
GRONINGEN = {"lat": 53.2216, "lon": 6.5631}  # about 25 km north of ASSEN


def _offer(**fields: object) -> dict:
    offer = {"id": "o1", "organisation": "Bedrijf", "kinds": ["gastles"], **ASSEN}
    offer.update(fields)
    return offer


def _request(**fields: object) -> dict:
    request = {
        "id": "r1",
        "school": "School",
        "kinds": ["gastles"],
        "target_group": "vmbo_bovenbouw",
        **ASSEN,
    }
    request.update(fields)
    return request


# --------------------------------------------------------------------------- metrics

GRADES = {"a": 3, "b": 2, "c": 1, "d": 0}


def test_ndcg_perfect_ranking_is_one() -> None:
    assert ndcg_at_k(["a", "b", "c", "d"], GRADES) == pytest.approx(1.0)


def test_ndcg_reversed_ranking_is_lower() -> None:
    assert ndcg_at_k(["d", "c", "b", "a"], GRADES) < ndcg_at_k(["a", "b", "c", "d"], GRADES)


def test_ndcg_empty_ranking_is_zero() -> None:
    assert ndcg_at_k([], GRADES) == 0.0


def test_ndcg_hand_computed_value() -> None:
    # gain 2^g - 1, discount log2(rank + 1); ideal from every judged grade.
    dcg = 3 / math.log2(2) + 7 / math.log2(3)
    ideal = 7 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(["b", "a"], GRADES) == pytest.approx(dcg / ideal)


def test_ndcg_unjudged_offers_count_as_zero_and_k_cuts() -> None:
    assert ndcg_at_k(["x", "y", "z", "w", "v", "a"], GRADES) == 0.0
    assert ndcg_at_k(["x", "a"], GRADES, k=1) == 0.0


def test_ndcg_without_relevant_judgements_is_zero() -> None:
    assert ndcg_at_k(["a"], {"a": 0}) == 0.0


def test_precision_counts_grade_two_and_up_over_k() -> None:
    assert precision_at_k(["a", "b", "c", "d", "x"], GRADES) == pytest.approx(2 / 5)
    assert precision_at_k(["a"], GRADES) == pytest.approx(1 / 5)
    assert precision_at_k(["a", "b"], GRADES, k=2) == pytest.approx(1.0)
    assert precision_at_k([], GRADES) == 0.0


# --------------------------------------------------------------------------- hard rules


def test_rule_kind_needs_a_kind_in_common() -> None:
    assert hard_rules.broken_rules(_offer(kinds=["bedrijfsbezoek"]), _request()) == ["kind"]
    both = _request(kinds=["bedrijfsbezoek", "gastles"])
    assert hard_rules.passes(_offer(kinds=["gastles", "materialen"]), both)


def test_rule_target_group_only_when_listed() -> None:
    assert hard_rules.broken_rules(_offer(target_groups=["po"]), _request()) == ["target_group"]
    assert hard_rules.passes(_offer(target_groups=["po", "vmbo_bovenbouw"]), _request())
    assert hard_rules.passes(_offer(target_groups=[]), _request())


def test_rule_period_touching_for_one_day_overlaps() -> None:
    request = _request(period={"from": "2027-03-01", "to": "2027-03-31"})
    touches_end = _offer(available=[{"from": "2027-03-31", "to": "2027-05-01"}])
    touches_start = _offer(available=[{"from": "2027-01-01", "to": "2027-03-01"}])
    misses = _offer(available=[{"from": "2026-09-01", "to": "2027-02-28"}])
    two_ranges = _offer(
        available=[
            {"from": "2026-09-01", "to": "2027-02-28"},
            {"from": "2027-04-01", "to": "2027-06-30"},
        ]
    )
    assert hard_rules.passes(touches_end, request)
    assert hard_rules.passes(touches_start, request)
    assert hard_rules.broken_rules(misses, request) == ["period"]
    assert hard_rules.broken_rules(two_ranges, request) == ["period"]
    assert hard_rules.passes(misses, _request())  # no period: no rule
    assert hard_rules.passes(_offer(available=[]), request)  # empty = always


def test_rule_capacity_only_when_both_give_numbers() -> None:
    assert hard_rules.broken_rules(_offer(capacity=24), _request(group_size=25)) == ["capacity"]
    assert hard_rules.passes(_offer(capacity=25), _request(group_size=25))
    assert hard_rules.passes(_offer(), _request(group_size=300))
    assert hard_rules.passes(_offer(capacity=1), _request())


def test_rule_distance_where_defaults_to_bij_bedrijf() -> None:
    far_offer = _offer(**GRONINGEN, travel_km=5)  # travel_km only matters for op_school
    assert hard_rules.broken_rules(far_offer, _request(max_travel_km=20)) == ["distance"]
    assert hard_rules.passes(far_offer, _request(max_travel_km=30))
    assert hard_rules.passes(far_offer, _request())  # no max_travel_km: pupils go anywhere


def test_rule_distance_op_school_online_and_either_way() -> None:
    request = _request(max_travel_km=10)
    op_school = _offer(**GRONINGEN, where=["op_school"], travel_km=20)
    assert hard_rules.broken_rules(op_school, request) == ["distance"]
    assert hard_rules.passes(_offer(**GRONINGEN, where=["op_school"], travel_km=30), request)
    assert hard_rules.passes(_offer(**GRONINGEN, where=["op_school"]), request)
    assert hard_rules.passes(_offer(**GRONINGEN, where=["online"], travel_km=1), request)
    # Either way reaches: the school cannot travel 25 km, but the company comes.
    both = _offer(**GRONINGEN, where=["bij_bedrijf", "op_school"], travel_km=30)
    assert hard_rules.passes(both, request)
    assert hard_rules.broken_rules({**both, "travel_km": 20}, request) == ["distance"]


def test_rule_distance_accepts_a_given_distance() -> None:
    offer, request = _offer(), _request(max_travel_km=10)
    assert hard_rules.passes(offer, request, 10.0)
    assert hard_rules.broken_rules(offer, request, 10.5) == ["distance"]


def test_haversine_uses_earth_radius_6371() -> None:
    assert hard_rules.haversine_km(0, 0, 0, 1) == pytest.approx(6371 * math.pi / 180)


def test_violations_lists_offers_breaking_rules() -> None:
    offers = {"ok": _offer(id="ok"), "bad": _offer(id="bad", kinds=["materialen"])}
    assert violations(_request(), ["ok", "bad"], offers) == [("bad", ["kind"])]


# --------------------------------------------------------------------------- the dev set


@pytest.fixture(scope="module")
def dev_set() -> tuple[dict, dict, dict]:
    offers = {o["id"]: o for o in json.loads(OFFERS_PATH.read_text(encoding="utf-8"))}
    requests = {r["id"]: r for r in json.loads(REQUESTS_PATH.read_text(encoding="utf-8"))}
    judgements = json.loads(JUDGEMENTS_PATH.read_text(encoding="utf-8"))
    return offers, requests, judgements


def test_dev_set_is_large_enough(dev_set: tuple[dict, dict, dict]) -> None:
    offers, requests, judgements = dev_set
    assert len(offers) >= 120
    assert len(requests) >= 30
    assert len(judgements) >= 30


def test_dev_judgements_name_existing_records(dev_set: tuple[dict, dict, dict]) -> None:
    offers, requests, judgements = dev_set
    for request_id, grades in judgements.items():
        assert request_id in requests
        for offer_id, grade in grades.items():
            assert offer_id in offers, (request_id, offer_id)
            assert grade in (0, 1, 2, 3), (request_id, offer_id)


def test_dev_judgements_grade_only_offers_that_pass_hard_rules(
    dev_set: tuple[dict, dict, dict],
) -> None:
    offers, requests, judgements = dev_set
    for request_id, grades in judgements.items():
        for offer_id, grade in grades.items():
            if grade > 0:
                broken = hard_rules.broken_rules(offers[offer_id], requests[request_id])
                assert not broken, (request_id, offer_id, broken)


def test_dev_judgements_have_relevant_offers(dev_set: tuple[dict, dict, dict]) -> None:
    _, _, judgements = dev_set
    for request_id, grades in judgements.items():
        assert sum(grade >= 2 for grade in grades.values()) >= 2, request_id


# --------------------------------------------------------------------------- the script


def _args(*extra: str) -> list[str]:
    return [
        "--offers",
        str(OFFERS_PATH),
        "--requests",
        str(REQUESTS_PATH),
        "--judgements",
        str(JUDGEMENTS_PATH),
        *extra,
    ]


def test_distance_baseline_runs_without_violations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_args("--baseline", "distance")) == 0
    out = capsys.readouterr().out
    assert "hard-rule violations: 0" in out
    assert "requests without a ranking: 0" in out


def test_ranking_scores_violations_and_missing(
    tmp_path: Path, dev_set: tuple[dict, dict, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    offers, requests, judgements = dev_set
    request_id = next(iter(judgements))
    best = sorted(judgements[request_id], key=lambda o: -judgements[request_id][o])[:5]
    wrong_kind = next(
        o for o in offers if not set(offers[o]["kinds"]) & set(requests[request_id]["kinds"])
    )
    ranking = {
        "rankings": [
            {
                "request_id": request_id,
                "matches": [
                    {"offer_id": offer_id, "score": 1.0, "reasons": []}
                    for offer_id in [*best, wrong_kind]
                ],
            }
        ]
    }
    path = tmp_path / "ranking.json"
    path.write_text(json.dumps(ranking), encoding="utf-8")
    assert main(_args("--ranking", str(path))) == 0
    out = capsys.readouterr().out
    assert f"{request_id:<16}    1.000" in out
    assert "hard-rule violations: 1" in out
    assert f"requests without a ranking: {len(requests) - 1}" in out


def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "ranking.json"
    broken.write_text('{"rankings": [{"request_id": "nope", "matches": []}]}', encoding="utf-8")
    assert main(_args("--ranking", str(broken))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "nope" in err

    not_json = tmp_path / "offers.json"
    not_json.write_text("[{", encoding="utf-8")
    args = _args("--baseline", "distance")
    args[1] = str(not_json)
    assert main(args) == 2
    assert "offers.json" in capsys.readouterr().err
