"""Moderation of new organisations and offers: approve, reject with a reason, or merge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import (
    Contact,
    DuplicateFlag,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    User,
)
from onderwijsplatform.services import audit, suggestions
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed

PENDING = OrganisationStatus.PENDING_REVIEW


@dataclass(frozen=True)
class QueueEntry:
    """An organisation waiting for review, its pending offers and duplicate flags."""

    organisation: Organisation
    offers: list[Offer]
    flags: list[tuple[DuplicateFlag, Organisation]]


def get_organisation(actor: User, organisation_id: int) -> Organisation:
    """An organisation in the actor's region; raises NotFound otherwise."""
    return scope.get(actor, Organisation, organisation_id)


def queue(actor: User) -> list[QueueEntry]:
    """Organisations pending review, and active ones with pending offers, oldest first."""
    pending_offer_orgs = sa.select(Offer.organisation_id).where(
        Offer.status == OfferStatus.PENDING_REVIEW
    )
    query = (
        sa.select(Organisation)
        .where(
            sa.or_(
                Organisation.status == PENDING,
                sa.and_(
                    Organisation.status == OrganisationStatus.ACTIVE,
                    Organisation.id.in_(pending_offer_orgs),
                ),
            )
        )
        .order_by(Organisation.created_at, Organisation.id)
    )
    query = query.where(scope.visible(actor, Organisation))
    entries = []
    for organisation in db.session.scalars(query):
        offers = db.session.scalars(
            sa.select(Offer)
            .where(Offer.organisation_id == organisation.id)
            .where(Offer.status == OfferStatus.PENDING_REVIEW)
            .order_by(Offer.id)
        ).all()
        flags = db.session.execute(
            sa.select(DuplicateFlag, Organisation)
            .join(Organisation, Organisation.id == DuplicateFlag.other_id)
            .where(DuplicateFlag.organisation_id == organisation.id)
            .where(DuplicateFlag.resolved_at.is_(None))
            .order_by(DuplicateFlag.id)
        ).all()
        entries.append(
            QueueEntry(organisation, list(offers), [(flag, other) for flag, other in flags])
        )
    return entries


def merge_targets(actor: User, organisation: Organisation) -> list[Organisation]:
    """Active organisations of the same type and region it could be merged into."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.region_id == organisation.region_id,
                Organisation.type == organisation.type,
                Organisation.status == OrganisationStatus.ACTIVE,
                Organisation.id != organisation.id,
            )
            .order_by(Organisation.name)
        )
    )


def _resolve_flags(organisation: Organisation, now: datetime) -> None:
    db.session.execute(
        sa.update(DuplicateFlag)
        .where(DuplicateFlag.organisation_id == organisation.id)
        .where(DuplicateFlag.resolved_at.is_(None))
        .values(resolved_at=now)
        .execution_options(synchronize_session=False)
    )


def _activate_offers(organisation_id: int) -> int:
    offers = db.session.scalars(
        sa.select(Offer).where(
            Offer.organisation_id == organisation_id, Offer.status == OfferStatus.PENDING_REVIEW
        )
    ).all()
    for offer in offers:
        offer.status = OfferStatus.ACTIVE
    return len(offers)


def approve(actor: User, organisation_id: int, now: datetime) -> Organisation:
    """Organisation and its pending offers become active and are matched at once.

    Raises NotFound, or InvalidTransition when there is nothing to approve.
    """
    organisation = get_organisation(actor, organisation_id)
    if organisation.status not in (PENDING, OrganisationStatus.ACTIVE):
        raise InvalidTransition(organisation.status.value)
    count = _activate_offers(organisation.id)
    if organisation.status is OrganisationStatus.ACTIVE and count == 0:
        raise InvalidTransition("nothing pending")
    organisation.status = OrganisationStatus.ACTIVE
    _resolve_flags(organisation, now)
    db.session.flush()
    suggestions.on_offer_changed()
    audit.record(actor, "organisation.approve", organisation, {"offers": count}, now)
    return organisation


def reject(actor: User, organisation_id: int, reason: str, now: datetime) -> Organisation:
    """Reject a pending organisation (or its pending offers); the contact gets the reason.

    Raises NotFound or InvalidTransition.
    """
    organisation = get_organisation(actor, organisation_id)
    offers = db.session.scalars(
        sa.select(Offer).where(
            Offer.organisation_id == organisation.id, Offer.status == OfferStatus.PENDING_REVIEW
        )
    ).all()
    if organisation.status is not PENDING and not offers:
        raise InvalidTransition(organisation.status.value)
    for offer in offers:
        offer.status = OfferStatus.REJECTED
    if organisation.status is PENDING:
        organisation.status = OrganisationStatus.REJECTED
    _resolve_flags(organisation, now)
    db.session.flush()
    for contact in organisation.contacts:
        outbox.enqueue(
            "organisation_rejected",
            to=contact.email,
            context={"organisation": organisation, "contact": contact, "reason": reason},
            dedupe_key=f"moderation:{organisation.id}:rejected:{contact.id}:{now:%Y%m%d%H%M%S}",
            language=contact.language,
            now=now,
        )
    audit.record(actor, "organisation.reject", organisation, {"reason": reason}, now)
    return organisation


def merge(actor: User, organisation_id: int, into_id: int, now: datetime) -> Organisation:
    """Move offers and contacts into ``into_id``; the old one becomes MERGED.

    Moved offers that waited for review become active (staff judged the company known).
    Raises NotFound, ValidationFailed("into", ...) or InvalidTransition.
    """
    organisation = get_organisation(actor, organisation_id)
    if organisation.status is not PENDING:
        raise InvalidTransition(organisation.status.value)
    try:
        target = scope.get(actor, Organisation, into_id)
    except NotFound:
        raise ValidationFailed("into", "bad_target") from None
    if (
        target.id == organisation.id
        or target.region_id != organisation.region_id
        or target.type != organisation.type
        or target.status is not OrganisationStatus.ACTIVE
    ):
        raise ValidationFailed("into", "bad_target")
    moved_offers = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(Offer)
            .where(Offer.organisation_id == organisation.id)
            .values(organisation_id=target.id)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    moved_contacts = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(Contact)
            .where(Contact.organisation_id == organisation.id)
            .values(organisation_id=target.id)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    # The bulk UPDATEs bypassed the session: expire what it holds, so ``organisation`` (still
    # the same identity) and its offers and contacts reload on their next use.
    db.session.expire_all()
    organisation.status = OrganisationStatus.MERGED
    organisation.merged_into_id = target.id
    activated = _activate_offers(target.id)
    _resolve_flags(organisation, now)
    db.session.flush()
    if activated:
        suggestions.on_offer_changed()
    details = {"into": target.id, "offers": moved_offers, "contacts": moved_contacts}
    audit.record(actor, "organisation.merge", organisation, details, now)
    return organisation
