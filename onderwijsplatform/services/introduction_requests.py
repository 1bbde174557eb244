"""What a coordinator does with suggestions: ask for an introduction or dismiss one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    MatchSuggestion,
    Offer,
    SchoolRequest,
    SuggestionState,
    User,
    utcnow,
)
from onderwijsplatform.services import suggestions
from onderwijsplatform.services.errors import InvalidTransition

DISMISS_REASONS = ("te_ver", "doelgroep", "thema", "periode", "al_contact", "anders")


@dataclass(frozen=True)
class SuggestionFilter:
    """The filters of the suggestions page; None means no filter."""

    kind: str | None = None
    max_km: int | None = None


def visible(request: SchoolRequest, chosen: SuggestionFilter) -> list[MatchSuggestion]:
    """The request's open suggestions, best first, narrowed by kind and distance."""
    rows = suggestions.visible_for(request)
    if chosen.kind:
        rows = [row for row in rows if chosen.kind in (row.offer.kinds or [])]
    if chosen.max_km is not None:
        rows = [
            row for row in rows if row.distance_km is not None and row.distance_km <= chosen.max_km
        ]
    return rows


def get_suggestion(request: SchoolRequest, suggestion_id: int) -> MatchSuggestion:
    """One suggestion of this request; NotFound for a missing or foreign one."""
    return scope.load(MatchSuggestion, suggestion_id, MatchSuggestion.request_id == request.id)


def request_introduction(
    suggestion: MatchSuggestion, actor: User, message: str | None, *, now: datetime | None = None
) -> Introduction:
    """Ask staff to introduce the school to the offer's organisation.

    A second request for the same pair returns the existing introduction unchanged (also
    under a concurrent double click: the unique pair decides). Raises InvalidTransition when
    the suggestion was dismissed.
    """
    now = now or utcnow()
    if suggestion.state == SuggestionState.DISMISSED:
        raise InvalidTransition("a dismissed suggestion cannot be introduced")
    existing = _introduction(suggestion)
    if existing is None:
        intro = Introduction(
            request_id=suggestion.request_id,
            offer_id=suggestion.offer_id,
            state=IntroductionState.REQUESTED,
            requested_by_id=actor.id,
            message=message or None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(intro)
        except IntegrityError:
            existing = _introduction(suggestion)
            if existing is None:
                raise
        else:
            existing = intro
    suggestion.state = SuggestionState.INTRODUCTION_REQUESTED
    db.session.flush()
    return existing


def _introduction(suggestion: MatchSuggestion) -> Introduction | None:
    return db.session.scalar(
        sa.select(Introduction).where(
            Introduction.request_id == suggestion.request_id,
            Introduction.offer_id == suggestion.offer_id,
        )
    )


def dismiss(suggestion: MatchSuggestion, reason: str, note: str | None) -> MatchSuggestion:
    """Mark a suggestion as not suitable; the pair is never suggested again.

    Raises InvalidTransition when an introduction was already asked for, ValueError for an
    unknown reason.
    """
    if reason not in DISMISS_REASONS:
        raise ValueError(reason)
    if suggestion.state == SuggestionState.INTRODUCTION_REQUESTED:
        raise InvalidTransition("an introduction was already requested")
    suggestion.state = SuggestionState.DISMISSED
    suggestion.dismiss_reason = reason
    suggestion.dismiss_note = note or None
    db.session.flush()
    return suggestion


def for_school(school_id: int) -> list[Introduction]:
    """The school's introductions, newest first, with request and offer loaded."""
    return list(
        db.session.scalars(
            sa.select(Introduction)
            .join(SchoolRequest, SchoolRequest.id == Introduction.request_id)
            .where(SchoolRequest.school_id == school_id)
            .options(
                selectinload(Introduction.school_request),
                selectinload(Introduction.offer).selectinload(Offer.organisation),
            )
            .order_by(Introduction.id.desc())
        )
    )
