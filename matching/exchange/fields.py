"""Validation of one record's fields, shared by offers and requests."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NoReturn, Protocol

from matching import vocabulary
from matching.exchange.common import ExchangeError, _json_type, _q
from matching.geo import GeoError, Point, get_geocoder, normalise_postcode
from matching.types import DateRange, Location

MAX_COUNT = 100_000
# Beyond this a distance is a typo, and float() of a huge int would overflow.
MAX_DISTANCE_KM = 100_000

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# No text may hold C0 controls other than tab and line ends, DEL, or lone
# surrogates (those cannot be written back as UTF-8).
_BAD_ANYWHERE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Single-line text (names, codes, ids) may not break lines after stripping its ends.
_BAD_IN_LINE_RE = re.compile("[\t\n\r\x85\u2028\u2029]")

_CODES: dict[str, frozenset[str]] = {
    "kinds": vocabulary.KIND_CODES,
    "sectors": vocabulary.SECTOR_CODES,
    "target_groups": vocabulary.TARGET_GROUP_CODES,
    "target_group": vocabulary.TARGET_GROUP_CODES,
    "where": vocabulary.WHERE_CODES,
}
_TERMS: dict[str, tuple[vocabulary.Term, ...]] = {
    "kinds": vocabulary.KINDS,
    "sectors": vocabulary.SECTORS,
    "target_groups": vocabulary.TARGET_GROUPS,
    "target_group": vocabulary.TARGET_GROUPS,
    "where": vocabulary.WHERE,
}


class GeocoderLike(Protocol):
    """Anything with ``Geocoder.resolve``'s signature (the app may bring PDOK)."""

    def resolve(
        self,
        postcode: str | None = None,
        place: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> Point: ...


class _Memo:
    """Validated values by their raw JSON, shared by the records of one file.

    Big files repeat the same code lists and dates, and validating each once
    keeps 10^5 records fast.
    """

    __slots__ = ("codes", "ranges")

    def __init__(self) -> None:
        # (key, the raw list as a tuple) -> its codes
        self.codes: dict[tuple[str, tuple[object, ...]], tuple[str, ...]] = {}
        # (raw "from", raw "to") -> the range
        self.ranges: dict[tuple[object, object], DateRange] = {}


class _Record:
    """One record under validation: knows how to report an error about itself."""

    __slots__ = ("data", "file", "id", "index", "memo")

    def __init__(self, data: Mapping[str, Any], file: str, index: int, memo: _Memo) -> None:
        self.data = data
        self.file = file
        self.index = index
        self.id: str | None = None
        self.memo = memo

    def fail(self, field: str | None, message: str) -> NoReturn:
        raise ExchangeError(self.file, self.id, field, message, index=self.index)

    def get(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.fail(key, "missing required key" if key not in self.data else "must not be null")
        return value

    def text(self, value: object, field: str, multiline: bool = False) -> str:
        if type(value) is str and value.isascii() and value.isprintable():
            return value.strip()  # the common case, and nothing to check
        if not isinstance(value, str):
            self.fail(field, f"expected a string, got {_json_type(value)}")
        bad = _BAD_ANYWHERE_RE.search(value)
        if bad is None:
            if multiline and "\r" in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            value = unicodedata.normalize("NFC", value).strip()
            if not multiline:
                bad = _BAD_IN_LINE_RE.search(value)
        if bad is not None:
            char = bad.group()
            kind = "unpaired surrogate" if "\ud800" <= char <= "\udfff" else "control"
            self.fail(field, f"{kind} character U+{ord(char):04X} is not allowed")
        return value

    def name(self, key: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        return self.text(value, key) or None

    def required(self, key: str) -> str:
        value = self.text(self.get(key, required=True), key)
        if not value:
            self.fail(key, "must not be empty")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {_json_type(value)}")
        out: dict[str, None] = {}
        for item in value:
            if not isinstance(item, str):
                self.fail(key, f"expected a list of strings, found {_json_type(item)}")
            item = self.text(item, key)
            if item:
                out[item] = None
        return tuple(out)

    def code(self, vocab: str, value: str) -> str:
        if value in _CODES[vocab]:
            return value
        hint = ""
        for term in _TERMS[vocab]:
            if value.casefold() in (term.code, term.nl.casefold(), term.en.casefold()):
                hint = f" (did you mean {_q(term.code)}?)"
                break
        self.fail(vocab, f"unknown code {_q(value)}{hint}")

    def codes(self, key: str, required: bool = False) -> tuple[str, ...]:
        # Only a list may hit the memo: an object or a string must still be refused.
        value: Any = self.data.get(key)
        if isinstance(value, list):
            try:
                return self.memo.codes[key, tuple(value)]
            except (KeyError, TypeError):
                pass
        values = self.strings(key)
        if required and not values:
            self.get(key, required=True)
            self.fail(key, "must list at least one code")
        result = tuple(self.code(key, v) for v in values)
        if isinstance(value, list):
            self.memo.codes[key, tuple(value)] = result
        return result

    def region_codes(self, key: str) -> tuple[str, ...]:
        # Region codes are free (the platform's regions are the app's business), but
        # each must be a usable one-line code: "" or " " would match nothing.
        value = self.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"expected a list of region codes, got {_json_type(value)}")
        out: dict[str, None] = {}
        for item in value:
            if not isinstance(item, str):
                self.fail(key, f"expected a list of region codes, found {_json_type(item)}")
            code = self.text(item, key)
            if not code:
                self.fail(key, "a region code must not be empty")
            out[code] = None
        return tuple(out)

    def region_code(self, key: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"expected a region code (a string), got {_json_type(value)}")
        code = self.text(value, key)
        if not code:
            self.fail(key, "must not be empty")
        return code

    def number(self, key: str, value: Any = None, lo: float = 0.0, hi: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {_json_type(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"{value} is not a valid number")
        if not lo <= value <= hi:
            if lo == 0 and value < 0:
                self.fail(key, f"must not be negative, got {value}")
            self.fail(key, f"out of range [{lo:g}, {hi:g}]: {_short_number(value)}")
        return float(value)

    def distance(self, key: str) -> float | None:
        value = self.get(key)
        if value is None:
            return None
        return self.number(key, value, 0.0, MAX_DISTANCE_KM)

    def count(self, key: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        number = self.number(key, value, 1, MAX_COUNT)
        if not number.is_integer():
            self.fail(key, f"expected a whole number, got {value}")
        return int(number)

    def day(self, value: Any, field: str) -> date:
        if not isinstance(value, str):
            self.fail(field, f"expected a date YYYY-MM-DD, got {_json_type(value)}")
        if not _DATE_RE.fullmatch(value):
            self.fail(field, f"expected a date YYYY-MM-DD, got {_q(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"no such date {_q(value)}")

    def date_range(self, value: Any, field: str) -> DateRange:
        if not isinstance(value, dict):
            self.fail(
                field, f'expected an object {{"from": ..., "to": ...}}, got {_json_type(value)}'
            )
        start_text, stop_text = value.get("from"), value.get("to")
        try:
            return self.memo.ranges[start_text, stop_text]
        except (KeyError, TypeError):
            pass
        for end in ("from", "to"):
            if value.get(end) is None:
                self.fail(f"{field}.{end}", "missing required key")
        start = self.day(start_text, f"{field}.from")
        stop = self.day(stop_text, f"{field}.to")
        if start > stop:
            self.fail(field, f'"from" {start} is after "to" {stop}')
        result = self.memo.ranges[start_text, stop_text] = DateRange(start, stop)
        return result

    def location(self, resolve: Callable[[str | None, str | None], Point]) -> Location:
        postcode = self.name("postcode")
        if postcode is not None:
            try:
                postcode = normalise_postcode(postcode)
            except GeoError as exc:
                self.fail("postcode", exc.message_en)
        place = self.name("place")
        lat, lon = self.get("lat"), self.get("lon")
        if lat is not None or lon is not None:
            if lon is None:
                self.fail("lon", 'missing: "lat" and "lon" come together')
            if lat is None:
                self.fail("lat", 'missing: "lat" and "lon" come together')
            lat = self.number("lat", lat, -90.0, 90.0)
            lon = self.number("lon", lon, -180.0, 180.0)
            return Location(lat, lon, postcode, place, lat, lon)
        if postcode is None and place is None:
            self.fail("location", 'missing: give "postcode", "place" or "lat" and "lon"')
        try:
            point = resolve(postcode, place)
        except GeoError as exc:
            self.fail("postcode" if exc.code.startswith("postcode") else "place", exc.message_en)
        return Location(point.lat, point.lon, postcode, place)


def _short_number(value: float) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:23] + "…"


def _resolver(
    geocoder: GeocoderLike | None,
) -> Callable[[str | None, str | None], Point]:
    """A caching resolve(postcode, place): big files repeat the same few locations."""
    cache: dict[tuple[str | None, str | None], Point | GeoError] = {}
    holder: list[GeocoderLike] = [geocoder] if geocoder is not None else []

    def resolve(postcode: str | None, place: str | None) -> Point:
        key = (postcode, place)
        hit = cache.get(key)
        if hit is None:
            if not holder:
                holder.append(get_geocoder())  # loaded only when a record needs it
            try:
                hit = holder[0].resolve(postcode=postcode, place=place)
            except GeoError as exc:
                hit = exc
            cache[key] = hit
        if isinstance(hit, GeoError):
            raise hit
        return hit

    return resolve


def _records(data: Any, file: str) -> list[Any]:
    if not isinstance(data, list):
        raise ExchangeError(
            file, None, None, f"expected a JSON array of records, got {_json_type(data)}"
        )
    return data


def _start(item: Any, file: str, index: int, seen: dict[str, int], memo: _Memo) -> _Record:
    if not isinstance(item, dict):
        raise ExchangeError(
            file, None, None, f"expected an object, got {_json_type(item)}", index=index
        )
    record = _Record(item, file, index, memo)
    record_id = record.required("id")
    first = seen.setdefault(record_id, index)
    record.id = record_id
    if first != index:
        record.fail("id", f"duplicate id (also record #{first + 1})")
    return record
