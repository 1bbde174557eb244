"""A company's contribution as a form validated it, and turning it into an offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Contact, Offer, OfferStatus, Organisation
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import pool


@dataclass
class ContributionData:
    """One contribution as the intake form validated it."""

    kinds: list[str]
    sectors: list[str]
    themes: list[str]
    target_groups: list[str]
    where: list[str]
    travel_km: int | None
    capacity: int | None
    yearly_limit: int | None
    available: list[dict[str, str]]
    description: str


def apply_contribution(offer: Offer, data: ContributionData) -> None:
    """Copy a contribution's values onto an offer."""
    offer.kinds = data.kinds
    offer.sectors = data.sectors
    offer.themes = data.themes
    offer.target_groups = data.target_groups
    offer.where = data.where or None
    offer.travel_km = float(data.travel_km) if data.travel_km is not None else None
    offer.capacity = data.capacity
    offer.yearly_limit = data.yearly_limit
    offer.available = data.available
    offer.description = data.description


def add_offer(
    organisation: Organisation,
    contact: Contact,
    data: ContributionData,
    *,
    status: OfferStatus,
    now: datetime,
) -> Offer:
    """A new offer of ``organisation`` at its address, for this school year (flush only).

    It is available in every region the organisation serves, each region's staff to approve.
    """
    offer = Offer(
        organisation_id=organisation.id,
        contact_id=contact.id,
        status=status,
        school_year=school_year_of(now.date()),
        postcode=organisation.postcode,
        place=organisation.place,
        lat=organisation.lat,
        lon=organisation.lon,
    )
    apply_contribution(offer, data)
    for region_id in pool.region_ids(organisation):
        pool.offer_in(offer, region_id, now=now)
    db.session.add(offer)
    db.session.flush()
    return offer
