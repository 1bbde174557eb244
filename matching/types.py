"""Plain, typed inputs and outputs of the matcher, mirroring the exchange format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matching.labels import label_for


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of days; ``start <= end``."""

    start: date
    end: date

    def overlaps(self, other: DateRange) -> bool:
        """True when the two ranges share at least one day."""
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True, slots=True)
class Location:
    """Where an offer or request is, as given and as resolved to WGS84 degrees."""

    lat: float
    lon: float
    postcode: str | None = None
    place: str | None = None
    given_lat: float | None = None
    given_lon: float | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """A company's contribution (aanbod), as in ``offers.json``.

    ``yearly_limit`` and ``introductions_this_year`` are optional app-side inputs
    for the fairness term; the exchange format does not carry them. ``regions``
    empty means the key was absent: no region preference applies to the offer.
    """

    id: str
    organisation: str
    kinds: tuple[str, ...]
    location: Location
    sectors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    where: tuple[str, ...] = ("bij_bedrijf",)
    where_given: bool = False
    travel_km: float | None = None
    capacity: int | None = None
    available: tuple[DateRange, ...] = ()
    description: str = ""
    yearly_limit: int | None = None
    introductions_this_year: int = 0
    regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Request:
    """A school's request for help (hulpvraag), as in ``requests.json``.

    ``region`` None means the key was absent: no region preference applies.
    """

    id: str
    school: str
    kinds: tuple[str, ...]
    target_group: str
    location: Location
    sectors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    group_size: int | None = None
    max_travel_km: float | None = None
    period: DateRange | None = None
    description: str = ""
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked offer for a request: score in [0, 1], parts and reasons."""

    offer_id: str
    score: float
    reasons: tuple[str, ...] = ()
    parts: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None

    @property
    def label(self) -> str:
        """``zeer_goed``, ``goed`` or ``redelijk``: ``labels.label_for(score)``."""
        return label_for(self.score)
