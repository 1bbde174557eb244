"""The demo regions (Assen, Groningen, Twente): invented organisations and people, real places."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import sqlalchemy as sa

from matching.geo import get_geocoder
from matching.vocabulary import DEFAULT_WHERE
from onderwijsplatform.extensions import db
from onderwijsplatform.identity.passwords import hash_password
from onderwijsplatform.models import (
    Approval,
    Contact,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Region,
    RequestStatus,
    Role,
    SchoolRequest,
    SchoolType,
    User,
    utcnow,
)
from onderwijsplatform.services import demo_lending, demo_visits, pool

DEMO_SCHOOL_YEAR = "2026-2027"
# Shown on the console by `make run`; never used outside the demo database.
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105


# One file per region; the first is the default region of a fresh demo platform.
DEMO_FILES = ("demo_region.json", "demo_groningen.json", "demo_twente.json")


def _load(name: str = DEMO_FILES[0]) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    return json.loads(text)


def _all() -> list[dict[str, Any]]:
    return [_load(name) for name in DEMO_FILES]


@dataclass
class SeedResult:
    """How many demo rows were created by this run (existing ones are left alone)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    def summary(self) -> str:
        if not self.created:
            return "Demo data already present: nothing added."
        parts = ", ".join(f"{count} {what}" for what, count in sorted(self.created.items()))
        return f"Demo data loaded: {parts}."


def database_is_empty() -> bool:
    """True when there is no organisation yet (a fresh database)."""
    return db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0


def _locate(postcode: str | None, place: str | None) -> dict[str, Any]:
    point = get_geocoder().resolve(postcode=postcode, place=place)
    return {"postcode": postcode, "place": place or point.place, "lat": point.lat, "lon": point.lon}


def _region(data: dict[str, Any], result: SeedResult) -> Region:
    spec = data["region"]
    region = db.session.scalar(sa.select(Region).where(Region.code == spec["code"]))
    if region is None:
        region = Region(
            code=spec["code"], name=spec["name"], contact_email=spec.get("contact_email")
        )
        db.session.add(region)
        db.session.flush()
        result.add("regions")
    return region


def _user(email: str, name: str, role: Role, region: Region, result: SeedResult, **extra) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            name=name,
            role=role,
            region_id=region.id,
            password_hash=hash_password(DEMO_PASSWORD),
            **extra,
        )
        db.session.add(user)
        db.session.flush()
        result.add("users")
    return user


def _organisation(
    region: Region, spec: dict[str, Any], kind: OrganisationType, result
) -> Organisation:
    org = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id,
            Organisation.type == kind,
            Organisation.name == spec["name"],
        )
    )
    if org is None:
        org = Organisation(
            region_id=region.id,
            type=kind,
            status=OrganisationStatus.ACTIVE,
            name=spec["name"],
            kvk_number=spec.get("kvk_number"),
            brin_code=spec.get("brin_code"),
            school_type=SchoolType(spec["school_type"]) if spec.get("school_type") else None,
            website=spec.get("website"),
            sectors=list(spec.get("sectors", [])),
            confirmed_at=utcnow(),
            **_locate(spec.get("postcode"), spec.get("place")),
        )
        pool.join(org, region.id, now=utcnow(), status=Approval.APPROVED)
        db.session.add(org)
        db.session.flush()
        result.add("organisations")
    return org


def _contact(org: Organisation, spec: dict[str, Any], result: SeedResult) -> Contact:
    contact = db.session.scalar(
        sa.select(Contact).where(Contact.organisation_id == org.id, Contact.email == spec["email"])
    )
    if contact is None:
        contact = Contact(
            organisation_id=org.id,
            name=spec["name"],
            role=spec.get("role"),
            email=spec["email"],
            phone=spec.get("phone"),
            email_confirmed_at=utcnow(),
        )
        db.session.add(contact)
        db.session.flush()
        result.add("contacts")
    return contact


def _offer(org: Organisation, contact: Contact, key: str, spec: dict[str, Any], result) -> None:
    if db.session.scalar(sa.select(Offer.id).where(Offer.external_id == key)) is not None:
        return
    offer = Offer(
        external_id=key,
        organisation_id=org.id,
        contact_id=contact.id,
        status=OfferStatus.ACTIVE,
        school_year=DEMO_SCHOOL_YEAR,
        kinds=spec["kinds"],
        sectors=spec.get("sectors", []),
        themes=spec.get("themes", []),
        target_groups=spec.get("target_groups", []),
        where=spec.get("where") or list(DEFAULT_WHERE),
        postcode=org.postcode,
        place=org.place,
        lat=org.lat,
        lon=org.lon,
        travel_km=_km(spec.get("travel_km")),
        capacity=spec.get("capacity"),
        yearly_limit=spec.get("yearly_limit"),
        available=spec.get("available", []),
        description=spec.get("description", ""),
    )
    for region_id in pool.region_ids(org):
        pool.offer_in(offer, region_id, now=utcnow(), status=Approval.APPROVED)
    db.session.add(offer)
    result.add("offers")


def _request(school: Organisation, user: User, key: str, spec: dict[str, Any], result) -> None:
    if db.session.scalar(sa.select(SchoolRequest.id).where(SchoolRequest.external_id == key)):
        return
    period = spec.get("period") or {}
    db.session.add(
        SchoolRequest(
            external_id=key,
            school_id=school.id,
            created_by_id=user.id,
            status=RequestStatus.OPEN,
            school_year=DEMO_SCHOOL_YEAR,
            kinds=spec["kinds"],
            sectors=spec.get("sectors", []),
            themes=spec.get("themes", []),
            target_group=spec["target_group"],
            group_size=spec.get("group_size"),
            max_travel_km=spec.get("max_travel_km"),
            period_from=_date(period.get("from")),
            period_to=_date(period.get("to")),
            postcode=school.postcode,
            place=school.place,
            lat=school.lat,
            lon=school.lon,
            description=spec.get("description", ""),
        )
    )
    result.add("requests")


def _km(value: float | None) -> float | None:
    # The column is a float; the demo file writes whole kilometres as integers.
    return float(value) if value is not None else None


def _date(value: str | None):
    from datetime import date

    return date.fromisoformat(value) if value else None


def _seed_region(data: dict[str, Any], result: SeedResult) -> None:
    region = _region(data, result)
    for spec in data["staff"]:
        _user(spec["email"], spec["name"], Role(spec.get("role", "staff")), region, result)
    for company in data["companies"]:
        org = _organisation(region, company, OrganisationType.COMPANY, result)
        contact = _contact(org, company["contact"], result)
        for number, offer in enumerate(company["offers"], start=1):
            _offer(org, contact, f"demo-{company['key']}-{number}", offer, result)
    for spec in data["schools"]:
        school = _organisation(region, spec, OrganisationType.SCHOOL, result)
        coordinator = spec["coordinator"]
        user = _user(
            coordinator["email"],
            coordinator["name"],
            Role.COORDINATOR,
            region,
            result,
            school_id=school.id,
            phone=coordinator.get("phone"),
        )
        for number, request in enumerate(spec["requests"], start=1):
            _request(school, user, f"demo-{spec['key']}-{number}", request, result)


def _share(data: dict[str, Any], result: SeedResult) -> None:
    """Companies of the pool that also serve another region (``also_serves``)."""
    home = _region(data, result)
    for company in data["companies"]:
        for code in company.get("also_serves", []):
            region = db.session.scalar(sa.select(Region).where(Region.code == code))
            org = _organisation(home, company, OrganisationType.COMPANY, result)
            if region is None or region.id in pool.region_ids(org):
                continue
            pool.join(org, region.id, now=utcnow(), status=Approval.APPROVED)
            offers = db.session.scalars(sa.select(Offer).where(Offer.organisation_id == org.id))
            for offer in offers:
                pool.offer_in(offer, region.id, now=utcnow(), status=Approval.APPROVED)
            result.add("shared companies")


def seed() -> SeedResult:
    """Create whatever part of the demo regions is missing; never duplicates, never commits."""
    result = SeedResult()
    regions = _all()
    for data in regions:
        _seed_region(data, result)
    db.session.flush()
    for data in regions:
        _share(data, result)
    demo_lending.seed(result)
    db.session.flush()
    demo_visits.seed(result)
    db.session.flush()
    return result


def staff_without_second_factor() -> list[User]:
    """Demo staff users who still have to enrol an authenticator app."""
    emails = [s["email"] for data in _all() for s in data["staff"]]
    return list(
        db.session.scalars(
            sa.select(User).where(User.email.in_(emails), User.totp_secret.is_(None))
        )
    )


def login_lines() -> list[str]:
    """Console lines with the demo accounts that exist in this database."""
    wanted = [
        email
        for data in _all()
        for email in [s["email"] for s in data["staff"]]
        + [s["coordinator"]["email"] for s in data["schools"]]
    ]
    users = db.session.scalars(sa.select(User).where(User.email.in_(wanted))).all()
    if not users:
        return []
    lines = [f"Demo logins (coordinators' password: {DEMO_PASSWORD}):"]
    for user in sorted(users, key=lambda u: (u.role.value != "staff", u.email)):
        school = f" ({user.school.name})" if user.school else ""
        lines.append(f"  {user.role.value:<11} {user.region.code:<10} {user.email}{school}")
    return lines
