"""How well the ranking's labels agree with graded judgements: weak pairs labelled goed or better.

Usage::

    python -m matching rank --offers O --requests R --top 10 > RANKING.json
    python benchmarks/labels.py -j JUDGEMENTS.json --ranking RANKING.json [--max-weak 0.10]

Counts the suggested pairs: ranked pairs that have a judgement. Grades follow
``benchmarks/quality.py``: 0 unsuitable, 1 weak, 2 good, 3 excellent. Prints the
per-label counts by grade, the share of pairs judged 0-1 that carry ``goed`` or
better (the spec allows at most ``--max-weak``) and the share of pairs judged
2-3 that do. Exit status 0; 1 when the weak share exceeds ``--max-weak``; 2 with
one line on standard error when an input is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``matching`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.labels import LABELS

GOOD_OR_BETTER = frozenset({"zeer_goed", "goed"})
WEAK_GRADES = (0, 1)
GOOD_GRADES = (2, 3)
MAX_WEAK = 0.10


class InputError(Exception):
    """An unusable input file; the message is one line for the user."""


def _load(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid UTF-8 JSON: {exc}") from None


def judged_pairs(
    rankings: Mapping[str, Any], judgements: Mapping[str, Mapping[str, int]]
) -> list[tuple[str, int]]:
    """(label, grade) of every ranked pair that has a judgement, in ranking order."""
    items = rankings.get("rankings")
    if not isinstance(items, list):
        raise InputError("ranking: expected an object with a 'rankings' array")
    pairs = []
    for ranking in items:
        if not isinstance(ranking, dict) or not isinstance(ranking.get("matches"), list):
            raise InputError("ranking: a ranking is not an object with a 'matches' array")
        grades = judgements.get(ranking.get("request_id"), {})
        for match in ranking["matches"]:
            if not isinstance(match, dict):
                raise InputError(
                    f"ranking: request {ranking.get('request_id')}: a match is not an object"
                )
            grade = grades.get(match.get("offer_id"))
            if grade is None:
                continue
            if isinstance(grade, bool) or grade not in (0, 1, 2, 3):
                raise InputError(f"judgements: {ranking.get('request_id')}: grade not 0-3")
            label = match.get("label")
            if label not in LABELS:
                raise InputError(
                    f"ranking: request {ranking.get('request_id')}, offer "
                    f"{match.get('offer_id')}: label {label!r} is not one of {', '.join(LABELS)}"
                )
            pairs.append((label, int(grade)))
    return pairs


def summary(pairs: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """Counts per (label, grade) and the two shares of pairs labelled goed or better."""
    counts = {label: [0, 0, 0, 0] for label in LABELS}
    for label, grade in pairs:
        counts[label][grade] += 1

    def share(grades: Sequence[int]) -> float:
        total = sum(counts[label][g] for label in LABELS for g in grades)
        good = sum(counts[label][g] for label in GOOD_OR_BETTER for g in grades)
        return good / total if total else 0.0

    return {
        "counts": counts,
        "pairs": len(pairs),
        "weak_good_share": share(WEAK_GRADES),
        "good_good_share": share(GOOD_GRADES),
    }


def _print(result: Mapping[str, Any], max_weak: float) -> None:
    print(f"judged suggested pairs: {result['pairs']}")
    print(f"{'label':<10} {'grade 0':>8} {'grade 1':>8} {'grade 2':>8} {'grade 3':>8}")
    for label, row in result["counts"].items():
        print(f"{label:<10} " + " ".join(f"{n:>8}" for n in row))
    print(
        f"pairs judged 0-1 (unsuitable, weak) labelled goed or better: "
        f"{result['weak_good_share']:.3f} (at most {max_weak:.2f})"
    )
    good = result["good_good_share"]
    print(f"pairs judged 2-3 (good, excellent) labelled goed or better: {good:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--judgements", required=True)
    parser.add_argument("--ranking", required=True, help="ranking output JSON (with labels)")
    parser.add_argument("--max-weak", type=float, default=MAX_WEAK)
    args = parser.parse_args(argv)
    try:
        judgements = _load(args.judgements)
        if not isinstance(judgements, dict):
            raise InputError(f"{args.judgements}: expected an object of request ids")
        rankings = _load(args.ranking)
        if not isinstance(rankings, dict):
            raise InputError(f"{args.ranking}: expected an object with a 'rankings' array")
        result = summary(judged_pairs(rankings, judgements))
    except InputError as exc:
        print(f"labels: {exc}", file=sys.stderr)
        return 2
    _print(result, args.max_weak)
    return 0 if result["weak_good_share"] <= args.max_weak else 1


if __name__ == "__main__":
    sys.exit(main())
