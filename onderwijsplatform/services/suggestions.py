"""Stored suggestions: recomputed when requests or offers change; a dismissal is final."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from matching import ALGORITHM_VERSION
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    MatchSuggestion,
    RequestStatus,
    SchoolRequest,
    SuggestionState,
)
from onderwijsplatform.services import matching


@dataclass
class RefreshReport:
    """Counts of one refresh."""

    requests: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0

    def summary(self) -> str:
        return (
            f"Suggestions for {self.requests} open requests: {self.created} new, "
            f"{self.updated} updated, {self.removed} no longer suggested."
        )


def refresh(requests: Sequence[SchoolRequest]) -> RefreshReport:
    """Recompute the stored suggestions of the open ones among ``requests``.

    Pairs the coordinator dismissed or asked an introduction for keep their row and
    state and are never suggested again; plain suggestions that fell out of the top
    are removed.
    """
    report = RefreshReport()
    open_requests = [r for r in requests if r.status == RequestStatus.OPEN]
    if not open_requests:
        return report
    report.requests = len(open_requests)
    ids = [r.id for r in open_requests]
    existing: dict[int, dict[int, MatchSuggestion]] = {i: {} for i in ids}
    for row in db.session.scalars(
        sa.select(MatchSuggestion).where(MatchSuggestion.request_id.in_(ids))
    ):
        existing[row.request_id][row.offer_id] = row
    settled = {
        request_id: {
            offer_id for offer_id, row in rows.items() if row.state != SuggestionState.SUGGESTED
        }
        for request_id, rows in existing.items()
    }
    config = current_app.config
    ranked = matching.rank_requests(open_requests, top=config["MATCHING_TOP"], exclude=settled)
    for request in open_requests:
        fresh = {
            r.offer_id: r for r in ranked[request.id] if r.score >= config["MATCHING_MIN_SCORE"]
        }
        for offer_id, row in existing[request.id].items():
            if row.state != SuggestionState.SUGGESTED:
                continue
            if offer_id not in fresh:
                db.session.delete(row)
                report.removed += 1
        for offer_id, result in fresh.items():
            suggestion = existing[request.id].get(offer_id)
            if suggestion is None:
                suggestion = MatchSuggestion(request_id=request.id, offer_id=offer_id)
                db.session.add(suggestion)
                report.created += 1
            else:
                report.updated += 1
            suggestion.score = round(result.score, 4)
            suggestion.rank = result.rank
            suggestion.reasons = list(result.reasons_nl)
            suggestion.reasons_en = list(result.reasons_en)
            suggestion.distance_km = result.distance_km
            suggestion.algorithm_version = ALGORITHM_VERSION
    db.session.flush()
    return report


def open_requests(*, region_id: int | None = None) -> list[SchoolRequest]:
    """Every open request (of one region), with its school loaded."""
    stmt = (
        sa.select(SchoolRequest)
        .where(SchoolRequest.status == RequestStatus.OPEN)
        .options(selectinload(SchoolRequest.school))
        .order_by(SchoolRequest.id)
    )
    requests = db.session.scalars(stmt).all()
    if region_id is not None:
        requests = [r for r in requests if r.school.region_id == region_id]
    return list(requests)


def refresh_all() -> RefreshReport:
    """Recompute suggestions for every open request (``flask matches rebuild``)."""
    matching.forget_index()
    return refresh(open_requests())


def on_offer_changed() -> RefreshReport:
    """An offer became active, changed or stopped: every open request may rank differently."""
    return refresh(open_requests())


def visible_for(request: SchoolRequest) -> list[MatchSuggestion]:
    """The suggestions a coordinator sees for ``request``, best first."""
    return list(
        db.session.scalars(
            sa.select(MatchSuggestion)
            .where(
                MatchSuggestion.request_id == request.id,
                MatchSuggestion.state == SuggestionState.SUGGESTED,
            )
            .options(selectinload(MatchSuggestion.offer))
            .order_by(MatchSuggestion.score.desc(), MatchSuggestion.rank)
        )
    )
