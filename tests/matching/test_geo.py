"""Offline geocoding: postcode normalisation, place lookup, distances and the shipped tables."""

from __future__ import annotations

import csv
import importlib.resources
import math

import numpy as np
import pytest

from matching.geo import (
    Geocoder,
    GeoError,
    Point,
    get_geocoder,
    haversine_km,
    haversine_km_many,
    normalise_postcode,
)


@pytest.fixture(scope="module")
def geo() -> Geocoder:
    return get_geocoder()


def _km(a: Point, b: Point) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


# --- postcodes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("9401 AB", "9401 AB"),
        ("9401ab", "9401 AB"),
        ("9401 ab", "9401 AB"),
        (" 9401AB ", "9401 AB"),
        ("9401", "9401"),
        (" 9401 ", "9401"),
        ("1011 SB", "1011 SB"),
    ],
)
def test_postcode_accepted(given: str, expected: str) -> None:
    assert normalise_postcode(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "0123 AB",  # no leading zero
        "0123",
        "1234 SS",  # SA, SD and SS are never issued
        "1234 SA",
        "1234sd",
        "12345",
        "123",
        "9401  AB",  # one space at most
        "9401-AB",
        "9401 A",
        "9401 ABC",
        "AB 9401",
        "٩٤٠١ AB",  # non-ASCII digits
        "",
        "   ",
        None,
        9401,
    ],
)
def test_postcode_refused(given: object) -> None:
    with pytest.raises(GeoError) as info:
        normalise_postcode(given)
    assert info.value.code == "postcode_invalid"


def test_geo_error_speaks_dutch_and_english() -> None:
    with pytest.raises(GeoError) as info:
        normalise_postcode("0123 AB")
    err = info.value
    assert isinstance(err, ValueError)
    assert str(err) == err.message_nl
    assert "postcode" in err.message_nl.lower()
    assert "Invalid postcode" in err.message_en
    assert "\n" not in err.message_nl + err.message_en


def test_geo_error_without_messages_gets_defaults() -> None:
    err = GeoError("place_unknown", value="Xyzzy")
    assert err.code == "place_unknown"
    assert str(err) == 'Onbekende plaats "Xyzzy".'
    assert err.message_en == 'Unknown place "Xyzzy".'


def test_postcode_lookup_uses_pc4(geo: Geocoder) -> None:
    assert geo.postcode("9401 AB") == geo.postcode("9401") == geo.postcode("9401ab")
    point = geo.postcode("9401 AB")
    assert point.place == "Assen"
    assert point.province == "Drenthe"


@pytest.mark.parametrize("code", ["9400", "1000 AA", "5000"])
def test_unknown_pc4(geo: Geocoder, code: str) -> None:
    with pytest.raises(GeoError) as info:
        geo.postcode(code)
    assert info.value.code == "postcode_unknown"


# --- places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("Assen", "Drenthe"),
        ("Rolde", "Drenthe"),
        ("Gieten", "Drenthe"),
        ("Emmen", "Drenthe"),
        ("Hoogeveen", "Drenthe"),
        ("Zwolle", "Overijssel"),
        ("Groningen", "Groningen"),
    ],
)
def test_places_resolve(geo: Geocoder, name: str, province: str) -> None:
    point = geo.place(name)
    assert point.place == name
    assert point.province == province
    assert 50.7 < point.lat < 53.6
    assert 3.3 < point.lon < 7.3


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Assen", "Groningen", 20, 30),  # about 25 km
        ("Assen", "Rolde", 3, 12),
        ("Assen", "Gieten", 10, 20),
        ("Assen", "Emmen", 28, 42),
        ("Assen", "Hoogeveen", 25, 38),
        ("Assen", "Zwolle", 55, 70),
        ("Emmen", "Zwolle", 55, 75),
    ],
)
def test_distances_are_plausible(geo: Geocoder, a: str, b: str, low: float, high: float) -> None:
    assert low < _km(geo.place(a), geo.place(b)) < high


@pytest.mark.parametrize(
    "spelling",
    ["'s-Gravenhage", "s gravenhage", "S-GRAVENHAGE", "sGravenhage", " 's-Gravenhage ", "Den Haag"],
)
def test_punctuation_case_and_aliases_do_not_matter(geo: Geocoder, spelling: str) -> None:
    point = geo.place(spelling)
    assert (point.lat, point.lon) == (
        geo.place("'s-Gravenhage").lat,
        geo.place("'s-Gravenhage").lon,
    )
    assert point.province == "Zuid-Holland"


def test_accents_do_not_matter(geo: Geocoder) -> None:
    assert geo.place("2e Exloermond").place == "2e Exloërmond"
    assert geo.place("Feanwalden") == geo.place("Feanwâlden")


def test_den_bosch_alias(geo: Geocoder) -> None:
    assert _km(geo.place("Den Bosch"), geo.place("'s-Hertogenbosch")) < 0.01


def test_sint_and_st_are_one(geo: Geocoder) -> None:
    assert geo.place("Sint Annaparochie") == geo.place("St.-Annaparochie")


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("Asen", "Assen"), ("Hoogeven", "Hoogeveen"), ("Groningn", "Groningen"), ("Zwole", "Zwolle")],
)
def test_small_typos_are_forgiven(geo: Geocoder, typo: str, meant: str) -> None:
    assert geo.place(typo) == geo.place(meant)


@pytest.mark.parametrize("name", ["Roden", "Horn", "Ede", "Eede", "Rolde"])
def test_exact_match_beats_fuzzy(geo: Geocoder, name: str) -> None:
    # Each has a neighbour one typo away (Rolde/Roden, Hoorn/Horn, Ede/Eede).
    assert geo.place(name).place == name


def test_ambiguous_typo_is_refused(geo: Geocoder) -> None:
    with pytest.raises(GeoError) as info:
        geo.place("Rolden")  # one letter from both Roden and Rolde
    err = info.value
    assert err.code == "place_ambiguous"
    assert set(err.candidates) == {"Roden (Drenthe)", "Rolde (Drenthe)"}
    assert "Roden (Drenthe)" in err.message_nl
    assert "did you mean" in err.message_en


def test_namesakes_of_equal_size_are_ambiguous(geo: Geocoder) -> None:
    with pytest.raises(GeoError) as info:
        geo.place("Zuidwolde")
    assert info.value.code == "place_ambiguous"
    assert geo.place("Zuidwolde (Drenthe)").province == "Drenthe"
    assert geo.place("Zuidwolde, Groningen").province == "Groningen"


def test_the_larger_namesake_wins(geo: Geocoder) -> None:
    assert geo.place("Hoorn").province == "Noord-Holland"
    assert geo.place("Hengelo").province == "Overijssel"
    assert geo.place("Hengelo (Gld)").province == "Gelderland"


@pytest.mark.parametrize("name", ["Xyzzy", "Parijs", "Berlin", "", "   ", "-", "x" * 500])
def test_unknown_place_is_refused(geo: Geocoder, name: str) -> None:
    with pytest.raises(GeoError) as info:
        geo.place(name)
    assert info.value.code == "place_unknown"


def test_place_names_all_resolve_to_themselves(geo: Geocoder) -> None:
    names = geo.place_names()
    assert len(names) == len(set(names)) > 2000
    assert {"Assen", "Den Haag", "'s-Gravenhage", "Zuidwolde (Drenthe)"} <= set(names)
    for name in names:
        point = geo.place(name)
        assert name.startswith(point.place.split(" (")[0]) or point.place == name


# --- resolve ----------------------------------------------------------------------


def test_resolve_order(geo: Geocoder) -> None:
    coords = geo.resolve(postcode="9401", place="Zwolle", lat=52.0, lon=5.0)
    assert (coords.lat, coords.lon, coords.place) == (52.0, 5.0, None)
    assert geo.resolve(postcode="9401", place="Zwolle").place == "Assen"
    assert geo.resolve(place="Zwolle").place == "Zwolle"
    # A PC4 the table lacks falls back to the place.
    assert geo.resolve(postcode="9400", place="Zwolle").place == "Zwolle"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"lat": 91, "lon": 5}, "coordinates_invalid"),
        ({"lat": 52, "lon": 181}, "coordinates_invalid"),
        ({"lat": 52}, "coordinates_invalid"),
        ({"lat": math.nan, "lon": 5}, "coordinates_invalid"),
        ({"lat": True, "lon": 5}, "coordinates_invalid"),
        ({"lat": 10**400, "lon": 5}, "coordinates_invalid"),
        ({}, "location_missing"),
        ({"postcode": " ", "place": ""}, "location_missing"),
        ({"postcode": "0123"}, "postcode_invalid"),
        ({"postcode": "9400", "place": "Xyzzy"}, "postcode_unknown"),
        ({"place": "Xyzzy"}, "place_unknown"),
    ],
)
def test_resolve_refuses(geo: Geocoder, kwargs: dict, code: str) -> None:
    with pytest.raises(GeoError) as info:
        geo.resolve(**kwargs)
    assert info.value.code == code


# --- distances --------------------------------------------------------------------


def test_haversine_known_values() -> None:
    assert haversine_km(52.0, 6.0, 52.0, 6.0) == 0.0
    one_degree = 6371 * math.pi / 180
    assert haversine_km(52.0, 6.0, 53.0, 6.0) == pytest.approx(one_degree)
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(6371 * math.pi)
    assert haversine_km(53.0, 6.5, 52.5, 6.1) == pytest.approx(haversine_km(52.5, 6.1, 53.0, 6.5))


def test_haversine_many_matches_scalar() -> None:
    rng = np.random.default_rng(7)
    lats = rng.uniform(50.7, 53.6, 200)
    lons = rng.uniform(3.3, 7.3, 200)
    many = haversine_km_many(52.99, 6.56, lats, lons)
    assert many.shape == (200,)
    expected = [haversine_km(52.99, 6.56, a, b) for a, b in zip(lats, lons, strict=True)]
    np.testing.assert_allclose(many, expected, rtol=1e-12, atol=1e-9)


# --- the shipped tables -------------------------------------------------------------


def _table(name: str) -> list[dict[str, str]]:
    resource = importlib.resources.files("matching").joinpath("data").joinpath(name)
    return list(csv.DictReader(resource.read_text(encoding="utf-8").splitlines()))


def test_pc4_table() -> None:
    rows = _table("nl_pc4.csv")
    assert list(rows[0]) == ["pc4", "place", "province", "lat", "lon"]
    codes = [r["pc4"] for r in rows]
    assert len(codes) == len(set(codes)) == 4086
    for r in rows:
        assert len(r["pc4"]) == 4
        assert r["pc4"].isdigit()
        assert r["pc4"][0] != "0"
        assert 50.7 < float(r["lat"]) < 53.6
        assert 3.3 < float(r["lon"]) < 7.3
        assert r["place"]
        assert r["province"]


def test_place_table() -> None:
    rows = _table("nl_places.csv")
    assert list(rows[0]) == ["place", "province", "lat", "lon"]
    assert len({(r["place"], r["province"]) for r in rows}) == len(rows)
    pc4_places = {r["place"] for r in _table("nl_pc4.csv")}
    assert pc4_places <= {r["place"] for r in rows}


def test_geocoder_loads_once() -> None:
    # Its load time is a benchmark figure (benchmarks/), never a timed assertion.
    assert get_geocoder() is get_geocoder()
