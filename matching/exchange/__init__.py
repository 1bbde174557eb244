"""Strict reading and writing of the exchange format: offers.json and requests.json."""

from __future__ import annotations

from matching.exchange.common import ExchangeError
from matching.exchange.decoding import MAX_INT_DIGITS, decode_json, read_json
from matching.exchange.fields import MAX_COUNT, MAX_DISTANCE_KM, GeocoderLike
from matching.exchange.offers import load_offers, parse_offers
from matching.exchange.requests import load_requests, parse_requests
from matching.exchange.writing import dump_offers, dump_requests, write_json

__all__ = [
    "MAX_COUNT",
    "MAX_DISTANCE_KM",
    "MAX_INT_DIGITS",
    "ExchangeError",
    "GeocoderLike",
    "decode_json",
    "dump_offers",
    "dump_requests",
    "load_offers",
    "load_requests",
    "parse_offers",
    "parse_requests",
    "read_json",
    "write_json",
]
