"""The public catalogue of a region: its active offers, without any contact details."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from matching import vocabulary
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Offer,
    Organisation,
    OrganisationType,
    Region,
)
from onderwijsplatform.services import pool, regions
from onderwijsplatform.services.errors import ValidationFailed

PER_PAGE = 20
KM_PER_DEGREE = 111.2  # along a meridian; a longitude degree is this times cos(latitude)


@dataclass(frozen=True)
class Filters:
    """What a visitor narrows the catalogue to; every field optional, codes checked."""

    kind: str | None = None
    sector: str | None = None
    target_group: str | None = None
    online: bool = False
    near: str | None = None  # a postcode or place
    within_km: int = 25


@dataclass(frozen=True)
class RegionPage:
    """A region's public figures."""

    region: Region
    active_offers: int
    companies: int
    schools: int


def all_regions() -> list[Region]:
    """Every region by name, for the home page's list."""
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def _active(region_id: int) -> sa.Select[Offer]:
    return (
        sa.select(Offer)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(pool.live_in(region_id))
    )


def page_of(found: Region) -> RegionPage:
    """The figures a region's public page shows."""
    offers = _active(found.id).subquery()
    schools = sa.select(sa.func.count(Organisation.id)).where(
        Organisation.region_id == found.id, Organisation.type == OrganisationType.SCHOOL
    )
    return RegionPage(
        found,
        db.session.scalar(sa.select(sa.func.count()).select_from(offers)) or 0,
        db.session.scalar(sa.select(sa.func.count(sa.distinct(offers.c.organisation_id)))) or 0,
        db.session.scalar(schools) or 0,
    )


def _has_code(column: Any, code: str) -> sa.ColumnElement[bool]:
    # JSON lists of vocabulary codes: the code in quotes is in the list's text on SQLite
    # and PostgreSQL alike; codes are checked against the vocabulary first.
    return sa.cast(column, sa.Text).like(f'%"{code}"%')


def check(filters: Filters) -> None:
    """Raise ValidationFailed naming the first filter that is not a known value."""
    for field, name in (
        ("kind", "kinds"),
        ("sector", "sectors"),
        ("target_group", "target_groups"),
    ):
        value = getattr(filters, field)
        if value and value not in {term.code for term in vocabulary.VOCABULARIES[name]}:
            raise ValidationFailed(field, "not a code of this list")
    if not 1 <= filters.within_km <= 300:
        raise ValidationFailed("within_km", "a whole number from 1 to 300")
    if filters.near:
        regions.locate(filters.near)


def offers(found: Region, filters: Filters, page: int, *, per_page: int = PER_PAGE) -> Pagination:
    """One page of the region's active offers that meet ``filters``, by organisation name.

    Raises ValidationFailed for an unknown code, distance or place.
    """
    check(filters)
    query = _active(found.id)
    if filters.kind:
        query = query.where(_has_code(Offer.kinds, filters.kind))
    if filters.sector:
        query = query.where(_has_code(Offer.sectors, filters.sector))
    if filters.target_group:
        # An offer without target groups serves every group (the exchange format's rule).
        query = query.where(
            sa.or_(
                _has_code(Offer.target_groups, filters.target_group),
                sa.cast(Offer.target_groups, sa.Text).in_(["[]", "null"]),
            )
        )
    if filters.online:
        query = query.where(_has_code(Offer.where, "online"))
    if filters.near:
        lat, lon = regions.locate(filters.near)
        # A box around the point, of the asked distance on each side: cheap in SQL, and
        # the page says "about".
        dlat = filters.within_km / KM_PER_DEGREE
        dlon = filters.within_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        query = query.where(
            Offer.lat.between(lat - dlat, lat + dlat), Offer.lon.between(lon - dlon, lon + dlon)
        )
    query = query.order_by(Organisation.name, Offer.id)
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False, count=True)
