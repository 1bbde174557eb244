"""Strict reading and writing of offers.json / requests.json (reliability row 26)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.exchange import (
    ExchangeError,
    decode_json,
    dump_offers,
    dump_requests,
    load_offers,
    load_requests,
    parse_offers,
    parse_requests,
    read_json,
    write_json,
)
from matching.geo import GeoError, Point
from matching.types import DateRange, Location, Offer

# Verbatim copies of spec/examples/*.json: the tests must not depend on a path
# outside the repository.
EXAMPLE_OFFERS = r"""[
  {
    "id": "o-hofstede-1",
    "organisation": "Installatiebedrijf Hofstede B.V.",
    "kinds": ["gastles", "bedrijfsbezoek"],
    "sectors": ["pie"],
    "themes": ["warmtepompen", "zonnepanelen", "energietransitie"],
    "target_groups": ["vmbo_bovenbouw", "mbo"],
    "where": ["op_school", "bij_bedrijf"],
    "postcode": "9405 BA",
    "place": "Assen",
    "travel_km": 30,
    "capacity": 25,
    "available": [{"from": "2026-10-01", "to": "2026-12-18"}, {"from": "2027-02-01", "to": "2027-05-28"}],
    "description": "Onze monteurs laten zien hoe een warmtepomp werkt en wat er komt kijken bij het aanleggen van zonnepanelen. Leerlingen mogen zelf een aansluiting maken."
  },
  {
    "id": "o-codelab-2",
    "organisation": "CodeLab Noord",
    "kinds": ["lesmodule", "kennisdeling"],
    "sectors": ["mvi"],
    "themes": ["programmeren", "robotica"],
    "target_groups": ["po", "vmbo_onderbouw", "docenten"],
    "where": ["online", "op_school"],
    "place": "Groningen",
    "description": "Lesmodule van zes weken waarin leerlingen een robotje leren programmeren; we trainen ook docenten."
  }
]
"""  # noqa: E501

EXAMPLE_REQUESTS = r"""[
  {
    "id": "r-dalton-1",
    "school": "Daltoncollege vmbo Assen",
    "kinds": ["gastles"],
    "sectors": ["pie"],
    "themes": ["duurzame energie"],
    "target_group": "vmbo_bovenbouw",
    "group_size": 24,
    "postcode": "9402",
    "max_travel_km": 20,
    "period": {"from": "2027-03-01", "to": "2027-03-31"},
    "description": "Voor 3 vmbo PIE zoeken we een gastles over installatietechniek in een duurzaam huis."
  },
  {
    "id": "r-deklimop-2",
    "school": "Basisschool De Klimop",
    "kinds": ["lesmodule", "doe_activiteit"],
    "target_group": "po",
    "group_size": 28,
    "lat": 53.0014,
    "lon": 6.6823,
    "description": "Groep 8 wil graag iets met techniek en programmeren doen."
  }
]
"""  # noqa: E501

OFFER = json.loads(EXAMPLE_OFFERS)[0]
REQUEST = json.loads(EXAMPLE_REQUESTS)[0]


def _write(tmp_path: Path, content: str | bytes, name: str = "offers.json") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _offers_text(**changes: Any) -> str:
    record = copy.deepcopy(OFFER)
    for key, value in changes.items():
        if value is _DROP:
            record.pop(key)
        else:
            record[key] = value
    return json.dumps([record], ensure_ascii=False)


_DROP = object()


def _assert_one_line(
    err: ExchangeError, file: str, record_id: str | None, field: str | None
) -> str:
    text = str(err)
    assert len(text.splitlines()) == 1
    assert "\n" not in text
    assert text.startswith(f"{file}: ")
    assert err.file == file
    assert err.record_id == record_id
    assert err.field == field
    if record_id is not None:
        assert f'record "{record_id}"' in text
    if field is not None:
        assert f'field "{field}"' in text
    return text


# --- the spec examples ----------------------------------------------------------------


def test_examples_load(tmp_path: Path) -> None:
    offers = load_offers(_write(tmp_path, EXAMPLE_OFFERS))
    requests = load_requests(_write(tmp_path, EXAMPLE_REQUESTS, "requests.json"))
    assert [o.id for o in offers] == ["o-hofstede-1", "o-codelab-2"]
    assert [r.id for r in requests] == ["r-dalton-1", "r-deklimop-2"]

    hofstede = offers[0]
    assert hofstede.kinds == ("gastles", "bedrijfsbezoek")
    assert hofstede.where == ("op_school", "bij_bedrijf")
    assert hofstede.where_given
    assert hofstede.travel_km == 30
    assert hofstede.capacity == 25
    assert hofstede.available[0].start.isoformat() == "2026-10-01"
    assert hofstede.location.postcode == "9405 BA"
    assert hofstede.location.place == "Assen"
    assert abs(hofstede.location.lat - 52.99) < 0.1  # PC4 9405, Assen

    assert offers[1].location.place == "Groningen"
    assert abs(offers[1].location.lat - 53.22) < 0.05

    dalton, klimop = requests
    assert dalton.target_group == "vmbo_bovenbouw"
    assert dalton.period == DateRange(
        hofstede.available[1].start.replace(month=3, day=1),
        hofstede.available[1].start.replace(month=3, day=31),
    )
    assert dalton.location.postcode == "9402"
    assert klimop.location == Location(53.0014, 6.6823, None, None, 53.0014, 6.6823)


def test_examples_round_trip() -> None:
    offers = parse_offers(json.loads(EXAMPLE_OFFERS))
    requests = parse_requests(json.loads(EXAMPLE_REQUESTS))
    assert dump_offers(offers) == json.loads(EXAMPLE_OFFERS)
    assert dump_requests(requests) == json.loads(EXAMPLE_REQUESTS)
    assert parse_offers(dump_offers(offers)) == offers
    assert parse_requests(dump_requests(requests)) == requests


def test_default_where_is_not_written() -> None:
    record = copy.deepcopy(OFFER)
    del record["where"]
    (offer,) = parse_offers([record])
    assert offer.where == ("bij_bedrijf",)
    assert not offer.where_given
    assert "where" not in dump_offers([offer])[0]


def test_write_json(tmp_path: Path) -> None:
    offers = parse_offers(json.loads(EXAMPLE_OFFERS))
    path = tmp_path / "out.json"
    write_json(path, dump_offers(offers))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("]\n")
    assert '\n  {\n    "id": "o-hofstede-1"' in text
    assert load_offers(path) == offers


def test_write_json_keeps_non_ascii(tmp_path: Path) -> None:
    record = copy.deepcopy(OFFER) | {"organisation": "Café Exloërmond", "place": "Exloërmond"}
    record.pop("postcode")
    record["place"] = "2e Exloërmond"
    offers = parse_offers([record])
    path = tmp_path / "out.json"
    write_json(path, dump_offers(offers))
    assert "Café Exloërmond" in path.read_text(encoding="utf-8")
    assert load_offers(path) == offers


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf" + EXAMPLE_OFFERS.encode())
    assert [o.id for o in load_offers(path)] == ["o-hofstede-1", "o-codelab-2"]


def test_strings_are_normalised() -> None:
    record = copy.deepcopy(OFFER) | {
        "organisation": "  Cafe\u0301 Noord ",  # decomposed é
        "kinds": [" gastles "],
        "themes": ["lassen", " lassen", "", "3D-printen"],
        "description": "regel 1\r\nregel 2\t(tab)\n",
        "unknown_key": {"whatever": [1, 2]},
    }
    (offer,) = parse_offers([record])
    assert offer.organisation == "Café Noord"
    assert offer.kinds == ("gastles",)
    assert offer.themes == ("lassen", "3D-printen")
    assert offer.description == "regel 1\nregel 2\t(tab)"


def test_unknown_postcode_falls_back_to_place() -> None:
    record = copy.deepcopy(OFFER) | {"postcode": "9400"}
    (offer,) = parse_offers([record])
    assert offer.location.postcode == "9400"
    assert abs(offer.location.lat - 53.0) < 0.05  # Assen


def test_geocoder_is_called_once_per_location() -> None:
    calls: list[tuple[Any, ...]] = []

    class Fake:
        def resolve(self, postcode=None, place=None, lat=None, lon=None) -> Point:
            calls.append((postcode, place))
            if place == "Nergens":
                raise GeoError("place_unknown", value=place)
            return Point(52.0, 5.0, place, "Utrecht")

    records = []
    for i in range(1000):
        record = copy.deepcopy(OFFER) | {"id": f"o-{i}"}
        record.pop("postcode")
        records.append(record)
    offers = parse_offers(records, geocoder=Fake())
    assert len(offers) == 1000
    assert calls == [(None, "Assen")]
    with pytest.raises(ExchangeError) as info:
        parse_offers(
            [copy.deepcopy(OFFER) | {"place": "Nergens", "postcode": None}], geocoder=Fake()
        )
    _assert_one_line(info.value, "offers.json", "o-hofstede-1", "place")


def test_unknown_code_message_matches_the_spec() -> None:
    record = copy.deepcopy(OFFER) | {"kinds": ["gastlesje"]}
    with pytest.raises(ExchangeError) as info:
        parse_offers([record])
    assert str(info.value) == (
        'offers.json: record "o-hofstede-1": field "kinds": unknown code "gastlesje"'
    )


# --- row 26: every bad input is one line naming file, record and field ---------------------

DEEP = "[" * 100_000 + "]" * 100_000
BIG_INT = "1" * 5000

# (case id, file content, record id or None, field or None, words the message must contain)
BAD_OFFERS: list[tuple[str, str | bytes, str | None, str | None, str]] = [
    (
        "nan",
        _offers_text(travel_km=0).replace('"travel_km": 0', '"travel_km": NaN'),
        "o-hofstede-1",
        "travel_km",
        "NaN",
    ),
    (
        "infinity",
        _offers_text(lat=0, lon=6).replace('"lat": 0', '"lat": Infinity'),
        "o-hofstede-1",
        "lat",
        "Infinity",
    ),
    (
        "minus-infinity",
        _offers_text(capacity=0).replace('"capacity": 0', '"capacity": -Infinity'),
        "o-hofstede-1",
        "capacity",
        "Infinity",
    ),
    (
        "overflowing-float",
        _offers_text(travel_km=0).replace('"travel_km": 0', '"travel_km": 1e999'),
        "o-hofstede-1",
        "travel_km",
        "out of range",
    ),
    (
        "nan-in-unknown-key",
        _offers_text(extra=0).replace('"extra": 0', '"extra": [NaN]'),
        "o-hofstede-1",
        "extra[0]",
        "NaN",
    ),
    (
        "duplicate-keys",
        _offers_text().replace('"sectors": ["pie"]', '"sectors": ["pie"], "sectors": []'),
        "o-hofstede-1",
        "sectors",
        "duplicate key",
    ),
    (
        "5000-digit-int",
        _offers_text(capacity=0).replace('"capacity": 0', f'"capacity": {BIG_INT}'),
        "o-hofstede-1",
        "capacity",
        "5000 digits",
    ),
    ("100000-deep", DEEP, None, None, "nested too deeply"),
    (
        "deep-inside-record",
        _offers_text(extra=0).replace('"extra": 0', f'"extra": {DEEP}'),
        None,
        None,
        "nested too deeply",
    ),
    (
        "invalid-utf8",
        _offers_text(organisation="X").encode().replace(b'"X"', b'"\xff\xfe"'),
        None,
        None,
        "UTF-8",
    ),
    ("utf16", EXAMPLE_OFFERS.encode("utf-16"), None, None, "UTF-16"),
    ("object-not-array", json.dumps(OFFER), None, None, "array"),
    ("empty-file", "", None, None, "not valid JSON"),
    ("truncated", EXAMPLE_OFFERS[:200], None, None, "not valid JSON"),
    ("lat-91", _offers_text(lat=91, lon=6.5), "o-hofstede-1", "lat", "out of range"),
    ("lon-181", _offers_text(lat=52.9, lon=181), "o-hofstede-1", "lon", "out of range"),
    ("lat-without-lon", _offers_text(lat=52.9), "o-hofstede-1", "lon", "together"),
    ("lat-as-string", _offers_text(lat="52.9", lon=6.5), "o-hofstede-1", "lat", "number"),
    ("negative-travel-km", _offers_text(travel_km=-5), "o-hofstede-1", "travel_km", "negative"),
    ("duplicate-id", json.dumps([OFFER, OFFER]), "o-hofstede-1", "id", "duplicate id"),
    ("missing-id", _offers_text(id=_DROP), None, "id", "missing"),
    ("empty-id", _offers_text(id="  "), None, "id", "empty"),
    ("id-not-string", _offers_text(id=7), None, "id", "string"),
    (
        "missing-organisation",
        _offers_text(organisation=_DROP),
        "o-hofstede-1",
        "organisation",
        "missing required key",
    ),
    ("null-organisation", _offers_text(organisation=None), "o-hofstede-1", "organisation", "null"),
    ("missing-kinds", _offers_text(kinds=_DROP), "o-hofstede-1", "kinds", "missing required key"),
    ("empty-kinds", _offers_text(kinds=[]), "o-hofstede-1", "kinds", "at least one"),
    ("kinds-not-list", _offers_text(kinds="gastles"), "o-hofstede-1", "kinds", "list"),
    ("kinds-with-number", _offers_text(kinds=["gastles", 3]), "o-hofstede-1", "kinds", "list"),
    ("unknown-code", _offers_text(kinds=["gastlesje"]), "o-hofstede-1", "kinds", "unknown code"),
    ("code-wrong-case", _offers_text(kinds=["Gastles"]), "o-hofstede-1", "kinds", '"gastles"'),
    ("sector-wrong-case", _offers_text(sectors=["Groen"]), "o-hofstede-1", "sectors", '"groen"'),
    (
        "label-not-code",
        _offers_text(kinds=["Gastles op school"]),
        "o-hofstede-1",
        "kinds",
        'did you mean "gastles"',
    ),
    ("unknown-where", _offers_text(where=["thuis"]), "o-hofstede-1", "where", "unknown code"),
    (
        "from-after-to",
        _offers_text(available=[{"from": "2026-12-18", "to": "2026-10-01"}]),
        "o-hofstede-1",
        "available[0]",
        "after",
    ),
    (
        "no-such-date",
        _offers_text(available=[{"from": "2026-02-30", "to": "2026-03-01"}]),
        "o-hofstede-1",
        "available[0].from",
        "2026-02-30",
    ),
    (
        "date-not-iso",
        _offers_text(available=[{"from": "1-2-2026", "to": "2026-03-01"}]),
        "o-hofstede-1",
        "available[0].from",
        "YYYY-MM-DD",
    ),
    (
        "range-without-to",
        _offers_text(available=[{"from": "2026-02-01"}]),
        "o-hofstede-1",
        "available[0].to",
        "missing",
    ),
    ("bool-capacity", _offers_text(capacity=True), "o-hofstede-1", "capacity", "number"),
    ("zero-capacity", _offers_text(capacity=0), "o-hofstede-1", "capacity", "out of range"),
    ("fractional-capacity", _offers_text(capacity=2.5), "o-hofstede-1", "capacity", "whole"),
    ("huge-capacity", _offers_text(capacity=100_001), "o-hofstede-1", "capacity", "out of range"),
    (
        "bad-postcode",
        _offers_text(postcode="0123 AB"),
        "o-hofstede-1",
        "postcode",
        "Invalid postcode",
    ),
    (
        "unknown-postcode",
        _offers_text(postcode="9400", place=_DROP),
        "o-hofstede-1",
        "postcode",
        "Unknown postcode",
    ),
    (
        "unknown-place",
        _offers_text(postcode=_DROP, place="Xyzzy"),
        "o-hofstede-1",
        "place",
        "Unknown place",
    ),
    (
        "no-location",
        _offers_text(postcode=_DROP, place=_DROP),
        "o-hofstede-1",
        "location",
        "missing",
    ),
    (
        "control-char",
        _offers_text(organisation="Hof\x07stede"),
        "o-hofstede-1",
        "organisation",
        "U+0007",
    ),
    (
        "newline-in-name",
        _offers_text(organisation="Hof\nstede"),
        "o-hofstede-1",
        "organisation",
        "U+000A",
    ),
    (
        "lone-surrogate",
        _offers_text(description="x").replace('"x"', '"\\ud800"'),
        "o-hofstede-1",
        "description",
        "surrogate",
    ),
    ("record-not-object", json.dumps([OFFER, "o-2"]), None, None, "object"),
]


@pytest.mark.parametrize(
    ("content", "record_id", "field", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_OFFERS],
)
def test_bad_offers_file(
    tmp_path: Path, content: str | bytes, record_id: str | None, field: str | None, words: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ExchangeError) as info:
        load_offers(path)
    text = _assert_one_line(info.value, str(path), record_id, field)
    assert words in text


def test_missing_record_id_is_named_by_position(tmp_path: Path) -> None:
    second = copy.deepcopy(OFFER) | {"id": "o-2"}
    del second["id"]
    path = _write(tmp_path, json.dumps([OFFER, second]))
    with pytest.raises(ExchangeError) as info:
        load_offers(path)
    assert info.value.index == 1
    assert 'record #2: field "id": missing required key' in str(info.value)


def test_error_text_stays_on_one_line() -> None:
    record = copy.deepcopy(OFFER) | {"id": "o\u2028x\u0085y", "capacity": -1}
    with pytest.raises(ExchangeError) as info:
        parse_offers([record])
    assert len(str(info.value).splitlines()) == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"target_group": None}, "target_group", "null"),
        ({"target_group": "VMBO_BOVENBOUW"}, "target_group", '"vmbo_bovenbouw"'),
        ({"group_size": True}, "group_size", "number"),
        ({"group_size": 0}, "group_size", "out of range"),
        ({"max_travel_km": -1}, "max_travel_km", "negative"),
        ({"period": {"from": "2027-03-31", "to": "2027-03-01"}}, "period", "after"),
        ({"period": {"from": "2027-02-30", "to": "2027-03-01"}}, "period.from", "2027-02-30"),
        ({"period": ["2027-03-01", "2027-03-31"]}, "period", "object"),
        ({"school": ""}, "school", "empty"),
        ({"postcode": "12345"}, "postcode", "Invalid postcode"),
    ],
)
def test_bad_requests(changes: dict[str, Any], field: str, words: str) -> None:
    record = copy.deepcopy(REQUEST) | changes
    with pytest.raises(ExchangeError) as info:
        parse_requests([record])
    text = _assert_one_line(info.value, "requests.json", "r-dalton-1", field)
    assert words in text


def test_missing_target_group() -> None:
    record = copy.deepcopy(REQUEST)
    del record["target_group"]
    with pytest.raises(ExchangeError) as info:
        parse_requests([record])
    _assert_one_line(info.value, "requests.json", "r-dalton-1", "target_group")


@pytest.mark.parametrize("make", ["missing", "directory", "nul-in-name"])
def test_unreadable_file(tmp_path: Path, make: str) -> None:
    path = tmp_path / "offers.json"
    if make == "directory":
        path.mkdir()
    if make == "nul-in-name":
        path = tmp_path / "off\x00ers.json"
    with pytest.raises(ExchangeError) as info:
        read_json(path)
    assert len(str(info.value).splitlines()) == 1
    assert info.value.record_id is None


# --- never a traceback ------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=6,
)
record_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["o-1", "", 1]) | st.text(max_size=4),
        "organisation": st.sampled_from(["X", ""]) | json_values,
        "kinds": st.lists(st.sampled_from(["gastles", "Gastles", "x"]), max_size=3) | json_values,
        "postcode": st.sampled_from(["9401", "9401 AB", "0123", "9400"]) | json_values,
        "place": st.sampled_from(["Assen", "Xyzzy", "Rolden"]) | json_values,
        "lat": st.floats(-100, 100) | json_values,
        "lon": st.floats(-200, 200) | json_values,
        "capacity": st.integers(-2, 3) | json_values,
        "available": st.lists(
            st.fixed_dictionaries(
                {"from": st.sampled_from(["2026-01-01", "x"]), "to": json_values}
            ),
            max_size=2,
        )
        | json_values,
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record_like, max_size=3) | json_values)
def test_any_decoded_data_gives_offers_or_one_exchange_error(data: Any) -> None:
    try:
        offers = parse_offers(data)
    except ExchangeError as err:
        error: ExchangeError | None = err
    else:
        error = None
        assert all(isinstance(o, Offer) for o in offers)
        assert parse_offers(dump_offers(offers)) == offers
    if error is not None:
        assert len(str(error).splitlines()) == 1


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_any_bytes_decode_or_give_one_exchange_error(raw: bytes) -> None:
    try:
        decode_json(raw, "offers.json")
    except ExchangeError as err:
        error: ExchangeError | None = err
    else:
        error = None
    if error is not None:
        assert len(str(error).splitlines()) == 1


# --- scale ----------------------------------------------------------------------------


@pytest.mark.slow  # about 2 s to load, plus writing the 47 MB file first
def test_100k_offers_load(tmp_path: Path) -> None:
    pc4s = ["9401", "9402 AB", "7811", "8011", "9711"]
    records = []
    for i in range(100_000):
        record = dict(OFFER)
        record["id"] = f"o-{i}"
        record.pop("postcode")
        if i % 3 == 0:
            record["postcode"] = pc4s[i % len(pc4s)]
        elif i % 3 == 1:
            record["lat"], record["lon"] = 52 + (i % 100) / 100, 6 + (i % 97) / 100
        records.append(record)
    path = _write(tmp_path, json.dumps(records, ensure_ascii=False))
    # How long it takes is measured by benchmarks/import_export.py, not asserted here.
    offers = load_offers(path)
    assert len(offers) == 100_000
    assert offers[-1].id == "o-99999"


@pytest.mark.parametrize("bad", [{"gastles": 1}, "gastles"])
def test_codes_that_are_not_a_list_are_refused_after_a_valid_record(bad):
    good = {"id": "o1", "organisation": "A", "kinds": ["gastles"], "postcode": "9405"}
    second = {**good, "id": "o2", "kinds": bad}
    with pytest.raises(ExchangeError, match=r"o2.*kinds"):
        parse_offers([good, second], file="offers.json")
