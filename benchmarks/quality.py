"""Score a ranking against graded judgements: nDCG@k, precision@k and hard-rule violations.

Usage, with ``-o O -r R -j J`` standing for ``--offers O --requests R --judgements J``::

    python benchmarks/quality.py -o O -r R -j J --ranking RANKING.json [--k 5]
    python benchmarks/quality.py -o O -r R -j J --baseline distance

``RANKING.json`` is the exchange format's ranking output. ``--baseline distance``
ranks by itself instead: the hard rules, then nearest first (ties by offer id).
A request without a ranking scores 0 on every metric. Exit status 0, or 2 with
one line on standard error when an input is unusable.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import hard_rules

RELEVANT_GRADE = 2

Record = Mapping[str, Any]


class InputError(Exception):
    """An unusable input file; the message is one line for the user."""


# --------------------------------------------------------------------------- metrics


def _gain(grade: float) -> float:
    return 2.0**grade - 1.0


def _dcg(grades: Iterable[float]) -> float:
    return sum(_gain(g) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_k(ranking: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """nDCG@k of ``ranking`` (offer ids, best first) against ``grades`` (unjudged = 0).

    Gain is 2^grade - 1 with a log2 discount; the ideal DCG uses all judged grades
    of the request. Returns 0.0 when nothing is judged relevant (ideal DCG 0).
    """
    ideal = _dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return _dcg(grades.get(offer_id, 0) for offer_id in ranking[:k]) / ideal


def precision_at_k(
    ranking: Sequence[str], grades: Mapping[str, int], k: int = 5, relevant: int = RELEVANT_GRADE
) -> float:
    """Share of the first ``k`` slots holding an offer graded ``relevant`` or higher."""
    hits = sum(1 for offer_id in ranking[:k] if grades.get(offer_id, 0) >= relevant)
    return hits / k


def violations(
    request: Record, ranking: Sequence[str], offers: Mapping[str, Record]
) -> list[tuple[str, list[str]]]:
    """Listed offers that break a hard rule for ``request``: (offer id, broken rules)."""
    found = []
    for offer_id in ranking:
        broken = hard_rules.broken_rules(offers[offer_id], request)
        if broken:
            found.append((offer_id, broken))
    return found


def distance_ranking(request: Record, offers: Iterable[Record], k: int) -> list[str]:
    """The distance-only baseline: offers passing the hard rules, nearest first, ties by id."""
    scored = []
    for offer in offers:
        km = hard_rules.distance_km(offer, request)
        if not hard_rules.broken_rules(offer, request, km):
            scored.append((km, offer["id"]))
    return [offer_id for _, offer_id in sorted(scored)[:k]]


# --------------------------------------------------------------------------- input


def _load_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid UTF-8 JSON: {exc}") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _bad_range(value: Any) -> bool:
    try:
        start, end = hard_rules.date_range(value)
    except (TypeError, ValueError, KeyError, AttributeError):
        return True
    return start > end


def _field_problem(record: Mapping[str, Any]) -> str | None:
    """What makes ``record`` unusable for the hard rules, as 'field ...', or None."""
    for key in ("kinds", "target_groups", "where"):
        value = record.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return f"field '{key}' is not a list of codes"
    if "kinds" in record and not record["kinds"]:
        return "field 'kinds' is empty"
    if "target_group" in record and not isinstance(record["target_group"], str):
        return "field 'target_group' is not a code"
    for key in ("travel_km", "max_travel_km", "capacity", "group_size", "lat", "lon"):
        value = record.get(key)
        if value is not None and not _is_number(value):
            return f"field '{key}' is not a number"
    available = record.get("available")
    if available is not None and (
        not isinstance(available, list) or any(_bad_range(item) for item in available)
    ):
        return "field 'available' is not a list of {from, to} date ranges"
    if record.get("period") is not None and _bad_range(record["period"]):
        return "field 'period' is not a {from, to} date range"
    return None


def _records(path: str, required: Sequence[str]) -> dict[str, dict[str, Any]]:
    data = _load_json(path)
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of records")
    records: dict[str, dict[str, Any]] = {}
    for index, record in enumerate(data):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise InputError(f"{path}: record {index} has no string 'id'")
        for key in required:
            if key not in record:
                raise InputError(f"{path}: record {record['id']}: missing field '{key}'")
        if record["id"] in records:
            raise InputError(f"{path}: record {record['id']}: duplicate id")
        problem = _field_problem(record)
        if problem:
            raise InputError(f"{path}: record {record['id']}: {problem}")
        records[record["id"]] = record
    return records


def _judgements(path: str, requests: Mapping[str, Any], offers: Mapping[str, Any]) -> dict:
    data = _load_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object of request ids")
    for request_id, graded in data.items():
        if request_id not in requests:
            raise InputError(f"{path}: unknown request id {request_id!r}")
        if not isinstance(graded, dict):
            raise InputError(f"{path}: request {request_id}: expected an object of offer grades")
        for offer_id, grade in graded.items():
            if offer_id not in offers:
                raise InputError(f"{path}: request {request_id}: unknown offer id {offer_id!r}")
            if isinstance(grade, bool) or grade not in (0, 1, 2, 3):
                raise InputError(f"{path}: request {request_id}, offer {offer_id}: grade not 0-3")
    return data


def _rankings(path: str, requests: Mapping[str, Any], offers: Mapping[str, Any]) -> dict:
    data = _load_json(path)
    items = data.get("rankings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError(f"{path}: expected an object with a 'rankings' array")
    rankings: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        request_id = item.get("request_id") if isinstance(item, dict) else None
        if not isinstance(request_id, str):
            raise InputError(f"{path}: ranking {index} has no string 'request_id'")
        if request_id not in requests:
            raise InputError(f"{path}: ranking for unknown request id {request_id!r}")
        if request_id in rankings:
            raise InputError(f"{path}: request {request_id}: ranked twice")
        matches = item.get("matches")
        if not isinstance(matches, list):
            raise InputError(f"{path}: request {request_id}: 'matches' is not an array")
        listed: list[str] = []
        for match in matches:
            offer_id = match.get("offer_id") if isinstance(match, dict) else None
            if not isinstance(offer_id, str):
                raise InputError(f"{path}: request {request_id}: a match has no string 'offer_id'")
            if offer_id not in offers:
                raise InputError(f"{path}: request {request_id}: unknown offer id {offer_id!r}")
            if offer_id in listed:
                raise InputError(f"{path}: request {request_id}: offer {offer_id} listed twice")
            listed.append(offer_id)
        rankings[request_id] = listed
    return rankings


def _check_locations(records: Mapping[str, Record], path: str) -> None:
    for record_id, record in records.items():
        try:
            hard_rules.locate(record)
        except ImportError as exc:
            raise InputError(f"cannot resolve postcodes or places: {exc}") from None
        except ValueError as exc:  # the geocoder's errors are ValueErrors
            raise InputError(f"{path}: record {record_id}: location: {exc}") from None


# --------------------------------------------------------------------------- report


def evaluate(
    requests: Mapping[str, Record],
    offers: Mapping[str, Record],
    judgements: Mapping[str, Mapping[str, int]],
    rankings: Mapping[str, Sequence[str]],
    k: int = 5,
) -> dict[str, Any]:
    """Metrics per judged request and their means, plus violations and missing rankings.

    A judged request without a ranking scores 0; violations are counted over every
    ranked request; a request of ``requests`` without a ranking counts as missing.
    """
    found = {rid: violations(requests[rid], ranking, offers) for rid, ranking in rankings.items()}
    rows = []
    for request_id, grades in judgements.items():
        ranking = rankings.get(request_id)
        rows.append(
            {
                "request_id": request_id,
                "ndcg": ndcg_at_k(ranking, grades, k) if ranking is not None else 0.0,
                "precision": precision_at_k(ranking, grades, k) if ranking is not None else 0.0,
                "violations": found.get(request_id, []),
                "missing": ranking is None,
            }
        )
    count = len(rows) or 1
    return {
        "rows": rows,
        "mean_ndcg": sum(r["ndcg"] for r in rows) / count,
        "mean_precision": sum(r["precision"] for r in rows) / count,
        "violations": sum(len(v) for v in found.values()),
        "violations_unjudged": {rid: v for rid, v in found.items() if v and rid not in judgements},
        "missing": sum(1 for rid in requests if rid not in rankings),
    }


def _print_report(result: Mapping[str, Any], k: int, label: str) -> None:
    print(f"# {label}")
    print(f"{'request':<16} {'nDCG@' + str(k):>8} {'P@' + str(k):>6} {'violations':>10}")
    for row in result["rows"]:
        if row["missing"]:
            print(f"{row['request_id']:<16} {'-':>8} {'-':>6} {'missing':>10}")
            continue
        print(
            f"{row['request_id']:<16} {row['ndcg']:>8.3f} {row['precision']:>6.2f} "
            f"{len(row['violations']):>10}"
        )
        for offer_id, broken in row["violations"]:
            print(f"    violation: {offer_id} breaks {', '.join(broken)}")
    for request_id, found in result["violations_unjudged"].items():
        for offer_id, broken in found:
            print(f"    violation (unjudged {request_id}): {offer_id} breaks {', '.join(broken)}")
    print(f"mean nDCG@{k}: {result['mean_ndcg']:.3f}")
    print(f"mean P@{k} (grade >= {RELEVANT_GRADE}): {result['mean_precision']:.3f}")
    print(f"hard-rule violations: {result['violations']}")
    print(f"requests without a ranking: {result['missing']}")


def _usage_error(message: str) -> None:
    """Report a command-line mistake on one line and exit with status 2."""
    print(f"quality: {message} (see --help)", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--offers", required=True)
    parser.add_argument("-r", "--requests", required=True)
    parser.add_argument("-j", "--judgements", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ranking", help="ranking output JSON to score")
    source.add_argument("--baseline", choices=["distance"], help="score a built-in baseline")
    parser.add_argument("--k", type=int, default=5)
    parser.error = _usage_error  # type: ignore[method-assign]
    args = parser.parse_args(argv)

    try:
        if args.k < 1:
            raise InputError("--k must be at least 1")
        offers = _records(args.offers, ("kinds",))
        requests = _records(args.requests, ("kinds", "target_group"))
        judgements = _judgements(args.judgements, requests, offers)
        _check_locations(offers, args.offers)
        _check_locations(requests, args.requests)
        if args.baseline == "distance":
            rankings = {
                rid: distance_ranking(requests[rid], offers.values(), args.k) for rid in judgements
            }
            label = "distance-only baseline (hard rules, nearest first)"
        else:
            rankings = _rankings(args.ranking, requests, offers)
            label = f"ranking {args.ranking}"
        result = evaluate(requests, offers, judgements, rankings, args.k)
    except InputError as exc:
        print(f"quality: {exc}", file=sys.stderr)
        return 2
    _print_report(result, args.k, label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
