"""National totals: what every region holds and what took place, in figures only."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Introduction, Organisation, Outcome, SchoolRequest
from onderwijsplatform.school_years import school_year_bounds
from onderwijsplatform.services import regions
from onderwijsplatform.services.outcomes import in_period


@dataclass
class RegionTotals:
    """One region's figures for a school year; no names, no contact details."""

    code: str
    name: str
    active_offers: int = 0
    schools: int = 0
    open_requests: int = 0
    activities: int = 0
    pupils: int = 0
    hours: Decimal = field(default_factory=Decimal)
    materials_cents: int = 0
    value_cents: int = 0


@dataclass
class NationalTotals:
    """Every region's totals and their sum, for one school year."""

    year: str
    regions: list[RegionTotals]
    total: RegionTotals


def totals(year: str) -> NationalTotals:
    """Each region's figures and the national sum; an activity counts once, in its region.

    An activity belongs to the region of the school that asked for it (one outcome per
    introduction), so adding the regions up counts nothing twice. A few grouped queries,
    whatever the number of rows.
    """
    start, end = school_year_bounds(year)
    per_region = {
        row.region.id: RegionTotals(
            row.region.code, row.region.name, row.active_offers, row.schools, row.open_requests
        )
        for row in regions.listing()
    }
    # The value of an activity as ``Outcome.value_cents`` counts it, so that the regions'
    # own exports add up to these figures to the cent: hours (two decimals) × the rate the
    # outcome was given (its region's hour rate), truncated to whole cents, plus materials.
    # In hundredths of an hour the product is an exact integer on every database.
    hundredths = sa.cast(sa.func.round(Outcome.company_hours * 100), sa.BigInteger)
    value = hundredths * Outcome.hour_rate_cents // 100 + Outcome.materials_cents
    done = db.session.execute(
        sa.select(
            Organisation.region_id,
            sa.func.count(Outcome.id),
            sa.func.coalesce(sa.func.sum(Outcome.pupils), 0),
            sa.func.coalesce(sa.func.sum(Outcome.company_hours), 0),
            sa.func.coalesce(sa.func.sum(Outcome.materials_cents), 0),
            sa.func.coalesce(sa.func.sum(value), 0),
        )
        .join(Introduction, Introduction.id == Outcome.introduction_id)
        .join(SchoolRequest, SchoolRequest.id == Introduction.request_id)
        .join(Organisation, Organisation.id == SchoolRequest.school_id)
        .where(Outcome.took_place.is_(True), in_period(start, end))
        .group_by(Organisation.region_id)
    ).all()
    for region_id, count, pupils, hours, materials, cents in done:
        entry = per_region[region_id]
        entry.activities, entry.pupils = count, int(pupils or 0)
        entry.hours, entry.materials_cents = Decimal(hours), int(materials)
        entry.value_cents = int(cents)
    rows = sorted(per_region.values(), key=lambda r: r.name)
    total = RegionTotals("", "")
    for row in rows:
        total.active_offers += row.active_offers
        total.schools += row.schools
        total.open_requests += row.open_requests
        total.activities += row.activities
        total.pupils += row.pupils
        total.hours += row.hours
        total.materials_cents += row.materials_cents
        total.value_cents += row.value_cents
    return NationalTotals(year, rows, total)
