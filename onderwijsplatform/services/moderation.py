"""Moderation of organisations and offers, per region: approve, reject with a reason, or merge.

A company of the pool may serve several regions; the staff of each region decide for
their own region only, so one approval never puts a company live in a region whose staff
have not seen it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import (
    Approval,
    Contact,
    DuplicateFlag,
    Offer,
    OfferRegion,
    OfferStatus,
    Organisation,
    OrganisationRegion,
    OrganisationStatus,
    Region,
    User,
)
from onderwijsplatform.services import audit, pool, regions, suggestions
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed

PENDING = OrganisationStatus.PENDING_REVIEW
DECIDED = (PENDING, OrganisationStatus.ACTIVE)


@dataclass(frozen=True, eq=False)
class QueueEntry:
    """An organisation waiting for one region's review, its pending offers there and flags."""

    organisation: Organisation
    region: Region
    offers: list[Offer]
    flags: list[tuple[DuplicateFlag, Organisation]]
    # False when the organisation is approved in this region and only offers wait.
    new_here: bool


def get_organisation(actor: User, organisation_id: int) -> Organisation:
    """An organisation that serves the actor's region; raises NotFound otherwise."""
    return scope.get(actor, Organisation, organisation_id)


def _pending_offers(organisation_id: int, region_id: int) -> list[OfferRegion]:
    return list(
        db.session.scalars(
            sa.select(OfferRegion)
            .join(Offer, Offer.id == OfferRegion.offer_id)
            .where(
                Offer.organisation_id == organisation_id,
                OfferRegion.region_id == region_id,
                OfferRegion.status == Approval.PENDING,
                Offer.status.in_(pool.DECIDABLE),
            )
            .order_by(Offer.id)
        )
    )


def queue(actor: User) -> list[QueueEntry]:
    """Per region the actor decides for: organisations new there, or with new offers there."""
    new_members = (
        sa.select(OrganisationRegion.organisation_id, OrganisationRegion.region_id)
        .join(Organisation, Organisation.id == OrganisationRegion.organisation_id)
        .where(OrganisationRegion.status == Approval.PENDING, Organisation.status.in_(DECIDED))
    )
    new_offers = (
        sa.select(Offer.organisation_id, OfferRegion.region_id)
        .join(OfferRegion, OfferRegion.offer_id == Offer.id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            OfferRegion.status == Approval.PENDING,
            Offer.status.in_(pool.DECIDABLE),
            Organisation.status == OrganisationStatus.ACTIVE,
        )
    )
    pairs = sa.union(new_members, new_offers).subquery()
    rows = db.session.execute(
        sa.select(Organisation, Region)
        .join(pairs, pairs.c.organisation_id == Organisation.id)
        .join(Region, Region.id == pairs.c.region_id)
        .where(scope.visible(actor, Region), scope.visible(actor, Organisation))
        .order_by(Organisation.created_at, Organisation.id, Region.name)
    ).all()
    entries = []
    for organisation, region in rows:
        offers = [row.offer for row in _pending_offers(organisation.id, region.id)]
        flags = db.session.execute(
            sa.select(DuplicateFlag, Organisation)
            .join(Organisation, Organisation.id == DuplicateFlag.other_id)
            .where(DuplicateFlag.organisation_id == organisation.id)
            .where(DuplicateFlag.resolved_at.is_(None))
            .order_by(DuplicateFlag.id)
        ).all()
        membership = _membership(organisation, region)
        entries.append(
            QueueEntry(
                organisation,
                region,
                offers,
                [(flag, other) for flag, other in flags],
                new_here=membership is not None and membership.status is Approval.PENDING,
            )
        )
    return entries


def _membership(organisation: Organisation, region: Region) -> OrganisationRegion | None:
    return next((m for m in organisation.memberships if m.region_id == region.id), None)


def merge_targets(actor: User, organisation: Organisation) -> list[Organisation]:
    """Active organisations of the same type it could be merged into.

    Those of the actor's region, and the likely duplicates found in any region: one
    company is one record, wherever it first signed up.
    """
    flagged = sa.select(DuplicateFlag.other_id).where(
        DuplicateFlag.organisation_id == organisation.id, DuplicateFlag.resolved_at.is_(None)
    )
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                sa.or_(scope.visible(actor, Organisation), Organisation.id.in_(flagged)),
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


def _approve_offers(organisation_id: int, region: Region, now: datetime) -> list[Offer]:
    rows = _pending_offers(organisation_id, region.id)
    for row in rows:
        row.status, row.decided_at = Approval.APPROVED, now
        offer = row.offer
        if offer.status is OfferStatus.PENDING_REVIEW:
            offer.status = OfferStatus.ACTIVE
        offer.updated_at = now  # the matcher's index notices the new region
    return [row.offer for row in rows]


def _tell_approved(
    organisation: Organisation, region: Region, offers: list[Offer], now: datetime
) -> None:
    # The company hears that it is live, and where schools now find it.
    for contact in organisation.contacts:
        outbox.enqueue(
            "organisation_approved",
            to=contact.email,
            context={
                "organisation": organisation,
                "contact": contact,
                "region": region,
                "offers": offers,
                "catalogue_url": external_url("regions.catalogue", code=region.code),
            },
            dedupe_key=(
                f"moderation:{organisation.id}:{region.id}:approved:{contact.id}:{now:%Y%m%d%H%M%S}"
            ),
            language=contact.language,
            now=now,
        )


def _deciding(actor: User, organisation_id: int, region_code: str | None):
    region = regions.for_admin(actor, region_code)
    organisation = get_organisation(actor, organisation_id)
    membership = _membership(organisation, region)
    if membership is None:
        raise NotFound()
    return organisation, region, membership


def approve(
    actor: User, organisation_id: int, now: datetime, region_code: str | None = None
) -> Organisation:
    """The organisation and its pending offers go live in the deciding region.

    The deciding region is the actor's own (a platform admin names it). Raises NotFound,
    or InvalidTransition when there is nothing to approve there.
    """
    organisation, region, membership = _deciding(actor, organisation_id, region_code)
    if organisation.status not in DECIDED:
        raise InvalidTransition(organisation.status.value)
    offers = _approve_offers(organisation.id, region, now)
    if membership.status is Approval.APPROVED and not offers:
        raise InvalidTransition("nothing pending")
    membership.status, membership.decided_at = Approval.APPROVED, now
    organisation.status = OrganisationStatus.ACTIVE
    _resolve_flags(organisation, now)
    db.session.flush()
    suggestions.on_offer_changed()
    _tell_approved(organisation, region, offers, now)
    details = {"offers": len(offers), "region": region.code}
    audit.record(actor, "organisation.approve", organisation, details, now, region_id=region.id)
    return organisation


def _still_wanted(offer: Offer) -> bool:
    return any(row.status is not Approval.REJECTED for row in offer.availability)


def reject(
    actor: User, organisation_id: int, reason: str, now: datetime, region_code: str | None = None
) -> Organisation:
    """Reject the organisation (or its pending offers) in the deciding region only.

    Elsewhere it keeps its standing; it is rejected as a whole when no region wants it.
    The contact gets the reason. Raises NotFound or InvalidTransition.
    """
    organisation, region, membership = _deciding(actor, organisation_id, region_code)
    rows = _pending_offers(organisation.id, region.id)
    if membership.status is not Approval.PENDING and not rows:
        raise InvalidTransition(organisation.status.value)
    for row in rows:
        row.status, row.decided_at = Approval.REJECTED, now
        offer = row.offer
        if offer.status is OfferStatus.PENDING_REVIEW and not _still_wanted(offer):
            offer.status = OfferStatus.REJECTED
        offer.updated_at = now
    if membership.status is Approval.PENDING:
        membership.status, membership.decided_at = Approval.REJECTED, now
    wanted = any(m.status is not Approval.REJECTED for m in organisation.memberships)
    if organisation.status is PENDING and not wanted:
        organisation.status = OrganisationStatus.REJECTED
    _resolve_flags(organisation, now)
    db.session.flush()
    suggestions.on_offer_changed()
    for contact in organisation.contacts:
        outbox.enqueue(
            "organisation_rejected",
            to=contact.email,
            context={
                "organisation": organisation,
                "contact": contact,
                "reason": reason,
                "region": region,
            },
            dedupe_key=(
                f"moderation:{organisation.id}:{region.id}:rejected:{contact.id}:{now:%Y%m%d%H%M%S}"
            ),
            language=contact.language,
            now=now,
        )
    details = {"reason": reason, "region": region.code}
    audit.record(actor, "organisation.reject", organisation, details, now, region_id=region.id)
    return organisation


def _move(model: Any, column: Any, source: int, target: int) -> int:
    result = db.session.execute(
        sa.update(model)
        .where(column == source)
        .values({column.key: target})
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount


def merge(
    actor: User, organisation_id: int, into_id: int, now: datetime, region_code: str | None = None
) -> Organisation:
    """Move offers and contacts into ``into_id``; the old one becomes MERGED.

    ``into_id`` is an active organisation of the deciding region or a flagged duplicate
    from any region. The target then serves every region the old record chose, and the
    moved offers that waited for the deciding region go live there (its staff judged the
    company known). Raises NotFound, ValidationFailed("into", ...) or InvalidTransition.
    """
    organisation, region, _membership_here = _deciding(actor, organisation_id, region_code)
    if organisation.status is not PENDING:
        raise InvalidTransition(organisation.status.value)
    if into_id not in {target.id for target in merge_targets(actor, organisation)}:
        raise ValidationFailed("into", "bad_target")
    target = scope.load(Organisation, into_id)
    chosen = {m.region_id: m.status for m in organisation.memberships}
    moved_offers = _move(Offer, Offer.organisation_id, organisation.id, target.id)
    moved_contacts = _move(Contact, Contact.organisation_id, organisation.id, target.id)
    # The bulk UPDATEs bypassed the session: expire what it holds, so ``organisation`` (still
    # the same identity) and its offers and contacts reload on their next use.
    db.session.expire_all()
    for region_id, status in chosen.items():
        membership = pool.join(target, region_id, now=now, status=status)
        if region_id == region.id and membership.status is not Approval.APPROVED:
            membership.status, membership.decided_at = Approval.APPROVED, now
    organisation.status = OrganisationStatus.MERGED
    organisation.merged_into_id = target.id
    activated = len(_approve_offers(target.id, region, now))
    _resolve_flags(organisation, now)
    db.session.flush()
    if activated:
        suggestions.on_offer_changed()
    details = {
        "into": target.id,
        "offers": moved_offers,
        "contacts": moved_contacts,
        "region": region.code,
    }
    audit.record(actor, "organisation.merge", organisation, details, now, region_id=region.id)
    return organisation
