"""The one bridge between database rows and the framework-free ``matching`` library."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from matching import MatchIndex
from matching import types as mt
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    Offer,
    Region,
    SchoolRequest,
    utcnow,
)
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import pool

# Introductions that count as "asked" for the fairness term.
COUNTED_STATES = (
    IntroductionState.REQUESTED,
    IntroductionState.APPROVED,
    IntroductionState.AGREED,
    IntroductionState.COMPLETED,
)


def _location(row: Offer | SchoolRequest) -> mt.Location:
    given = row.coordinates_given
    return mt.Location(
        lat=row.lat if row.lat is not None else 0.0,
        lon=row.lon if row.lon is not None else 0.0,
        postcode=row.postcode,
        place=row.place,
        given_lat=row.lat if given else None,
        given_lon=row.lon if given else None,
    )


def _range(start: str | date, end: str | date) -> mt.DateRange:
    def as_date(value: str | date) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    return mt.DateRange(as_date(start), as_date(end))


def offer_input(
    offer: Offer, *, introductions_this_year: int = 0, regions: tuple[str, ...] = ()
) -> mt.Offer:
    """The matcher's view of an offer row; ``regions``: the codes of the regions it is live in."""
    return mt.Offer(
        id=offer.exchange_id,
        organisation=offer.organisation.name,
        kinds=tuple(offer.kinds),
        location=_location(offer),
        sectors=tuple(offer.sectors or ()),
        themes=tuple(offer.themes or ()),
        target_groups=tuple(offer.target_groups or ()),
        where=tuple(offer.where) if offer.where else ("bij_bedrijf",),
        where_given=offer.where is not None,
        travel_km=offer.travel_km,
        capacity=offer.capacity,
        available=tuple(_range(r["from"], r["to"]) for r in offer.available or ()),
        description=offer.description or "",
        yearly_limit=offer.yearly_limit,
        introductions_this_year=introductions_this_year,
        regions=regions,
    )


def offer_inputs(rows: Sequence[Offer], counts: dict[int, int] | None = None) -> list[mt.Offer]:
    """The matcher's view of many offer rows, each with the regions it is live in."""
    codes = pool.approved_codes([row.id for row in rows])
    counts = counts or {}
    return [
        offer_input(
            row, introductions_this_year=counts.get(row.id, 0), regions=codes.get(row.id, ())
        )
        for row in rows
    ]


def request_input(request: SchoolRequest) -> mt.Request:
    """The matcher's view of a school request row."""
    period = None
    if request.period_from is not None and request.period_to is not None:
        period = mt.DateRange(request.period_from, request.period_to)
    return mt.Request(
        id=request.exchange_id,
        school=request.school.name,
        kinds=tuple(request.kinds),
        target_group=request.target_group,
        location=_location(request),
        sectors=tuple(request.sectors or ()),
        themes=tuple(request.themes or ()),
        group_size=request.group_size,
        max_travel_km=request.max_travel_km,
        period=period,
        description=request.description or "",
        region=request.school.region.code,
    )


# --- the per-process index over active offers --------------------------------------------


@dataclass
class _CachedIndex:
    fingerprint: tuple
    index: MatchIndex
    row_ids: dict[str, int]


_cache: dict[str, _CachedIndex] = {}
_lock = threading.Lock()


def _fingerprint() -> tuple:
    # Cheap: changes whenever an active offer or an introduction is added or edited.
    offers = db.session.execute(
        sa.select(sa.func.count(Offer.id), sa.func.max(Offer.updated_at)).where(
            pool.live_anywhere()
        )
    ).one()
    intros = db.session.execute(
        sa.select(sa.func.count(Introduction.id), sa.func.max(Introduction.updated_at))
    ).one()
    # Region names appear in the reasons ("buiten uw regio: Twente").
    names = db.session.execute(
        sa.select(sa.func.count(Region.id), sa.func.max(Region.updated_at))
    ).one()
    return (*offers, *intros, *names)


def _introductions_per_offer(year: str) -> dict[int, int]:
    """Introductions made this school year per offer: the fairness input."""
    start = int(year[:4])
    since = datetime(start, 8, 1, tzinfo=UTC)
    rows = db.session.execute(
        sa.select(Introduction.offer_id, sa.func.count(Introduction.id))
        .where(
            Introduction.created_at >= since,
            Introduction.state.in_(COUNTED_STATES),
        )
        .group_by(Introduction.offer_id)
    )
    return dict(rows.all())


def current_index(*, today: date | None = None) -> _CachedIndex:
    """The index over every active offer, rebuilt only when offers or introductions changed."""
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    year = school_year_of(today or utcnow().date())
    fingerprint = (year, *_fingerprint())
    cached = _cache.get(key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    with _lock:
        rows = db.session.scalars(
            sa.select(Offer).where(pool.live_anywhere()).options(selectinload(Offer.organisation))
        ).all()
        counts = _introductions_per_offer(year)
        inputs = offer_inputs(rows, counts)
        built = _CachedIndex(
            fingerprint=fingerprint,
            index=MatchIndex(inputs, region_names=pool.region_names()),
            row_ids={i.id: r.id for i, r in zip(inputs, rows, strict=True)},
        )
        _cache[key] = built
        return built


def forget_index() -> None:
    """Drop the cached index (tests, or after a bulk import in the same process)."""
    _cache.clear()


@dataclass(frozen=True)
class Ranked:
    """One ranked offer for a request, with reasons in both languages."""

    offer_id: int
    score: float
    rank: int
    reasons_nl: tuple[str, ...]
    reasons_en: tuple[str, ...]
    distance_km: float | None


def rank_requests(
    requests: Sequence[SchoolRequest], *, top: int, exclude: dict[int, set[int]] | None = None
) -> dict[int, list[Ranked]]:
    """Rank active offers for each request; ``exclude`` maps request id → offer ids to skip."""
    if not requests:
        return {}
    exclude = exclude or {}
    cached = current_index()
    inputs = [request_input(r) for r in requests]
    # Ask for extra so that skipping dismissed pairs still leaves ``top`` suggestions.
    extra = max((len(exclude.get(r.id, ())) for r in requests), default=0)
    dutch = cached.index.query_many(inputs, top=top + extra, lang="nl")
    english = cached.index.query_many(inputs, top=top + extra, lang="en")
    result: dict[int, list[Ranked]] = {}
    for request, nl, en in zip(requests, dutch, english, strict=True):
        skip = exclude.get(request.id, set())
        en_by_id = {m.offer_id: m for m in en}
        ranked: list[Ranked] = []
        for match in nl:
            offer_id = cached.row_ids[match.offer_id]
            if offer_id in skip:
                continue
            ranked.append(
                Ranked(
                    offer_id=offer_id,
                    score=match.score,
                    rank=len(ranked) + 1,
                    reasons_nl=match.reasons,
                    reasons_en=en_by_id[match.offer_id].reasons,
                    distance_km=match.distance_km,
                )
            )
            if len(ranked) == top:
                break
        result[request.id] = ranked
    return result
