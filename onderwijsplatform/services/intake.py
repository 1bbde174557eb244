"""Company intake: store it unconfirmed, confirm it by link, expire what stays unconfirmed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from matching.geo import get_geocoder
from onderwijsplatform.extensions import db
from onderwijsplatform.identity import tokens
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox as outbox_service
from onderwijsplatform.models import (
    Contact,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Region,
    TokenPurpose,
)
from onderwijsplatform.services import duplicates, pool, regions, self_service
from onderwijsplatform.services.contributions import ContributionData, add_offer
from onderwijsplatform.services.errors import InvalidToken, ServiceError, ValidationFailed
from onderwijsplatform.services.jobs import job
from onderwijsplatform.services.organisations import delete_organisation

CONFIRM_LIFETIME = timedelta(days=7)
UNCONFIRMED_KEEP = timedelta(days=7)


class DuplicateSubmission(ServiceError):
    """The same filled-in form was posted again (double click, back button)."""


@dataclass
class IntakeData:
    """A whole validated intake; ``submission`` identifies this filled-in form."""

    org_name: str
    kvk_number: str | None
    website: str | None
    postcode: str
    place: str
    lat: float
    lon: float
    contact_name: str
    contact_role: str | None
    email: str
    phone: str | None
    language: str
    submission: str
    contributions: list[ContributionData] = field(default_factory=list)
    # The regions it chose to serve, the first one its home; empty: the intake region.
    region_codes: list[str] = field(default_factory=list)


def place_names() -> list[str]:
    """Place names the offline geocoder knows, for the form's suggestions."""
    return get_geocoder().place_names()


def chosen_regions(codes: list[str]) -> list[Region]:
    """The regions an intake chose, all open for intake; the intake region when none.

    Raises ValidationFailed("regions") for an unknown code or a region closed for intake.
    """
    if not codes:
        return [regions.default_region()]
    chosen = pool.regions_by_codes(codes)
    if any(not region.intake_open for region in chosen):
        raise ValidationFailed("regions", "a region is closed for intake")
    return chosen


def submit(data: IntakeData, *, now: datetime) -> Organisation:
    """Store the intake as UNCONFIRMED and queue the confirmation email.

    Raises DuplicateSubmission when this filled-in form was already stored (the caller
    must then roll back), and ValidationFailed("regions") for a region it may not choose.
    """
    digest = hashlib.sha256(data.submission.encode()).hexdigest()[:40]
    dedupe_key = f"intake-confirm:{digest}"
    if outbox_service._exists(dedupe_key):
        raise DuplicateSubmission()
    chosen = chosen_regions(data.region_codes)
    organisation = Organisation(
        region_id=chosen[0].id,
        type=OrganisationType.COMPANY,
        status=OrganisationStatus.UNCONFIRMED,
        name=data.org_name,
        kvk_number=data.kvk_number,
        website=data.website,
        postcode=data.postcode,
        place=data.place,
        lat=data.lat,
        lon=data.lon,
        created_at=now,
    )
    contact = Contact(
        name=data.contact_name,
        role=data.contact_role,
        email=data.email,
        phone=data.phone,
        language=data.language,
    )
    organisation.contacts.append(contact)
    for region in chosen:
        pool.join(organisation, region.id, now=now)
    db.session.add(organisation)
    db.session.flush()
    for item in data.contributions:
        add_offer(organisation, contact, item, status=OfferStatus.UNCONFIRMED, now=now)
    issued = tokens.issue(
        TokenPurpose.INTAKE_CONFIRM,
        lifetime=CONFIRM_LIFETIME,
        now=now,
        contact_id=contact.id,
        organisation_id=organisation.id,
    )
    row = outbox_service.enqueue(
        "intake_confirm",
        to=contact.email,
        context={
            "contact_name": contact.name,
            "organisation_name": organisation.name,
            "offers": len(data.contributions),
            "confirm_url": external_url("intake.confirm", token=issued.raw),
            "self_service_url": self_service.self_service_link(contact, now),
            "expires_days": CONFIRM_LIFETIME.days,
        },
        dedupe_key=dedupe_key,
        language=data.language,
        now=now,
    )
    if row is None:  # a concurrent post of the same form won the race
        raise DuplicateSubmission()
    duplicates.flag(organisation, email=contact.email, now=now)
    return organisation


def peek_confirmation(raw: str, *, now: datetime) -> Organisation:
    """The organisation a confirmation link is for, without using the link (GET).

    Raises InvalidToken for an unknown, used or expired link.
    """
    token = tokens.peek(TokenPurpose.INTAKE_CONFIRM, raw, now=now)
    organisation = db.session.get(Organisation, token.organisation_id)
    if organisation is None:
        raise InvalidToken()
    return organisation


def confirm(raw: str, *, now: datetime) -> Contact:
    """Use the link: the intake goes to the staff queue (PENDING_REVIEW).

    Returns the confirmed contact. Raises InvalidToken for an unknown, used or expired link.
    """
    token = tokens.consume(TokenPurpose.INTAKE_CONFIRM, raw, now=now)
    contact = db.session.get(Contact, token.contact_id)
    if contact is None:
        raise InvalidToken()
    organisation = contact.organisation
    contact.email_confirmed_at = contact.email_confirmed_at or now
    if organisation.status == OrganisationStatus.UNCONFIRMED:
        organisation.status = OrganisationStatus.PENDING_REVIEW
        organisation.confirmed_at = now
    db.session.execute(
        sa.update(Offer)
        .where(Offer.organisation_id == organisation.id, Offer.status == OfferStatus.UNCONFIRMED)
        .values(status=OfferStatus.PENDING_REVIEW)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return contact


@job("expire-intakes")
def expire_intakes(now: datetime) -> str:
    """Delete intakes that were not confirmed within 7 days."""
    stale = db.session.scalars(
        sa.select(Organisation.id).where(
            Organisation.status == OrganisationStatus.UNCONFIRMED,
            Organisation.created_at < now - UNCONFIRMED_KEEP,
        )
    ).all()
    for organisation_id in stale:
        delete_organisation(organisation_id)
    return f"{len(stale)} unconfirmed intakes deleted."
