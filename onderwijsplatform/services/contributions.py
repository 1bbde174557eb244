"""A company's contribution as a form validated it, and copying it onto an offer."""

from __future__ import annotations

from dataclasses import dataclass

from onderwijsplatform.models import Offer


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
