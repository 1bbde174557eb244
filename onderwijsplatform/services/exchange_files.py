"""Import and export of the exchange format (offers.json, requests.json) into the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matching import types as mt
from matching.exchange import ExchangeError, dump_offers, dump_requests
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Approval,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Region,
    RequestStatus,
    SchoolRequest,
    utcnow,
)
from onderwijsplatform.services import pool
from onderwijsplatform.services.matching import offer_inputs, request_input
from onderwijsplatform.services.regions import default_region

# The two kinds of row the exchange files carry: both have an ``id`` and an ``external_id``.
Exchanged = TypeVar("Exchanged", Offer, SchoolRequest)


class RegionNotFound(ValueError):
    """The region to import into cannot be chosen."""


def choose_region(code: str | None) -> Region:
    """The region named by ``code``; without one, the platform's default region."""
    if code is not None:
        region = db.session.scalar(sa.select(Region).where(Region.code == code))
        if region is None:
            raise RegionNotFound(f"region {code!r} does not exist")
        return region
    return default_region()


# Column sizes of the models; the exchange format itself sets no lengths.
LIMITS = {"id": 100, "organisation": 200, "school": 200, "place": 100, "themes": 100}


@dataclass
class ImportReport:
    """What an import created and updated."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def summary(self) -> str:
        if not self.counts:
            return "Nothing to import."
        return "Imported: " + ", ".join(f"{n} {what}" for what, n in sorted(self.counts.items()))


def _check_lengths(file: str, record_id: str, values: dict[str, Any]) -> None:
    for key, value in values.items():
        limit = LIMITS[key]
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if item is not None and len(item) > limit:
                raise ExchangeError(file, record_id, key, f"longer than {limit} characters")


def _organisations(kind: OrganisationType) -> dict[tuple[int | None, str], Organisation]:
    # A company is one record in the pool, whichever region it first came in by (key
    # region None); a school belongs to its own region.
    query = sa.select(Organisation).where(
        Organisation.type == kind, Organisation.status != OrganisationStatus.MERGED
    )
    school = kind is OrganisationType.SCHOOL
    return {
        (org.region_id if school else None, org.name.casefold()): org
        for org in db.session.scalars(query.order_by(Organisation.id))
    }


def _serves(organisation: Organisation, region: Region) -> None:
    # An import is a platform admin's act: the organisation is approved in the region.
    membership = pool.join(organisation, region.id, now=utcnow(), status=Approval.APPROVED)
    if membership.status is Approval.PENDING:
        membership.status, membership.decided_at = Approval.APPROVED, utcnow()


def _organisation_for(
    known: dict[tuple[int | None, str], Organisation],
    name: str,
    kind: OrganisationType,
    regions: list[Region],
    location: mt.Location,
    report: ImportReport,
) -> Organisation:
    key = (regions[0].id if kind is OrganisationType.SCHOOL else None, name.casefold())
    org = known.get(key)
    if org is None:
        org = Organisation(
            region=regions[0],
            type=kind,
            status=OrganisationStatus.ACTIVE,
            name=name,
            postcode=location.postcode,
            place=location.place,
            lat=location.lat,
            lon=location.lon,
            confirmed_at=utcnow(),
        )
        db.session.add(org)
        known[key] = org
        report.add("organisations created")
    for region in regions:
        _serves(org, region)
    return org


def _record_regions(
    record: Any, default: Region, file: str, found: dict[str, Region]
) -> list[Region]:
    """The regions a record names (``regions`` of an offer, ``region`` of a request)."""
    if isinstance(record, mt.Offer):
        field, codes = "regions", list(record.regions)
    else:
        field, codes = "region", [record.region] if record.region else []
    if not codes:
        return [default]
    for code in codes:
        if code not in found:
            region = db.session.scalar(sa.select(Region).where(Region.code == code))
            if region is None:
                raise ExchangeError(file, record.id, field, f"no region with code {code!r}")
            found[code] = region
    return [found[code] for code in codes]


def _location_columns(location: mt.Location) -> dict[str, Any]:
    return {
        "postcode": location.postcode,
        "place": location.place,
        "lat": location.lat,
        "lon": location.lon,
        "coordinates_given": location.given_lat is not None,
    }


def _existing(model: type[Exchanged], ids: Sequence[str], prefix: str) -> dict[str, Exchanged]:
    """Rows already holding these exchange ids, including app-made rows exported as "o-12"."""
    found: dict[str, Exchanged] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for row in db.session.scalars(sa.select(model).where(model.external_id.in_(chunk))):
            if row.external_id is not None:  # always: it matched one of ``chunk``
                found[row.external_id] = row
    own = {
        int(i[len(prefix) :]): i
        for i in ids
        if i not in found and i.startswith(prefix) and i[len(prefix) :].isdigit()
    }
    if own:
        rows = db.session.scalars(
            sa.select(model).where(model.id.in_(list(own)), model.external_id.is_(None))
        )
        for row in rows:
            found[own[row.id]] = row
    return found


def _upsert(
    records: list[Any],
    *,
    model: type[Exchanged],
    kind: OrganisationType,
    owner: str,
    new_status: Any,
    region: Region,
    file: str,
    report: ImportReport,
) -> Iterator[tuple[Any, list[Region], Organisation, Exchanged]]:
    """Check lengths and regions, then yield ``(record, regions, organisation, row)``.

    A record without region keys goes to ``region``; one that names an unknown region
    stops the import before anything is written (ExchangeError naming record and field).

    ``owner`` names the record's organisation key ("organisation" or "school"); the
    location columns are filled here, the caller fills the rest.
    """
    for record in records:
        _check_lengths(
            file,
            record.id,
            {
                "id": record.id,
                owner: getattr(record, owner),
                "place": record.location.place,
                "themes": record.themes,
            },
        )
    label = model.__tablename__.replace("school_", "")
    found: dict[str, Region] = {}
    chosen = [_record_regions(record, region, file, found) for record in records]
    known = _organisations(kind)
    existing = _existing(model, [r.id for r in records], "o-" if model is Offer else "r-")
    for record, regions in zip(records, chosen, strict=True):
        org = _organisation_for(
            known, getattr(record, owner), kind, regions, record.location, report
        )
        row = existing.get(record.id)
        if row is None:
            row = model(external_id=record.id, status=new_status)
            db.session.add(row)
            report.add(f"{label}s created")
        else:
            report.add(f"{label}s updated")
        for key, value in _location_columns(record.location).items():
            setattr(row, key, value)
        yield record, regions, org, row


def import_offers(
    offers: Iterable[mt.Offer], *, region: Region, file: str, report: ImportReport
) -> None:
    """Upsert offers by exchange id; new offers are active in ``region``."""
    for offer, regions, org, row in _upsert(
        list(offers),
        model=Offer,
        kind=OrganisationType.COMPANY,
        owner="organisation",
        new_status=OfferStatus.ACTIVE,
        region=region,
        file=file,
        report=report,
    ):
        row.organisation = org
        # Available in the regions the record names (else the import's region), approved.
        pool.set_offer_regions(row, [r.id for r in regions], now=utcnow(), approved=True)
        row.kinds = list(offer.kinds)
        row.sectors = list(offer.sectors)
        row.themes = list(offer.themes)
        row.target_groups = list(offer.target_groups)
        row.where = list(offer.where) if offer.where_given else None
        row.travel_km = offer.travel_km
        row.capacity = offer.capacity
        row.available = [
            {"from": r.start.isoformat(), "to": r.end.isoformat()} for r in offer.available
        ]
        row.description = offer.description


def import_requests(
    requests: Iterable[mt.Request], *, region: Region, file: str, report: ImportReport
) -> None:
    """Upsert requests by exchange id; new requests are open, for schools in ``region``."""
    for request, _regions, school, row in _upsert(
        list(requests),
        model=SchoolRequest,
        kind=OrganisationType.SCHOOL,
        owner="school",
        new_status=RequestStatus.OPEN,
        region=region,
        file=file,
        report=report,
    ):
        row.school = school
        row.kinds = list(request.kinds)
        row.sectors = list(request.sectors)
        row.themes = list(request.themes)
        row.target_group = request.target_group
        row.group_size = request.group_size
        row.max_travel_km = request.max_travel_km
        row.period_from = request.period.start if request.period else None
        row.period_to = request.period.end if request.period else None
        row.description = request.description


def export_offers(*, statuses: Sequence[OfferStatus] = (OfferStatus.ACTIVE,)) -> list[dict]:
    """Offers with one of ``statuses`` as exchange-format dicts, ordered by exchange id."""
    rows = db.session.scalars(
        sa.select(Offer).where(Offer.status.in_(statuses)).options(selectinload(Offer.organisation))
    ).all()
    return dump_offers(sorted(offer_inputs(rows), key=lambda o: o.id))


def offer_documents(rows: Iterable[Offer]) -> list[dict]:
    """These offers as exchange-format dicts, in the given order (public fields only)."""
    return dump_offers(offer_inputs(list(rows)))


def export_requests(*, statuses: Sequence[RequestStatus] = (RequestStatus.OPEN,)) -> list[dict]:
    """Requests with one of ``statuses`` as exchange-format dicts, ordered by exchange id."""
    rows = db.session.scalars(
        sa.select(SchoolRequest)
        .where(SchoolRequest.status.in_(statuses))
        .options(selectinload(SchoolRequest.school))
    ).all()
    return dump_requests(sorted((request_input(row) for row in rows), key=lambda r: r.id))
