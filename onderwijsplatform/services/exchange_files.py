"""Import and export of the exchange format (offers.json, requests.json) into the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matching import types as mt
from matching.exchange import ExchangeError, dump_offers, dump_requests
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
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
from onderwijsplatform.services.matching import offer_input, request_input


class RegionNotFound(ValueError):
    """The region to import into cannot be chosen."""


def choose_region(code: str | None, default_name: str) -> Region:
    """The region named by ``code``; without one, the only region (made if there is none)."""
    if code is not None:
        region = db.session.scalar(sa.select(Region).where(Region.code == code))
        if region is None:
            raise RegionNotFound(f"region {code!r} does not exist")
        return region
    regions = db.session.scalars(sa.select(Region).limit(2)).all()
    if len(regions) > 1:
        raise RegionNotFound("there are several regions: choose one with --region")
    if regions:
        return regions[0]
    region = Region(code="regio", name=default_name)
    db.session.add(region)
    db.session.flush()
    return region


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


def _organisations(region: Region, kind: OrganisationType) -> dict[str, Organisation]:
    rows = db.session.scalars(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.type == kind
        )
    )
    return {org.name.casefold(): org for org in rows}


def _organisation_for(
    known: dict[str, Organisation],
    name: str,
    kind: OrganisationType,
    region: Region,
    location: mt.Location,
    report: ImportReport,
) -> Organisation:
    org = known.get(name.casefold())
    if org is None:
        org = Organisation(
            region=region,
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
        known[name.casefold()] = org
        report.add("organisations created")
    return org


def _location_columns(location: mt.Location) -> dict[str, Any]:
    return {
        "postcode": location.postcode,
        "place": location.place,
        "lat": location.lat,
        "lon": location.lon,
        "coordinates_given": location.given_lat is not None,
    }


def _existing(
    model: type[Offer] | type[SchoolRequest], ids: Sequence[str], prefix: str
) -> dict[str, Any]:
    """Rows already holding these exchange ids, including app-made rows exported as "o-12"."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for row in db.session.scalars(sa.select(model).where(model.external_id.in_(chunk))):
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


def import_offers(
    offers: Iterable[mt.Offer], *, region: Region, file: str, report: ImportReport
) -> None:
    """Upsert offers by exchange id; new offers are active in ``region``."""
    offers = list(offers)
    for offer in offers:
        _check_lengths(
            file,
            offer.id,
            {
                "id": offer.id,
                "organisation": offer.organisation,
                "place": offer.location.place,
                "themes": offer.themes,
            },
        )
    known = _organisations(region, OrganisationType.COMPANY)
    existing = _existing(Offer, [o.id for o in offers], "o-")
    for offer in offers:
        org = _organisation_for(
            known, offer.organisation, OrganisationType.COMPANY, region, offer.location, report
        )
        row = existing.get(offer.id)
        if row is None:
            row = Offer(external_id=offer.id, status=OfferStatus.ACTIVE)
            db.session.add(row)
            report.add("offers created")
        else:
            report.add("offers updated")
        row.organisation = org
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
        for key, value in _location_columns(offer.location).items():
            setattr(row, key, value)


def import_requests(
    requests: Iterable[mt.Request], *, region: Region, file: str, report: ImportReport
) -> None:
    """Upsert requests by exchange id; new requests are open, for schools in ``region``."""
    requests = list(requests)
    for request in requests:
        _check_lengths(
            file,
            request.id,
            {
                "id": request.id,
                "school": request.school,
                "place": request.location.place,
                "themes": request.themes,
            },
        )
    known = _organisations(region, OrganisationType.SCHOOL)
    existing = _existing(SchoolRequest, [r.id for r in requests], "r-")
    for request in requests:
        school = _organisation_for(
            known, request.school, OrganisationType.SCHOOL, region, request.location, report
        )
        row = existing.get(request.id)
        if row is None:
            row = SchoolRequest(external_id=request.id, status=RequestStatus.OPEN)
            db.session.add(row)
            report.add("requests created")
        else:
            report.add("requests updated")
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
        for key, value in _location_columns(request.location).items():
            setattr(row, key, value)


def export_offers(*, statuses: Sequence[OfferStatus] = (OfferStatus.ACTIVE,)) -> list[dict]:
    """Offers with one of ``statuses`` as exchange-format dicts, ordered by exchange id."""
    rows = db.session.scalars(
        sa.select(Offer).where(Offer.status.in_(statuses)).options(selectinload(Offer.organisation))
    ).all()
    return dump_offers(sorted((offer_input(row) for row in rows), key=lambda o: o.id))


def export_requests(*, statuses: Sequence[RequestStatus] = (RequestStatus.OPEN,)) -> list[dict]:
    """Requests with one of ``statuses`` as exchange-format dicts, ordered by exchange id."""
    rows = db.session.scalars(
        sa.select(SchoolRequest)
        .where(SchoolRequest.status.in_(statuses))
        .options(selectinload(SchoolRequest.school))
    ).all()
    return dump_requests(sorted((request_input(row) for row in rows), key=lambda r: r.id))
