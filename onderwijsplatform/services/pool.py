"""The one company pool: which regions an organisation serves, where its offers are available.

An organisation is one record wherever it works. It serves one or more regions
(``OrganisationRegion``), each offer is available in some of those
(``OfferRegion``), and each region's staff approve both for their own region. An offer
is live in a region when it is active and that region approved it there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Approval,
    Offer,
    OfferRegion,
    OfferStatus,
    Organisation,
    OrganisationRegion,
    OrganisationStatus,
    Region,
)
from onderwijsplatform.services.errors import ValidationFailed

# Offer states in which a region may still decide on the offer (not withdrawn or refused).
DECIDABLE = (
    OfferStatus.PENDING_REVIEW,
    OfferStatus.ACTIVE,
    OfferStatus.PAUSED,
    OfferStatus.NOT_THIS_YEAR,
)


def approval_of(status: OrganisationStatus | OfferStatus) -> Approval:
    """The approval a status already shows (imports, demo data, the migration's rule)."""
    if status in (OrganisationStatus.REJECTED, OfferStatus.REJECTED):
        return Approval.REJECTED
    if status in (
        OrganisationStatus.UNCONFIRMED,
        OrganisationStatus.PENDING_REVIEW,
        OfferStatus.UNCONFIRMED,
        OfferStatus.PENDING_REVIEW,
    ):
        return Approval.PENDING
    return Approval.APPROVED


def join(
    organisation: Organisation,
    region_id: int,
    *,
    now: datetime,
    status: Approval = Approval.PENDING,
) -> OrganisationRegion:
    """``organisation`` serves ``region_id`` (kept as it is when it did already)."""
    for membership in organisation.memberships:
        if membership.region_id == region_id:
            return membership
    membership = OrganisationRegion(
        region_id=region_id,
        status=status,
        created_at=now,
        decided_at=None if status is Approval.PENDING else now,
    )
    organisation.memberships.append(membership)
    return membership


def offer_in(
    offer: Offer, region_id: int, *, now: datetime, status: Approval = Approval.PENDING
) -> OfferRegion:
    """``offer`` is available in ``region_id`` (kept as it is when it was already)."""
    for row in offer.availability:
        if row.region_id == region_id:
            return row
    row = OfferRegion(
        region_id=region_id,
        status=status,
        created_at=now,
        decided_at=None if status is Approval.PENDING else now,
    )
    offer.availability.append(row)
    return row


def region_ids(organisation: Organisation) -> list[int]:
    """The regions ``organisation`` serves, home region first."""
    ids = [m.region_id for m in organisation.memberships]
    return sorted(ids, key=lambda rid: (rid != organisation.region_id, rid))


def approved_in(region_id: int) -> sa.ColumnElement[bool]:
    """Offers that ``region_id``'s staff approved for their region."""
    return Offer.id.in_(
        sa.select(OfferRegion.offer_id).where(
            OfferRegion.region_id == region_id, OfferRegion.status == Approval.APPROVED
        )
    )


def live_in(region_id: int) -> sa.ColumnElement[bool]:
    """Offers a region's schools and public pages see as its own: active and approved there."""
    return sa.and_(Offer.status == OfferStatus.ACTIVE, approved_in(region_id))


def live_anywhere() -> sa.ColumnElement[bool]:
    """Active offers approved in at least one region: what the matcher ranks."""
    return sa.and_(
        Offer.status == OfferStatus.ACTIVE,
        Offer.id.in_(
            sa.select(OfferRegion.offer_id).where(OfferRegion.status == Approval.APPROVED)
        ),
    )


def live_counts() -> dict[int, int]:
    """Region id → number of live offers there (one grouped query)."""
    rows = db.session.execute(
        sa.select(OfferRegion.region_id, sa.func.count(OfferRegion.offer_id))
        .join(Offer, Offer.id == OfferRegion.offer_id)
        .where(OfferRegion.status == Approval.APPROVED, Offer.status == OfferStatus.ACTIVE)
        .group_by(OfferRegion.region_id)
    )
    return dict(rows.all())


def approved_codes(offer_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Offer id → codes of the regions that approved it, for the matcher."""
    codes: dict[int, list[str]] = defaultdict(list)
    if not offer_ids:
        return {}
    rows = db.session.execute(
        sa.select(OfferRegion.offer_id, Region.code)
        .join(Region, Region.id == OfferRegion.region_id)
        .where(OfferRegion.status == Approval.APPROVED)
        .order_by(OfferRegion.offer_id, Region.code)
    )
    wanted = set(offer_ids)
    for offer_id, code in rows:
        if offer_id in wanted:
            codes[offer_id].append(code)
    return {offer_id: tuple(found) for offer_id, found in codes.items()}


def region_names() -> dict[str, str]:
    """Region code → name, for reasons that name another region."""
    return dict(db.session.execute(sa.select(Region.code, Region.name)).all())


def regions_by_codes(codes: Iterable[str], *, field: str = "regions") -> list[Region]:
    """The regions with these codes, in the order given; ValidationFailed names an unknown one."""
    wanted = list(dict.fromkeys(code.strip().lower() for code in codes if code.strip()))
    found = {
        r.code: r for r in db.session.scalars(sa.select(Region).where(Region.code.in_(wanted)))
    }
    for code in wanted:
        if code not in found:
            raise ValidationFailed(field, f"unknown region {code!r}")
    return [found[code] for code in wanted]


def set_regions(organisation: Organisation, wanted: Sequence[int], *, now: datetime) -> set[int]:
    """The company serves exactly ``wanted`` from now on; returns the regions it joined.

    A region it joins must approve it (and its offers there) first; a region it leaves
    no longer lists it or its offers. Raises ValidationFailed("regions") for an empty choice.
    """
    if not wanted:
        raise ValidationFailed("regions", "choose at least one region")
    keep = set(wanted)
    before = set(region_ids(organisation))
    for membership in list(organisation.memberships):
        if membership.region_id not in keep:
            organisation.memberships.remove(membership)
    added = keep - before
    for region_id in added:
        join(organisation, region_id, now=now)
    if organisation.region_id not in keep:
        organisation.region_id = next(rid for rid in wanted if rid in keep)
    offers = db.session.scalars(
        sa.select(Offer).where(Offer.organisation_id == organisation.id)
    ).all()
    for offer in offers:
        for row in list(offer.availability):
            if row.region_id not in keep:
                offer.availability.remove(row)
        for region_id in added:
            offer_in(offer, region_id, now=now)
        offer.updated_at = now  # the matcher's index notices the change
    db.session.flush()
    return added


def set_offer_regions(
    offer: Offer, wanted: Sequence[int], *, now: datetime, approved: bool = False
) -> None:
    """``offer`` is available in exactly ``wanted``, all among its organisation's regions.

    New regions wait for their staff unless ``approved``. Raises ValidationFailed("regions").
    """
    allowed = set(region_ids(offer.organisation))
    if not wanted or not set(wanted) <= allowed:
        raise ValidationFailed("regions", "choose regions the organisation serves")
    for row in list(offer.availability):
        if row.region_id not in wanted:
            offer.availability.remove(row)
    status = Approval.APPROVED if approved else Approval.PENDING
    for region_id in wanted:
        row = offer_in(offer, region_id, now=now, status=status)
        if approved and row.status is not Approval.APPROVED:
            row.status, row.decided_at = Approval.APPROVED, now
    offer.updated_at = now
    db.session.flush()
