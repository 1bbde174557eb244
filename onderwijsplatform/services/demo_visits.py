"""The demo visit programmes: a Techlab and a company in Assen with weekly slots."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from importlib import resources
from typing import Any

import sqlalchemy as sa

from matching.geo import get_geocoder
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Approval,
    Confirmation,
    Contact,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    ProgrammeStatus,
    Region,
    VisitProgramme,
    utcnow,
)
from onderwijsplatform.services import pool, visit_programmes
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services.errors import ValidationFailed

DEMO_FILE = "demo_visits.json"
# What a programme takes from the demo file as it is written there.
_COPIED = (
    "description",
    "kinds",
    "sectors",
    "themes",
    "target_groups",
    "address",
    "accessibility",
    "transport",
    "min_pupils",
    "max_pupils",
    "groups_at_once",
    "pupils_per_escort",
    "change_days",
    "cancel_days",
)


def _host(region: Region, spec: dict[str, Any]) -> Organisation:
    org = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.name == spec["name"]
        )
    )
    if org is None:
        point = get_geocoder().resolve(postcode=spec.get("postcode"), place=spec.get("place"))
        org = Organisation(
            region_id=region.id,
            type=OrganisationType(spec["type"]),
            status=OrganisationStatus.ACTIVE,
            name=spec["name"],
            postcode=spec.get("postcode"),
            place=spec.get("place") or point.place,
            lat=point.lat,
            lon=point.lon,
            confirmed_at=utcnow(),
        )
        pool.join(org, region.id, now=utcnow(), status=Approval.APPROVED)
        contact = spec["contact"]
        org.contacts.append(
            Contact(
                name=contact["name"],
                email=contact["email"],
                role=contact.get("role"),
                email_confirmed_at=utcnow(),
            )
        )
        db.session.add(org)
        db.session.flush()
    return org


def _programme(region: Region, spec: dict[str, Any]) -> VisitProgramme | None:
    host = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.name == spec["host"]
        )
    )
    exists = sa.select(VisitProgramme.id).where(
        VisitProgramme.region_id == region.id, VisitProgramme.title == spec["title"]
    )
    if host is None or db.session.scalar(exists) is not None:
        return None
    programme = VisitProgramme(
        region_id=region.id,
        host_id=host.id,
        contact_id=host.contacts[0].id if host.contacts else None,
        status=ProgrammeStatus.ACTIVE,
        title=spec["title"],
        confirmation=Confirmation(spec["confirmation"]),
        staff_hours=Decimal(spec["staff_hours"]),
        postcode=host.postcode,
        place=host.place,
        lat=host.lat,
        lon=host.lon,
        **{name: spec[name] for name in _COPIED if name in spec},
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def seed(result: Any) -> None:
    """Add the demo programmes that are missing, with their slots from today on."""
    data = json.loads(resources.files(__package__).joinpath(DEMO_FILE).read_text("utf-8"))
    region = db.session.scalar(sa.select(Region).where(Region.code == data["region"]))
    if region is None:
        return
    for spec in data["hosts"]:
        _host(region, spec)
    for spec in data["programmes"]:
        programme = _programme(region, spec)
        if programme is None:
            continue
        result.add("visit programmes")
        plan = spec["slots"]
        days = cal.plan_days(
            date.fromisoformat(plan["from"]), date.fromisoformat(plan["to"]), plan["weekdays"]
        )
        try:
            made = visit_programmes.add_slots(
                None,
                programme,
                days,
                time.fromisoformat(plan["start"]),
                time.fromisoformat(plan["end"]),
                utcnow(),
            )
        except ValidationFailed:  # every planned day already past: a programme without slots
            continue
        for _slot in made.created:
            result.add("visit slots")
