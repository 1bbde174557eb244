"""Strict reading and writing of the exchange format: offers.json and requests.json."""

from __future__ import annotations

import codecs
import contextlib
import gc
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, Protocol

from matching import vocabulary
from matching.geo import GeoError, Point, get_geocoder, normalise_postcode
from matching.types import DateRange, Location, Offer, Request

# CPython refuses int() on more than 4300 digits by default; the format never
# needs more than a handful, so refuse long ones here with a located message.
MAX_INT_DIGITS = 4300
MAX_COUNT = 100_000
# Beyond this a distance is a typo, and float() of a huge int would overflow.
MAX_DISTANCE_KM = 100_000

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# No text may hold C0 controls other than tab and line ends, DEL, or lone
# surrogates (those cannot be written back as UTF-8).
_BAD_ANYWHERE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Single-line text (names, codes, ids) may not break lines after stripping its ends.
_BAD_IN_LINE_RE = re.compile("[\t\n\r\x85\u2028\u2029]")
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

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


def _one_line(text: str) -> str:
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _q(value: object, limit: int = 60) -> str:
    """Quote a value for a message: short, one line, JSON-ish."""
    text = value if isinstance(value, str) else json.dumps(value, default=repr)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return '"' + _one_line(text) + '"'


class ExchangeError(ValueError):
    """Bad exchange data; ``str()`` is one line naming file, record and field.

    ``record_id`` is None for whole-file problems and for records without a
    usable id (then ``index``, 0-based, tells which record); ``field`` is None
    when the problem is not one key's value.
    """

    def __init__(
        self,
        file: str,
        record_id: str | None,
        field: str | None,
        message: str,
        *,
        index: int | None = None,
    ) -> None:
        self.file = file
        self.record_id = record_id
        self.field = field
        self.message = message
        self.index = index
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [_one_line(self.file)]
        if self.record_id is not None:
            parts.append(f"record {_q(self.record_id)}")
        elif self.index is not None:
            parts.append(f"record #{self.index + 1}")
        if self.field is not None:
            parts.append(f"field {_q(self.field)}")
        parts.append(_one_line(self.message))
        return ": ".join(parts)

    def __str__(self) -> str:
        return self._line()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many acyclic objects.

    Each generation-0 collection rescans the growing heap, which made decoding
    10^5 records three times slower; the decoded data has no cycles to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- decoding -----------------------------------------------------------------


class _Invalid:
    """Stands in for a JSON value that must be refused, until its place is known."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _DuplicateKeys(dict):
    """An object that repeated a key; ``key`` is the first repeated one."""

    key: str = ""


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _path_text(path: Iterable[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _locate(data: Any) -> tuple[list[str | int], str] | None:
    """Find the first refused node in document order: (path, reason)."""
    # Iterative: the data may nest up to the recursion limit.
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Invalid):
            return path, node.reason
        if isinstance(node, _DuplicateKeys):
            return [*path, node.key], f"duplicate key {_q(node.key)}"
        if isinstance(node, dict):
            stack.extend((v, [*path, k]) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, [*path, i]) for i, v in reversed(list(enumerate(node))))
    return None


def _decode(raw: bytes, file: str) -> Any:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExchangeError(file, None, None, "not UTF-8: the file is UTF-16 or UTF-32 encoded")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExchangeError(
            file,
            None,
            None,
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {line} (offset {exc.start})",
        ) from None

    refused = False

    def constant(name: str) -> _Invalid:
        nonlocal refused
        refused = True
        return _Invalid(f"{name} is not a valid number")

    def integer(digits: str) -> int | _Invalid:
        nonlocal refused
        if len(digits) > MAX_INT_DIGITS:
            refused = True
            return _Invalid(f"integer with {len(digits.lstrip('-'))} digits is too long")
        return int(digits)

    def real(digits: str) -> float | _Invalid:
        nonlocal refused
        value = float(digits)
        if math.isfinite(value):
            return value
        refused = True
        return _Invalid(f"number {_q(digits, 24)} is out of range")

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal refused
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        refused = True
        seen: set[str] = set()
        marked = _DuplicateKeys(obj)
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        return marked

    try:
        with _gc_paused():
            data = json.loads(
                text,
                parse_constant=constant,
                parse_int=integer,
                parse_float=real,
                object_pairs_hook=pairs_hook,
            )
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            file, None, None, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ExchangeError(file, None, None, "not valid JSON: nested too deeply") from None
    except MemoryError:
        raise ExchangeError(file, None, None, "file too large to read") from None
    except Exception as exc:  # any other decoder complaint is still bad data, not a crash
        raise ExchangeError(file, None, None, f"not valid JSON: {exc}") from None

    if refused:
        found = _locate(data)
        if found is not None:
            path, reason = found
            record_id, index = None, None
            if path and isinstance(path[0], int):
                index = path[0]
                record = data[index]
                rid = record.get("id") if isinstance(record, dict) else None
                record_id = rid.strip() if isinstance(rid, str) and rid.strip() else None
                path = path[1:]
            field = _path_text(path) if path else None
            raise ExchangeError(file, record_id, field, reason, index=index)
        raise ExchangeError(file, None, None, "not valid JSON")
    return data


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read and strictly decode a JSON file; every problem is an ExchangeError.

    Refused: a missing or unreadable file, invalid UTF-8, UTF-16/32, NaN and
    Infinity, numbers out of range, integers over 4300 digits, duplicate keys,
    nesting beyond the recursion limit. A UTF-8 byte order mark is accepted.
    """
    file = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExchangeError(file, None, None, "file not found") from None
    except IsADirectoryError:
        raise ExchangeError(file, None, None, "is a directory, not a file") from None
    except PermissionError:
        raise ExchangeError(file, None, None, "permission denied") from None
    except OSError as exc:
        raise ExchangeError(file, None, None, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # a path with a NUL byte, for one
        raise ExchangeError(file, None, None, f"cannot read: {exc}") from None
    except MemoryError:
        raise ExchangeError(file, None, None, "file too large to read") from None
    return _decode(raw, file)


def decode_json(raw: bytes, file: str = "<input>") -> Any:
    """Like ``read_json`` for bytes already in memory (an upload, say)."""
    return _decode(raw, file)


# --- records ------------------------------------------------------------------


class _Record:
    """One record under validation: knows how to report an error about itself."""

    __slots__ = ("data", "file", "id", "index", "memo")

    def __init__(
        self, data: Mapping[str, Any], file: str, index: int, memo: dict[Any, Any]
    ) -> None:
        self.data = data
        self.file = file
        self.index = index
        self.id: str | None = None
        # Shared by the records of one file: big files repeat the same code
        # lists and dates, and validating each once keeps 10^5 records fast.
        self.memo = memo

    def fail(self, field: str | None, message: str) -> NoReturn:
        raise ExchangeError(self.file, self.id, field, message, index=self.index)

    def get(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.fail(key, "missing required key" if key not in self.data else "must not be null")
        return value

    def text(self, value: Any, field: str, multiline: bool = False) -> str:
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
        value = self.data.get(key)
        try:
            return self.memo[key, tuple(value)]  # type: ignore[arg-type]
        except (KeyError, TypeError):
            pass
        values = self.strings(key)
        if required and not values:
            self.get(key, required=True)
            self.fail(key, "must list at least one code")
        result = tuple(self.code(key, v) for v in values)
        if isinstance(value, list):
            self.memo[key, tuple(value)] = result
        return result

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
            return self.memo["range", start_text, stop_text]
        except (KeyError, TypeError):
            pass
        for end in ("from", "to"):
            if value.get(end) is None:
                self.fail(f"{field}.{end}", "missing required key")
        start = self.day(start_text, f"{field}.from")
        stop = self.day(stop_text, f"{field}.to")
        if start > stop:
            self.fail(field, f'"from" {start} is after "to" {stop}')
        result = self.memo["range", start_text, stop_text] = DateRange(start, stop)
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


def _start(item: Any, file: str, index: int, seen: dict[str, int], memo: dict[Any, Any]) -> _Record:
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


def parse_offers(
    data: Any, file: str = "offers.json", geocoder: GeocoderLike | None = None
) -> list[Offer]:
    """Validate decoded offers.json data into Offer objects; a problem raises ExchangeError."""
    with _gc_paused():
        return _parse_offers(data, file, geocoder)


def _parse_offers(data: Any, file: str, geocoder: GeocoderLike | None) -> list[Offer]:
    resolve = _resolver(geocoder)
    seen: dict[str, int] = {}
    memo: dict[Any, Any] = {}
    offers = []
    for index, item in enumerate(_records(data, file)):
        r = _start(item, file, index, seen, memo)
        record_id = r.id or ""
        organisation = r.required("organisation")
        kinds = r.codes("kinds", required=True)
        sectors = r.codes("sectors")
        themes = r.strings("themes")
        target_groups = r.codes("target_groups")
        where = r.codes("where")
        location = r.location(resolve)
        travel_km = r.distance("travel_km")
        capacity = r.count("capacity")
        available = r.get("available")
        if available is None:
            ranges: tuple[DateRange, ...] = ()
        elif not isinstance(available, list):
            r.fail("available", f"expected a list of date ranges, got {_json_type(available)}")
        else:
            ranges = tuple(r.date_range(v, f"available[{i}]") for i, v in enumerate(available))
        description = r.get("description")
        offers.append(
            Offer(
                id=record_id,
                organisation=organisation,
                kinds=kinds,
                location=location,
                sectors=sectors,
                themes=themes,
                target_groups=target_groups,
                where=where or vocabulary.DEFAULT_WHERE,
                where_given=bool(where),
                travel_km=travel_km,
                capacity=capacity,
                available=ranges,
                description=r.text(description, "description", multiline=True)
                if description is not None
                else "",
            )
        )
    return offers


def parse_requests(
    data: Any, file: str = "requests.json", geocoder: GeocoderLike | None = None
) -> list[Request]:
    """Validate decoded requests.json data into Request objects; a problem raises ExchangeError."""
    with _gc_paused():
        return _parse_requests(data, file, geocoder)


def _parse_requests(data: Any, file: str, geocoder: GeocoderLike | None) -> list[Request]:
    resolve = _resolver(geocoder)
    seen: dict[str, int] = {}
    memo: dict[Any, Any] = {}
    requests = []
    for index, item in enumerate(_records(data, file)):
        r = _start(item, file, index, seen, memo)
        record_id = r.id or ""
        school = r.required("school")
        kinds = r.codes("kinds", required=True)
        sectors = r.codes("sectors")
        themes = r.strings("themes")
        target_group = r.code("target_group", r.text(r.get("target_group", True), "target_group"))
        group_size = r.count("group_size")
        location = r.location(resolve)
        max_travel_km = r.distance("max_travel_km")
        period = r.get("period")
        description = r.get("description")
        requests.append(
            Request(
                id=record_id,
                school=school,
                kinds=kinds,
                target_group=target_group,
                location=location,
                sectors=sectors,
                themes=themes,
                group_size=group_size,
                max_travel_km=max_travel_km,
                period=r.date_range(period, "period") if period is not None else None,
                description=r.text(description, "description", multiline=True)
                if description is not None
                else "",
            )
        )
    return requests


def load_offers(path: str | os.PathLike[str], geocoder: GeocoderLike | None = None) -> list[Offer]:
    """Read offers.json; any problem raises one ExchangeError."""
    return parse_offers(read_json(path), os.fspath(path), geocoder)


def load_requests(
    path: str | os.PathLike[str], geocoder: GeocoderLike | None = None
) -> list[Request]:
    """Read requests.json; any problem raises one ExchangeError."""
    return parse_requests(read_json(path), os.fspath(path), geocoder)


# --- writing ------------------------------------------------------------------


def _plain(value: float) -> float | int:
    # 30.0 goes back out as 30, as people write it.
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _dump_location(location: Location) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if location.postcode is not None:
        out["postcode"] = location.postcode
    if location.place is not None:
        out["place"] = location.place
    if location.given_lat is not None and location.given_lon is not None:
        out["lat"], out["lon"] = location.given_lat, location.given_lon
    elif not out:
        # Built in code rather than read from a file: the coordinates are all there is.
        out["lat"], out["lon"] = location.lat, location.lon
    return out


def _dump_range(period: DateRange) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@_gc_paused()
def dump_offers(offers: Iterable[Offer]) -> list[dict[str, Any]]:
    """Offers back to exchange-format dicts, with only the keys that carry a value."""
    out = []
    for o in offers:
        d: dict[str, Any] = {"id": o.id, "organisation": o.organisation, "kinds": list(o.kinds)}
        if o.sectors:
            d["sectors"] = list(o.sectors)
        if o.themes:
            d["themes"] = list(o.themes)
        if o.target_groups:
            d["target_groups"] = list(o.target_groups)
        if o.where_given or tuple(o.where) != vocabulary.DEFAULT_WHERE:
            d["where"] = list(o.where)
        d.update(_dump_location(o.location))
        if o.travel_km is not None:
            d["travel_km"] = _plain(o.travel_km)
        if o.capacity is not None:
            d["capacity"] = o.capacity
        if o.available:
            d["available"] = [_dump_range(p) for p in o.available]
        if o.description:
            d["description"] = o.description
        out.append(d)
    return out


@_gc_paused()
def dump_requests(requests: Iterable[Request]) -> list[dict[str, Any]]:
    """Requests back to exchange-format dicts, with only the keys that carry a value."""
    out = []
    for q in requests:
        d: dict[str, Any] = {"id": q.id, "school": q.school, "kinds": list(q.kinds)}
        if q.sectors:
            d["sectors"] = list(q.sectors)
        if q.themes:
            d["themes"] = list(q.themes)
        d["target_group"] = q.target_group
        if q.group_size is not None:
            d["group_size"] = q.group_size
        d.update(_dump_location(q.location))
        if q.max_travel_km is not None:
            d["max_travel_km"] = _plain(q.max_travel_km)
        if q.period is not None:
            d["period"] = _dump_range(q.period)
        if q.description:
            d["description"] = q.description
        out.append(d)
    return out


def write_json(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> None:
    """Write records as UTF-8 JSON (not ASCII-escaped), indented by 2, newline at the end."""
    text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8", newline="\n")
