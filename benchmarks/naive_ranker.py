"""Naive pure-Python ranker (hard rules, then nearest first): the speed baseline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``matching`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.exchange import ExchangeError, load_offers, load_requests
from matching.geo import haversine_km
from matching.rules import passes
from matching.types import Offer, Request


def rank_naive(request: Request, offers: list[Offer], top: int) -> list[dict[str, object]]:
    """Every offer checked one by one: the hard rules, then the nearest ``top`` first."""
    scored = []
    for offer in offers:
        km = haversine_km(
            request.location.lat, request.location.lon, offer.location.lat, offer.location.lon
        )
        if passes(offer, request, km):
            scored.append((km, offer.id))
    scored.sort()
    return [
        {
            "offer_id": oid,
            "score": round(1.0 / (1.0 + km / 10.0), 4),
            "reasons": [f"afstand: {km:.0f} km"],
        }
        for km, oid in scored[:top]
    ]


def main(argv: list[str] | None = None) -> int:
    """Write rankings in the exchange format, like ``python -m matching rank``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", required=True)
    parser.add_argument("--requests", required=True)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    try:
        offers = load_offers(args.offers)
        requests = load_requests(args.requests)
    except ExchangeError as exc:
        print(exc, file=sys.stderr)
        return 2
    rankings = [{"request_id": r.id, "matches": rank_naive(r, offers, args.top)} for r in requests]
    sys.stdout.write(json.dumps({"rankings": rankings}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
