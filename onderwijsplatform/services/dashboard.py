"""Dashboard figures per school year: funnel, reach, co-financing, months, most-asked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    MatchSuggestion,
    Offer,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    SchoolRequest,
    User,
)
from onderwijsplatform.school_years import school_year_bounds
from onderwijsplatform.services import outcomes, pool


@dataclass
class Filters:
    """Optional narrowing of the dashboard; empty means everything."""

    kind: str | None = None
    profile: str | None = None
    school_id: int | None = None
    company_id: int | None = None


@dataclass
class Figures:
    """Everything the dashboard shows for one school year."""

    offers: int = 0
    requests: int = 0
    suggestions: int = 0
    funnel: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    pupils: int = 0
    hours: float = 0.0
    value_cents: int = 0
    per_month: list[tuple[str, int]] = field(default_factory=list)
    most_asked: list[tuple[str, int]] = field(default_factory=list)


def _in(day_column, start: date, end: date):
    return sa.and_(
        day_column >= datetime.combine(start, time(), tzinfo=UTC),
        day_column < datetime.combine(end, time(), tzinfo=UTC),
    )


def _matches(f: Filters, offer: Offer | None, request: SchoolRequest | None) -> bool:
    if f.kind and offer is not None and f.kind not in offer.kinds:
        return False
    if f.profile and request is not None and f.profile not in request.sectors:
        return False
    if f.school_id and request is not None and request.school_id != f.school_id:
        return False
    return not (f.company_id and offer is not None and offer.organisation_id != f.company_id)


def figures(actor: User, year: str, f: Filters) -> Figures:
    """Count what happened in the actor's region in ``year`` (filters applied in Python:
    a region holds hundreds of rows, not millions)."""
    start, end = school_year_bounds(year)
    result = Figures()
    live = pool.live_anywhere() if scope.sees_every_region(actor) else pool.live_in(actor.region_id)
    offers = db.session.scalars(sa.select(Offer).where(live, scope.visible(actor, Offer))).all()
    result.offers = sum(1 for o in offers if _matches(f, o, None))
    requests = db.session.scalars(
        sa.select(SchoolRequest)
        .where(_in(SchoolRequest.created_at, start, end))
        .where(scope.visible(actor, SchoolRequest))
    ).all()
    request_ids = {r.id for r in requests if _matches(f, None, r)}
    result.requests = len(request_ids)
    result.suggestions = sum(
        1
        for s in db.session.scalars(
            sa.select(MatchSuggestion).where(MatchSuggestion.request_id.in_(request_ids))
        )
        if _matches(f, s.offer, None)
    )
    intros = [
        i
        for i in db.session.scalars(
            sa.select(Introduction).where(Introduction.request_id.in_(request_ids))
        )
        if _matches(f, i.offer, i.school_request)
    ]
    states = Counter(i.state for i in intros)
    result.funnel = {s.value: states.get(s, 0) for s in IntroductionState}
    asked = Counter(i.offer.organisation.name for i in intros)
    result.most_asked = asked.most_common(10)
    months: Counter[str] = Counter()
    for o in outcomes.ledger(actor, start, end):
        intro = o.introduction
        if not o.took_place or not _matches(f, intro.offer, intro.school_request):
            continue
        result.completed += 1
        result.pupils += o.pupils or 0
        result.hours += float(o.company_hours)
        result.value_cents += o.value_cents
        if o.activity_date:
            months[o.activity_date.strftime("%Y-%m")] += 1
    result.per_month = _months(start, months)
    return result


def _months(start: date, counts: Counter[str]) -> list[tuple[str, int]]:
    out = []
    for n in range(12):
        year, month = start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1
        key = f"{year}-{month:02d}"
        out.append((key, counts.get(key, 0)))
    return out


def organisation_choices(actor: User, kind: OrganisationType) -> list[tuple[int, str]]:
    """(id, name) of the active schools or companies the actor may filter on, by name."""
    stmt = (
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.type == kind, Organisation.status == OrganisationStatus.ACTIVE)
        .where(scope.visible(actor, Organisation))
    )
    return [(row.id, row.name) for row in db.session.execute(stmt.order_by(Organisation.name))]
