"""Self-service for company contacts by emailed link: offers, contact details, export, erasure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.identity import tokens
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox as outbox_service
from onderwijsplatform.models import (
    Contact,
    Introduction,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    OutboxEmail,
    Outcome,
    Token,
    TokenPurpose,
)
from onderwijsplatform.services import contributions, pool, suggestions
from onderwijsplatform.services.contributions import ContributionData, apply_contribution
from onderwijsplatform.services.errors import (
    InvalidToken,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from onderwijsplatform.services.organisations import delete_organisation

LINK_LIFETIME = timedelta(days=14)
ANONYMISED = "[verwijderd]"

# action → (statuses it may start from, status it leads to)
ACTIONS: dict[str, tuple[frozenset[OfferStatus], OfferStatus]] = {
    "pause": (frozenset({OfferStatus.ACTIVE}), OfferStatus.PAUSED),
    "not_this_year": (
        frozenset({OfferStatus.ACTIVE, OfferStatus.PAUSED}),
        OfferStatus.NOT_THIS_YEAR,
    ),
    # Only offers that staff approved before can be paused, so resuming skips no review.
    "resume": (frozenset({OfferStatus.PAUSED, OfferStatus.NOT_THIS_YEAR}), OfferStatus.ACTIVE),
    "withdraw": (
        frozenset(
            {
                OfferStatus.UNCONFIRMED,
                OfferStatus.PENDING_REVIEW,
                OfferStatus.ACTIVE,
                OfferStatus.PAUSED,
                OfferStatus.NOT_THIS_YEAR,
            }
        ),
        OfferStatus.WITHDRAWN,
    ),
}
EDITABLE = frozenset(ACTIONS["withdraw"][0])


def self_service_link(contact: Contact, now: datetime) -> str:
    """Issue a SELF_SERVICE link for ``contact`` and return its absolute URL (for emails).

    Older links stay valid until used or expired, so every email's link keeps working.
    """
    issued = tokens.issue(
        TokenPurpose.SELF_SERVICE,
        lifetime=LINK_LIFETIME,
        now=now,
        revoke_older=False,
        contact_id=contact.id,
        organisation_id=contact.organisation_id,
    )
    return external_url("self_service.open_link", token=issued.raw)


def peek_link(raw: str, *, now: datetime) -> Contact:
    """The contact a link is for, without using it (GET). Raises InvalidToken."""
    token = tokens.peek(TokenPurpose.SELF_SERVICE, raw, now=now)
    return _token_contact(token)


def use_link(raw: str, *, now: datetime) -> Contact:
    """Use the link once (POST); the view then starts the short session. Raises InvalidToken."""
    token = tokens.consume(TokenPurpose.SELF_SERVICE, raw, now=now)
    contact = _token_contact(token)
    # Opening a link from our email proves the address as much as the confirmation does.
    contact.email_confirmed_at = contact.email_confirmed_at or now
    return contact


def _token_contact(token: Token) -> Contact:
    contact = db.session.get(Contact, token.contact_id) if token.contact_id else None
    if contact is None or contact.email.endswith(".invalid"):
        raise InvalidToken()
    return contact


def request_link(email: str, *, now: datetime) -> int:
    """Email a fresh link to every company contact with ``email``; unknown addresses get none.

    Returns how many emails were queued; the view shows the same page either way. At most
    one email per contact per 10 minutes (the dedupe key), so the form cannot mail-bomb.
    """
    contacts = db.session.scalars(
        sa.select(Contact)
        .join(Organisation)
        .where(
            sa.func.lower(Contact.email) == email.lower(),
            Organisation.type != OrganisationType.SCHOOL,
            Organisation.status != OrganisationStatus.MERGED,
        )
        .order_by(Contact.id)
    ).all()
    queued = 0
    bucket = now.strftime("%Y%m%d%H") + str(now.minute // 10)
    for contact in contacts:
        key = f"self-service-link:{contact.id}:{bucket}"
        if outbox_service._exists(key):
            continue
        outbox_service.enqueue(
            "self_service_link",
            to=contact.email,
            context={
                "contact_name": contact.name,
                "organisation_name": contact.organisation.name,
                "self_service_url": self_service_link(contact, now),
                "valid_days": LINK_LIFETIME.days,
            },
            dedupe_key=key,
            language=contact.language,
            now=now,
        )
        queued += 1
    return queued


def contact_in(organisation_id: int, contact_id: int) -> Contact:
    """The session's contact, still of that organisation. Raises NotFound."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.organisation_id != organisation_id:
        raise NotFound()
    return contact


def offers_of(organisation_id: int) -> list[Offer]:
    """Every offer of the organisation, newest first."""
    return list(
        db.session.scalars(
            sa.select(Offer)
            .where(Offer.organisation_id == organisation_id)
            .order_by(Offer.id.desc())
        )
    )


def offer_of(organisation_id: int, offer_id: int) -> Offer:
    """One offer of the organisation; another organisation's offer is NotFound too."""
    return scope.load(Offer, offer_id, Offer.organisation_id == organisation_id)


def update_offer(
    organisation_id: int,
    offer_id: int,
    data: ContributionData,
    *,
    now: datetime,
    region_codes: list[str] | None = None,
) -> Offer:
    """Change an offer's contents (and, given ``region_codes``, the regions it is in).

    An ACTIVE offer stays active and is re-matched; a region it is newly in approves it
    first. Raises NotFound, InvalidTransition for a withdrawn or rejected offer, or
    ValidationFailed("regions") for a region the company does not serve.
    """
    offer = offer_of(organisation_id, offer_id)
    if offer.status not in EDITABLE:
        raise InvalidTransition(offer.status.value)
    apply_contribution(offer, data)
    if region_codes:
        chosen = pool.regions_by_codes(region_codes)
        pool.set_offer_regions(offer, [region.id for region in chosen], now=now)
    db.session.flush()
    if offer.status == OfferStatus.ACTIVE:
        suggestions.on_offer_changed()
    return offer


def add_offer(organisation_id: int, contact: Contact, data: ContributionData, *, now) -> Offer:
    """A new contribution; staff review it first (UNCONFIRMED while the intake is)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    unconfirmed = organisation.status == OrganisationStatus.UNCONFIRMED
    status = OfferStatus.UNCONFIRMED if unconfirmed else OfferStatus.PENDING_REVIEW
    return contributions.add_offer(organisation, contact, data, status=status, now=now)


def change_status(organisation_id: int, offer_id: int, action: str) -> Offer:
    """Pause, resume, withdraw or mark "niet dit schooljaar"; re-match if active before or after.

    Raises NotFound, or InvalidTransition for an unknown action or a status it cannot start from.
    """
    offer = offer_of(organisation_id, offer_id)
    if action not in ACTIONS:
        raise InvalidTransition(action)
    allowed, target = ACTIONS[action]
    if offer.status not in allowed:
        raise InvalidTransition(f"{offer.status.value} → {target.value}")
    was_active = offer.status == OfferStatus.ACTIVE
    offer.status = target
    db.session.flush()
    if was_active or target == OfferStatus.ACTIVE:
        suggestions.on_offer_changed()
    return offer


def set_regions(organisation_id: int, codes: list[str], *, now: datetime) -> set[int]:
    """The company serves the regions with ``codes`` from now on; returns the ones it joined.

    A region it joins must be open for intake, and its staff approve the company there
    first. Raises NotFound, or ValidationFailed("regions").
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    chosen = pool.regions_by_codes(codes)
    current = set(pool.region_ids(organisation))
    if any(region.id not in current and not region.intake_open for region in chosen):
        raise ValidationFailed("regions", "a region is closed for intake")
    added = pool.set_regions(organisation, [region.id for region in chosen], now=now)
    suggestions.on_offer_changed()
    return added


def update_contact(
    contact: Contact, *, name: str, role: str | None, phone: str | None, language: str
) -> Contact:
    """Rectify the contact's details (the address itself changes through staff)."""
    contact.name = name
    contact.role = role
    contact.phone = phone
    contact.language = language
    db.session.flush()
    return contact


def _has_history(organisation_id: int) -> bool:
    offer_ids = sa.select(Offer.id).where(Offer.organisation_id == organisation_id)
    count = sa.select(sa.func.count(Introduction.id)).where(Introduction.offer_id.in_(offer_ids))
    return db.session.execute(count).scalar_one() > 0


def export(organisation_id: int, contact: Contact) -> dict[str, Any]:
    """Everything held about the organisation and this contact (GDPR access and portability).

    Raises NotFound when the organisation no longer exists.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    offer_ids = [o.id for o in offers_of(organisation_id)]
    introductions = db.session.scalars(
        sa.select(Introduction)
        .where(Introduction.offer_id.in_(offer_ids))
        .order_by(Introduction.id)
    ).all()
    outcomes = db.session.scalars(
        sa.select(Outcome).where(Outcome.introduction_id.in_([i.id for i in introductions]))
    ).all()
    emails = db.session.scalars(
        sa.select(OutboxEmail).where(OutboxEmail.to_addr == contact.email).order_by(OutboxEmail.id)
    ).all()

    def when(value):
        return value.isoformat() if value else None

    return {
        "organisation": {
            "name": organisation.name,
            "kvk_number": organisation.kvk_number,
            "website": organisation.website,
            "postcode": organisation.postcode,
            "place": organisation.place,
            "status": organisation.status.value,
            "created_at": when(organisation.created_at),
            "confirmed_at": when(organisation.confirmed_at),
        },
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "phone": c.phone,
                "language": c.language,
                "email_confirmed_at": when(c.email_confirmed_at),
            }
            for c in organisation.contacts
        ],
        "offers": [
            {
                "id": o.id,
                "status": o.status.value,
                "school_year": o.school_year,
                "kinds": o.kinds,
                "sectors": o.sectors,
                "themes": o.themes,
                "target_groups": o.target_groups,
                "where": o.where,
                "travel_km": o.travel_km,
                "capacity": o.capacity,
                "yearly_limit": o.yearly_limit,
                "available": o.available,
                "description": o.description,
            }
            for o in offers_of(organisation_id)
        ],
        "introductions": [
            {
                "id": i.id,
                "offer_id": i.offer_id,
                "state": i.state.value,
                "agreed_date": when(i.agreed_date),
            }
            for i in introductions
        ],
        "outcomes": [
            {
                "introduction_id": o.introduction_id,
                "took_place": o.took_place,
                "pupils": o.pupils,
                "company_hours": str(o.company_hours),
                "comment_company": o.comment_company,
            }
            for o in outcomes
        ],
        "emails": [
            {"subject": e.subject, "created_at": when(e.created_at), "status": e.status.value}
            for e in emails
        ],
    }


def erase(organisation_id: int, *, now: datetime) -> bool:
    """Delete everything about the organisation; returns True when it was anonymised instead.

    Introductions and outcomes stay for the region's co-financing report: then every
    contact's personal data is overwritten and the offers are withdrawn.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    if not _has_history(organisation_id):
        delete_organisation(organisation_id)
        return False
    addresses = [c.email for c in organisation.contacts]
    db.session.execute(sa.delete(OutboxEmail).where(OutboxEmail.to_addr.in_(addresses)))
    db.session.execute(sa.delete(Token).where(Token.organisation_id == organisation_id))
    for contact in organisation.contacts:
        db.session.execute(sa.delete(Token).where(Token.contact_id == contact.id))
        contact.name = ANONYMISED
        contact.role = None
        contact.phone = None
        contact.email = f"verwijderd-{contact.id}@example.invalid"
        contact.unsubscribed_at = now
    was_active = False
    for offer in offers_of(organisation_id):
        was_active |= offer.status == OfferStatus.ACTIVE
        if offer.status != OfferStatus.REJECTED:
            offer.status = OfferStatus.WITHDRAWN
    db.session.flush()
    if was_active:
        suggestions.on_offer_changed()
    return True
