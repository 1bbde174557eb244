"""The one bridge between database rows and the framework-free ``matching`` library."""

from __future__ import annotations

from datetime import date

from matching import types as mt
from onderwijsplatform.models import Offer, SchoolRequest


def _location(row: Offer | SchoolRequest) -> mt.Location:
    given = row.coordinates_given
    return mt.Location(
        lat=row.lat if row.lat is not None else 0.0,
        lon=row.lon if row.lon is not None else 0.0,
        postcode=row.postcode,
        place=row.place,
        given_lat=row.lat if given else None,
        given_lon=row.lon if given else None,
    )


def _range(start: str | date, end: str | date) -> mt.DateRange:
    def as_date(value: str | date) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    return mt.DateRange(as_date(start), as_date(end))


def offer_input(offer: Offer, *, introductions_this_year: int = 0) -> mt.Offer:
    """The matcher's view of an offer row."""
    return mt.Offer(
        id=offer.exchange_id,
        organisation=offer.organisation.name,
        kinds=tuple(offer.kinds),
        location=_location(offer),
        sectors=tuple(offer.sectors or ()),
        themes=tuple(offer.themes or ()),
        target_groups=tuple(offer.target_groups or ()),
        where=tuple(offer.where) if offer.where else ("bij_bedrijf",),
        where_given=offer.where is not None,
        travel_km=offer.travel_km,
        capacity=offer.capacity,
        available=tuple(_range(r["from"], r["to"]) for r in offer.available or ()),
        description=offer.description or "",
        yearly_limit=offer.yearly_limit,
        introductions_this_year=introductions_this_year,
    )


def request_input(request: SchoolRequest) -> mt.Request:
    """The matcher's view of a school request row."""
    period = None
    if request.period_from is not None and request.period_to is not None:
        period = mt.DateRange(request.period_from, request.period_to)
    return mt.Request(
        id=request.exchange_id,
        school=request.school.name,
        kinds=tuple(request.kinds),
        target_group=request.target_group,
        location=_location(request),
        sectors=tuple(request.sectors or ()),
        themes=tuple(request.themes or ()),
        group_size=request.group_size,
        max_travel_km=request.max_travel_km,
        period=period,
        description=request.description or "",
    )
