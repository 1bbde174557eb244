"""The score label: one function in matching, its thresholds, and the judged dev set."""

from __future__ import annotations

import math

import pytest

from benchmarks import labels as label_benchmark
from matching.labels import GOOD_FROM, LABELS, VERY_GOOD_FROM, label_for
from matching.types import Match


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (1.0, "zeer_goed"),
        (VERY_GOOD_FROM, "zeer_goed"),
        (VERY_GOOD_FROM - 0.0001, "goed"),
        (GOOD_FROM, "goed"),
        (GOOD_FROM - 0.0001, "redelijk"),
        (0.0, "redelijk"),
        (math.nan, "redelijk"),
    ],
)
def test_label_for(score: float, label: str) -> None:
    assert label_for(score) == label
    assert Match("o1", score).label == label


def test_labels_are_the_spec_s_codes_best_first() -> None:
    assert LABELS == ("zeer_goed", "goed", "redelijk")
    assert 0 < GOOD_FROM < VERY_GOOD_FROM < 1


def test_benchmark_counts_and_shares() -> None:
    ranking = {
        "rankings": [
            {
                "request_id": "r1",
                "matches": [
                    {"offer_id": "o1", "label": "zeer_goed"},
                    {"offer_id": "o2", "label": "goed"},
                    {"offer_id": "o3", "label": "redelijk"},
                    {"offer_id": "o4", "label": "goed"},
                    {"offer_id": "unjudged", "label": "goed"},
                ],
            },
            {"request_id": "r-unjudged", "matches": [{"offer_id": "o1", "label": "goed"}]},
        ]
    }
    judgements = {"r1": {"o1": 3, "o2": 1, "o3": 0, "o4": 2}}
    result = label_benchmark.summary(label_benchmark.judged_pairs(ranking, judgements))
    assert result["pairs"] == 4
    assert result["counts"] == {
        "zeer_goed": [0, 0, 0, 1],
        "goed": [0, 1, 1, 0],
        "redelijk": [1, 0, 0, 0],
    }
    assert result["weak_good_share"] == 0.5
    assert result["good_good_share"] == 1.0


def test_benchmark_refuses_a_ranking_without_labels() -> None:
    ranking = {"rankings": [{"request_id": "r1", "matches": [{"offer_id": "o1"}]}]}
    with pytest.raises(label_benchmark.InputError, match="label"):
        label_benchmark.judged_pairs(ranking, {"r1": {"o1": 2}})
