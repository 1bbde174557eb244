"""Regions as tenants: create them, list them with their figures, keep their settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from matching.geo import GeoError, get_geocoder, haversine_km
from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    HolidayZone,
    Organisation,
    OrganisationType,
    Region,
    RegionHoliday,
    RequestStatus,
    Role,
    SchoolRequest,
    User,
)
from onderwijsplatform.services import audit, pool
from onderwijsplatform.services.errors import NotFound, ValidationFailed

# A region code is part of its URLs (/r/<code>/): lower-case letters, digits and dashes.
CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
SETTINGS = (
    "name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "hour_rate_cents",
    "holiday_zone",
    "intake_open",
    "introduction",
)


@dataclass(frozen=True)
class RegionFigures:
    """A region with what it holds: active offers, schools and open requests."""

    region: Region
    active_offers: int
    schools: int
    open_requests: int


def create(
    code: str, name: str, *, zone: HolidayZone | None = None, hour_rate_cents: int = 6000
) -> Region:
    """A new region. Raises ValidationFailed for a bad or taken code or an empty name."""
    code = code.strip().lower()
    name = " ".join(name.split())
    if not CODE.fullmatch(code):
        raise ValidationFailed("code", "use 1-40 lower-case letters, digits and dashes")
    if not name or len(name) > 200:
        raise ValidationFailed("name", "give a name of 1-200 characters")
    if db.session.scalar(sa.select(Region.id).where(Region.code == code)):
        raise ValidationFailed("code", f"region {code!r} exists already")
    region = Region(code=code, name=name, holiday_zone=zone, hour_rate_cents=hour_rate_cents)
    db.session.add(region)
    db.session.flush()
    return region


def add(actor: User, code: str, name: str, now: datetime) -> Region:
    """A platform admin adds a region (audited). Raises ValidationFailed("code"/"name")."""
    region = create(code, name)
    audit.record(actor, "region.create", region, {"code": region.code}, now, region_id=region.id)
    return region


def _counts(query: sa.Select[int, int]) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def listing() -> list[RegionFigures]:
    """Every region by code, with its counts (three grouped queries, whatever the size)."""
    offers = pool.live_counts()
    schools = _counts(
        sa.select(Organisation.region_id, sa.func.count(Organisation.id))
        .where(Organisation.type == OrganisationType.SCHOOL)
        .group_by(Organisation.region_id)
    )
    requests = _counts(
        sa.select(Organisation.region_id, sa.func.count(SchoolRequest.id))
        .join(SchoolRequest, SchoolRequest.school_id == Organisation.id)
        .where(SchoolRequest.status == RequestStatus.OPEN)
        .group_by(Organisation.region_id)
    )
    return [
        RegionFigures(r, offers.get(r.id, 0), schools.get(r.id, 0), requests.get(r.id, 0))
        for r in db.session.scalars(sa.select(Region).order_by(Region.code))
    ]


def for_admin(actor: User, code: str | None = None) -> Region:
    """The region whose settings ``actor`` keeps: their own, or ``code`` for a platform admin.

    Raises NotFound for a region the actor may not keep.
    """
    if code and actor.role is Role.ADMIN:
        return by_code(code)
    return scope.get(actor, Region, actor.region_id)


def default_region() -> Region:
    """The platform's default region: INTAKE_REGION_CODE, else the first one (made if none).

    Intakes that choose no region and exchange files without region keys go here.
    """
    code = current_app.config.get("INTAKE_REGION_CODE")
    query = sa.select(Region).order_by(Region.id).limit(1)
    if code:
        query = sa.select(Region).where(Region.code == code)
    region = db.session.scalar(query)
    if region is None:
        region = Region(code=code or "regio", name=current_app.config["REGION_NAME"])
        db.session.add(region)
        db.session.flush()
    return region


def by_code(code: str) -> Region:
    """The region with this code (as in its web addresses); NotFound otherwise."""
    found = db.session.scalar(sa.select(Region).where(Region.code == code.lower()))
    if found is None:
        raise NotFound()
    return found


def _centres() -> dict[int, tuple[float, float]]:
    # Where a region lies: the mean position of the organisations it holds.
    rows = db.session.execute(
        sa.select(
            Organisation.region_id, sa.func.avg(Organisation.lat), sa.func.avg(Organisation.lon)
        )
        .where(Organisation.lat.is_not(None), Organisation.lon.is_not(None))
        .group_by(Organisation.region_id)
    )
    return {rid: (float(lat), float(lon)) for rid, lat, lon in rows.all()}


def locate(near: str) -> tuple[float, float]:
    """A postcode or place name as (lat, lon); ValidationFailed("near") when it is unknown."""
    geocoder = get_geocoder()
    try:
        point = geocoder.postcode(near) if near[:4].isdigit() else geocoder.place(near)
    except (GeoError, ValueError):
        raise ValidationFailed("near", "no postcode or place by this name") from None
    return point.lat, point.lon


def nearest(near: str) -> Region:
    """The region that lies nearest to a postcode or place (by the centre of what it holds).

    Raises ValidationFailed("near") for an unknown place, NotFound when no region has any.
    """
    lat, lon = locate(near)
    centres = _centres()
    if not centres:
        raise NotFound()
    region_id = min(centres, key=lambda rid: haversine_km(lat, lon, *centres[rid]))
    return scope.load(Region, region_id)


def open_for_intake(near: Region | None = None) -> list[Region]:
    """Regions open for intake: ``near`` first, then the others nearest first, then by name."""
    found = list(
        db.session.scalars(sa.select(Region).where(Region.intake_open).order_by(Region.name))
    )
    centres = _centres()
    origin = centres.get(near.id) if near is not None else None

    def order(region: Region) -> tuple[int, float]:
        if near is not None and region.id == near.id:
            return (0, 0.0)
        centre = centres.get(region.id)
        if origin is None or centre is None:
            return (2, 0.0)
        return (1, haversine_km(origin[0], origin[1], centre[0], centre[1]))

    return sorted(found, key=order)


def choices_for(actor: User) -> list[Region]:
    """The regions ``actor`` may switch between on the settings page (admins: all)."""
    return list(
        db.session.scalars(
            sa.select(Region).where(scope.visible(actor, Region)).order_by(Region.name)
        )
    )


def update_settings(actor: User, region: Region, values: dict[str, Any], now: datetime) -> Region:
    """Store the region's settings and log what changed. Flushes."""
    changed = {}
    for name in SETTINGS:
        if getattr(region, name) != values[name]:
            changed[name] = _plain(values[name])
            setattr(region, name, values[name])
    db.session.flush()
    if changed:
        audit.record(actor, "region.settings", region, changed, now, region_id=region.id)
    return region


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, HolidayZone) else value


def add_holiday(
    actor: User, region: Region, name: str, starts_on: date, ends_on: date, now: datetime
) -> RegionHoliday:
    """Add a school holiday to the region. Raises ValidationFailed for a repeat or bad period."""
    if ends_on < starts_on:
        raise ValidationFailed("ends_on", "ends before it starts")
    exists = db.session.scalar(
        sa.select(RegionHoliday.id).where(
            RegionHoliday.region_id == region.id,
            RegionHoliday.starts_on == starts_on,
            RegionHoliday.name == name,
        )
    )
    if exists:
        raise ValidationFailed("name", "exists")
    holiday = RegionHoliday(region_id=region.id, name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(holiday)
    db.session.flush()
    audit.record(
        actor,
        "region.holiday_add",
        region,
        {"name": name, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
        now,
        region_id=region.id,
    )
    return holiday


def remove_holiday(actor: User, region: Region, holiday_id: int, now: datetime) -> None:
    """Remove one of the region's holidays; another region's is NotFound."""
    holiday = scope.load(RegionHoliday, holiday_id, RegionHoliday.region_id == region.id)
    details = {"name": holiday.name, "from": holiday.starts_on.isoformat()}
    db.session.delete(holiday)
    db.session.flush()
    audit.record(actor, "region.holiday_remove", region, details, now, region_id=region.id)
