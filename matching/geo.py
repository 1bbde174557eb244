"""Offline geocoding for the Netherlands: postcodes and place names to WGS84 points."""

from __future__ import annotations

import csv
import functools
import importlib.resources
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0

# A full postcode is 4 digits (no leading zero) and 2 letters; PostNL never
# hands out SA, SD or SS because of their connotations.
_POSTCODE_RE = re.compile(r"[1-9][0-9]{3} ?[A-Z]{2}")
_PC4_RE = re.compile(r"[1-9][0-9]{3}")
_REFUSED_LETTERS = frozenset({"SA", "SD", "SS"})

_MAX_NAME_LENGTH = 100
_TOKEN_RE = re.compile(r"[^\W_]+")
# A namesake wins an exact-name tie with at least this many PC4 codes and twice the next one.
DOMINANT_MIN_WEIGHT = 3

# Ways people qualify a place with its province: "Hengelo (Gld)", "Zuidwolde, Drenthe".
_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "Drenthe": ("Dr", "Dren"),
    "Flevoland": ("Fl", "Flev"),
    "Friesland": ("Fr", "Fryslân", "Frl"),
    "Gelderland": ("Gld", "Gl", "Gelderl"),
    "Groningen": ("Gr", "Gn", "Gron"),
    "Limburg": ("L", "Lb", "Li", "Limb"),
    "Noord-Brabant": ("NB", "N-Br", "Brabant"),
    "Noord-Holland": ("NH", "N-H"),
    "Overijssel": ("Ov", "O", "Ovl"),
    "Utrecht": ("U", "Ut", "Utr"),
    "Zeeland": ("Z", "Zl", "Zld"),
    "Zuid-Holland": ("ZH", "Z-H"),
}

_MESSAGES: dict[str, tuple[str, str]] = {
    "postcode_invalid": (
        "Ongeldige postcode {value}: gebruik de vorm 1234 AB of 1234.",
        "Invalid postcode {value}: use the form 1234 AB or 1234.",
    ),
    "postcode_unknown": ("Onbekende postcode {value}.", "Unknown postcode {value}."),
    "place_unknown": ("Onbekende plaats {value}.", "Unknown place {value}."),
    "place_ambiguous": (
        "Plaatsnaam {value} is niet eenduidig: bedoelt u {options}?",
        "Ambiguous place name {value}: did you mean {options_en}?",
    ),
    "coordinates_invalid": (
        "Ongeldige coördinaten {value}: lat moet tussen -90 en 90 liggen "
        "en lon tussen -180 en 180, en ze horen samen.",
        "Invalid coordinates {value}: lat must lie in [-90, 90] and lon in [-180, 180], "
        "and they come together.",
    ),
    "location_missing": (
        "Geen locatie: geef een postcode, een plaats of lat en lon.",
        "No location: give a postcode, a place, or lat and lon.",
    ),
}


def _quote(value: object, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # Messages end up on one line of a log or terminal: escape line breaks and controls.
    text = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text
    )
    return f'"{text}"'


class GeoError(ValueError):
    """A location that cannot be resolved; ``code`` is stable, messages are for people."""

    def __init__(
        self,
        code: str,
        message_nl: str | None = None,
        message_en: str | None = None,
        *,
        value: object = None,
        candidates: Sequence[str] = (),
    ) -> None:
        self.code = code
        self.value = value
        self.candidates = tuple(candidates)
        nl, en = _MESSAGES.get(code, ("Ongeldige locatie {value}.", "Invalid location {value}."))
        fields = {
            "value": _quote(value),
            "options": " of ".join(self.candidates),
            "options_en": " or ".join(self.candidates),
        }
        self.message_nl = message_nl if message_nl is not None else nl.format(**fields)
        self.message_en = message_en if message_en is not None else en.format(**fields)
        super().__init__(self.message_nl)

    def __str__(self) -> str:
        return self.message_nl


def normalise_postcode(text: object) -> str:
    """Return "1234 AB" or "1234"; raise GeoError("postcode_invalid") for anything else."""
    if not isinstance(text, str):
        raise GeoError("postcode_invalid", value=text)
    candidate = text.strip().upper()
    if _PC4_RE.fullmatch(candidate):
        return candidate
    if _POSTCODE_RE.fullmatch(candidate) and candidate[-2:] not in _REFUSED_LETTERS:
        return f"{candidate[:4]} {candidate[-2:]}"
    raise GeoError("postcode_invalid", value=text)


@dataclass(frozen=True)
class Point:
    """A resolved location; ``place``/``province`` are None for bare coordinates."""

    lat: float
    lon: float
    place: str | None = None
    province: str | None = None


def name_key(name: str) -> str:
    """Fold a place name for comparison: case, accents, punctuation and spaces vanish."""
    if name.isascii():
        folded = name.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join("sint" if t == "st" else t for t in _TOKEN_RE.findall(folded))


def sound_key(key: str) -> str:
    """A coarser key for the commonest Dutch misspellings: doubled letters and ij/y.

    "asen" and "assen", "hoogeven" and "hoogeveen" share a sound key, so they
    resolve without guessing between equally near typos (Ansen, Asten).
    """
    key = key.replace("ij", "y")
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


def _max_edits(key: str) -> int:
    """Edits (Damerau OSA) a typo may have: none under 4 letters, 1 up to 7, then 2.

    Short names are too close to each other to guess at, and a looser bound
    turns foreign names (Parijs, Berlin) into Dutch villages.
    """
    if len(key) < 4:
        return 0
    return 1 if len(key) <= 7 else 2


@dataclass(frozen=True)
class _Place:
    name: str
    province: str
    lat: float
    lon: float
    weight: int

    @property
    def qualified(self) -> str:
        return f"{self.name} ({self.province})"

    @functools.cached_property
    def base_key(self) -> str:
        # "Hengelo (Gld)" is also a "Hengelo"; the suffix only disambiguates.
        return name_key(self.name.split(" (", 1)[0])


def _merge(entries: Iterable[_Place]) -> list[_Place]:
    """One entry per place: aliases (same spot) and spellings (same key and province) fold."""
    by_spot: dict[tuple[str, float, float], _Place] = {}
    for entry in sorted(entries, key=lambda e: e.weight, reverse=True):
        by_spot.setdefault((entry.province, entry.lat, entry.lon), entry)
    by_name: dict[tuple[str, str], _Place] = {}
    for entry in by_spot.values():
        by_name.setdefault((entry.base_key, entry.province), entry)
    return list(by_name.values())


def _dominant(candidates: list[_Place]) -> _Place | None:
    """The one place meant, or None when the candidates are a real tie.

    Namesakes in different provinces (Hoorn in Noord-Holland and on
    Terschelling) go to the one with clearly more postcodes; two villages of
    about equal size (Zuidwolde, Valkenburg) are left for the user to choose.
    """
    if len(candidates) == 1:
        return candidates[0]
    if len({e.base_key for e in candidates}) > 1:
        return None
    top, second = sorted(candidates, key=lambda e: e.weight, reverse=True)[:2]
    if top.weight >= DOMINANT_MIN_WEIGHT and top.weight >= 2 * second.weight:
        return top
    return None


def _read_csv(filename: str) -> list[list[str]]:
    # Two joinpath calls: a namespace package's MultiplexedPath takes one part at a time.
    resource = importlib.resources.files("matching").joinpath("data").joinpath(filename)
    rows = list(csv.reader(resource.read_text(encoding="utf-8").splitlines()))
    return rows[1:]


class Geocoder:
    """Postcode (PC4) and place lookups against the shipped GeoNames tables."""

    def __init__(
        self,
        pc4_rows: Iterable[Sequence[str]] | None = None,
        place_rows: Iterable[Sequence[str]] | None = None,
    ) -> None:
        if pc4_rows is None:
            pc4_rows = _read_csv("nl_pc4.csv")
        if place_rows is None:
            place_rows = _read_csv("nl_places.csv")

        self._pc4: dict[str, Point] = {}
        weights: dict[tuple[str, str], int] = {}
        for pc4, place, province, lat, lon in pc4_rows:
            self._pc4[pc4] = Point(float(lat), float(lon), place, province)
            weights[(place, province)] = weights.get((place, province), 0) + 1

        self._places: list[_Place] = [
            _Place(name, province, float(lat), float(lon), weights.get((name, province), 0))
            for name, province, lat, lon in place_rows
        ]
        self._index: dict[str, list[_Place]] = {}
        self._qualified: dict[str, list[_Place]] = {}
        province_keys = {
            province: {name_key(p) for p in (province, *abbreviations)}
            for province, abbreviations in _PROVINCE_ABBREVIATIONS.items()
        }
        for entry in self._places:
            base_key = entry.base_key
            for key in {name_key(entry.name), base_key} - {""}:
                self._index.setdefault(key, []).append(entry)
            # Keys are token concatenations, so "Hengelo Gld" folds to base + province.
            for suffix in province_keys.get(entry.province, {name_key(entry.province)}):
                self._qualified.setdefault(base_key + suffix, []).append(entry)
        # Typos are matched against plain names only: the province-qualified
        # keys would otherwise offer "Assen O" for "Assen" with a typo.
        self._choices = sorted(self._index)
        self._sound_index: dict[str, list[_Place]] = {}
        for key in self._choices:
            self._sound_index.setdefault(sound_key(key), []).extend(self._index[key])

    def postcode(self, text: str) -> Point:
        """Resolve a postcode through its 4-digit part."""
        code = normalise_postcode(text)
        point = self._pc4.get(code[:4])
        if point is None:
            raise GeoError("postcode_unknown", value=code)
        return point

    def place(self, name: str) -> Point:
        """Resolve a place name: exact after folding, then sound-alike, then one clear typo."""
        if not isinstance(name, str):
            raise GeoError("place_unknown", value=name)
        key = name_key(name)
        if not key or len(key) > _MAX_NAME_LENGTH:
            raise GeoError("place_unknown", value=name)
        exact = self._index.get(key) or self._qualified.get(key)
        if exact:
            return self._pick(name, exact)
        alike = self._sound_index.get(sound_key(key))
        if alike:
            return self._pick(name, alike)
        limit = _max_edits(key)
        if limit == 0:
            raise GeoError("place_unknown", value=name)
        hits = process.extract(
            key, self._choices, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        if not hits:
            raise GeoError("place_unknown", value=name)
        nearest = min(distance for _, distance, _ in hits)
        return self._pick(
            name, [e for hit, distance, _ in hits if distance == nearest for e in self._index[hit]]
        )

    def _pick(self, asked: str, entries: list[_Place]) -> Point:
        candidates = _merge(entries)
        chosen = _dominant(candidates)
        if chosen is None:
            options = sorted({e.qualified for e in candidates})
            raise GeoError("place_ambiguous", value=asked, candidates=options)
        return Point(chosen.lat, chosen.lon, chosen.name, chosen.province)

    def resolve(
        self,
        postcode: str | None = None,
        place: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> Point:
        """Resolve a location: lat/lon win, then postcode, then place.

        A well-formed postcode missing from the table falls back to ``place``
        when one is given (the table lags new postcodes); if that fails too the
        postcode error is raised.
        """
        if lat is not None or lon is not None:
            return Point(*validate_coordinates(lat, lon))
        if isinstance(postcode, str) and not postcode.strip():
            postcode = None
        if isinstance(place, str) and not place.strip():
            place = None
        if postcode is not None:
            try:
                return self.postcode(postcode)
            except GeoError as exc:
                if exc.code != "postcode_unknown" or place is None:
                    raise
                try:
                    return self.place(place)
                except GeoError:
                    raise exc from None
        if place is not None:
            return self.place(place)
        raise GeoError("location_missing")

    def place_names(self) -> list[str]:
        """Names for form suggestions; each one resolves to a single place."""
        groups: dict[str, list[_Place]] = {}
        for entry in self._places:
            groups.setdefault(name_key(entry.name), []).append(entry)
        names: list[str] = []
        for group in groups.values():
            merged = _merge(group)
            winner = _dominant(merged)
            for entry in merged:
                plain = len(merged) == 1 or entry is winner
                names.append(entry.name if plain else entry.qualified)
        return sorted(names, key=lambda n: (name_key(n), n))

    def __len__(self) -> int:
        return len(self._pc4)


def validate_coordinates(lat: object, lon: object) -> tuple[float, float]:
    """Return (lat, lon) as floats or raise GeoError("coordinates_invalid")."""
    checked: list[float] = []
    for value, limit in ((lat, 90.0), (lon, 180.0)):
        # The range test comes first: math.isfinite overflows on huge ints, and NaN fails it.
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if number is None or not -limit <= number <= limit:
            raise GeoError("coordinates_invalid", value=f"{lat!r}, {lon!r}"[:60])
        checked.append(float(number))
    return checked[0], checked[1]


@functools.lru_cache(maxsize=1)
def get_geocoder() -> Geocoder:
    """The shared geocoder over the shipped tables, loaded on first use."""
    return Geocoder()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_km_many(
    lat: float, lon: float, lats: np.ndarray, lons: np.ndarray
) -> npt.NDArray[np.float64]:
    """Distances in km from one point to many (arrays of equal shape)."""
    p1 = math.radians(lat)
    p2 = np.radians(np.asarray(lats, dtype=float))
    dl = np.radians(np.asarray(lons, dtype=float) - lon)
    h = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return km
