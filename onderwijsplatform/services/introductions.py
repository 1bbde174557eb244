"""Staff work on introductions: approve exactly once, decline, propose, and move them on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    MatchSuggestion,
    Offer,
    Organisation,
    SchoolRequest,
    SuggestionState,
    User,
)
from onderwijsplatform.services import audit, intro_mail
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed

S = IntroductionState


class AlreadyDecided(InvalidTransition):
    """Someone else decided first; ``by`` names them for the message."""

    def __init__(self, state: IntroductionState, by: str) -> None:
        super().__init__(state.value)
        self.state = state
        self.by = by


def get(actor: User, introduction_id: int) -> Introduction:
    """One introduction the actor may see; raises NotFound for a foreign or missing id."""
    return scope.get(actor, Introduction, introduction_id)


@dataclass(frozen=True)
class QueueItem:
    """An introduction with the matcher's score and reasons for its pair, if any."""

    introduction: Introduction
    suggestion: MatchSuggestion | None


# The request, school, offer and company that every queue row shows, in a few queries.
_PAIR_LOADS = (
    selectinload(Introduction.school_request).selectinload(SchoolRequest.school),
    selectinload(Introduction.offer).selectinload(Offer.organisation),
)


def listing(actor: User, states: tuple[IntroductionState, ...]) -> list[QueueItem]:
    """Introductions in ``states`` in the actor's region, oldest first, with their scores."""
    intros = db.session.scalars(
        sa.select(Introduction)
        .where(Introduction.state.in_(states), scope.visible(actor, Introduction))
        .options(*_PAIR_LOADS)
        .order_by(Introduction.created_at, Introduction.id)
    ).all()
    pairs = {(i.request_id, i.offer_id) for i in intros}
    suggestions = {}
    if pairs:
        rows = db.session.scalars(
            sa.select(MatchSuggestion).where(
                sa.tuple_(MatchSuggestion.request_id, MatchSuggestion.offer_id).in_(list(pairs))
            )
        )
        suggestions = {(s.request_id, s.offer_id): s for s in rows}
    return [QueueItem(i, suggestions.get((i.request_id, i.offer_id))) for i in intros]


def needs_attention(actor: User) -> list[Introduction]:
    """Approved introductions that follow-up flagged, oldest flag first."""
    return list(
        db.session.scalars(
            sa.select(Introduction)
            .where(
                Introduction.needs_attention_since.is_not(None), scope.visible(actor, Introduction)
            )
            .where(Introduction.state == S.APPROVED)
            .options(*_PAIR_LOADS)
            .order_by(Introduction.needs_attention_since)
        )
    )


def _compare_and_set(intro_id: int, actor: User, now: datetime, **values) -> bool:
    done = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(Introduction)
            .where(Introduction.id == intro_id, Introduction.state == S.REQUESTED)
            .values(decided_by_id=actor.id, decided_at=now, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        ),
    )
    return done.rowcount == 1


def _refuse_decided(intro: Introduction) -> None:
    db.session.refresh(intro)
    by = intro.decided_by.name if intro.decided_by else "?"
    raise AlreadyDecided(intro.state, by)


def approve(actor: User, introduction_id: int, now: datetime) -> Introduction:
    """Approve a requested introduction and queue one email to each side, exactly once.

    A compare-and-set UPDATE makes the state change: of two staff clicking at once only
    one changes the row (REL-02). Raises NotFound, or AlreadyDecided for the other one.
    """
    intro = get(actor, introduction_id)
    if not _compare_and_set(intro.id, actor, now, state=S.APPROVED):
        _refuse_decided(intro)
    db.session.refresh(intro)
    intro_mail.introduction_made(intro, now)
    audit.record(actor, "introduction.approve", intro, {}, now)
    return intro


def decline(actor: User, introduction_id: int, reason: str, now: datetime) -> Introduction:
    """Decline a requested introduction; the coordinator gets the reason by email.

    Raises NotFound or AlreadyDecided.
    """
    intro = get(actor, introduction_id)
    if not _compare_and_set(intro.id, actor, now, state=S.DECLINED, decline_reason=reason):
        _refuse_decided(intro)
    db.session.refresh(intro)
    intro_mail.introduction_declined(intro, now)
    audit.record(actor, "introduction.decline", intro, {"reason": reason}, now)
    return intro


def propose(actor: User, suggestion_id: int, now: datetime) -> Introduction:
    """Staff put a stored suggestion in the queue as a requested introduction.

    Raises NotFound for a foreign suggestion, InvalidTransition when the pair exists.
    """
    suggestion = scope.get(actor, MatchSuggestion, suggestion_id)
    exists = db.session.scalar(
        sa.select(Introduction.id).where(
            Introduction.request_id == suggestion.request_id,
            Introduction.offer_id == suggestion.offer_id,
        )
    )
    if exists:
        raise InvalidTransition("exists")
    intro = Introduction(
        request_id=suggestion.request_id,
        offer_id=suggestion.offer_id,
        state=S.REQUESTED,
        requested_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    suggestion.state = SuggestionState.INTRODUCTION_REQUESTED
    db.session.add(intro)
    db.session.flush()
    audit.record(actor, "introduction.propose", intro, {}, now)
    return intro


def suggestions_for_proposal(actor: User, limit: int = 30) -> list[MatchSuggestion]:
    """The best open suggestions in the region that have no introduction yet."""
    taken = sa.select(Introduction.id).where(
        Introduction.request_id == MatchSuggestion.request_id,
        Introduction.offer_id == MatchSuggestion.offer_id,
    )
    query = (
        sa.select(MatchSuggestion)
        .join(SchoolRequest, SchoolRequest.id == MatchSuggestion.request_id)
        .join(Organisation, Organisation.id == SchoolRequest.school_id)
        .where(MatchSuggestion.state == SuggestionState.SUGGESTED, ~sa.exists(taken))
        .where(scope.visible(actor, Organisation))
        .options(
            selectinload(MatchSuggestion.school_request).selectinload(SchoolRequest.school),
            selectinload(MatchSuggestion.offer).selectinload(Offer.organisation),
        )
        .order_by(MatchSuggestion.score.desc(), MatchSuggestion.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def move(
    actor: User | None, intro: Introduction, new: IntroductionState, now: datetime
) -> Introduction:
    """Change the state along ALLOWED_TRANSITIONS; raises InvalidTransition otherwise."""
    if not intro.can_become(new):
        raise InvalidTransition(f"{intro.state.value} -> {new.value}")
    old = intro.state
    # Compare-and-set here too, so a stale page cannot move it from a state it left.
    done = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(Introduction)
            .where(Introduction.id == intro.id, Introduction.state == old)
            .values(state=new, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if done.rowcount != 1:
        raise InvalidTransition("changed meanwhile")
    db.session.refresh(intro)
    audit.record(actor, f"introduction.{new.value}", intro, {"from": old.value}, now)
    return intro


def record_answer(actor: User, introduction_id: int, side: str, now: datetime) -> Introduction:
    """Staff note that the company or the school answered; clears the attention flag."""
    intro = get(actor, introduction_id)
    if intro.state not in (S.APPROVED, S.AGREED):
        raise InvalidTransition(intro.state.value)
    if side == "company":
        intro.company_answered_at = intro.company_answered_at or now
    elif side == "school":
        intro.school_answered_at = intro.school_answered_at or now
    else:
        raise ValidationFailed("side", "unknown side")
    if intro.company_answered_at and intro.school_answered_at:
        intro.needs_attention_since = None
    db.session.flush()
    audit.record(actor, "introduction.answered", intro, {"side": side}, now)
    return intro


def earliest_agreed_date(now: datetime) -> date:
    """Today where the platform is: an agreed date lies ahead, never in the past."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return now.astimezone(zone).date()


def agree_date(actor: User, introduction_id: int, day: date, now: datetime) -> Introduction:
    """Set the agreed date (approved → agreed) and send both sides a calendar invitation.

    Raises ValidationFailed("day", "past") for a day before today: a calendar invitation
    for yesterday helps no one.
    """
    intro = get(actor, introduction_id)
    if not intro.can_become(S.AGREED):
        raise InvalidTransition(f"{intro.state.value} -> agreed")
    if day < earliest_agreed_date(now):
        raise ValidationFailed("day", "past")
    intro.agreed_date = day
    intro.needs_attention_since = None
    db.session.flush()
    move(actor, intro, S.AGREED, now)
    intro_mail.date_agreed(intro, now)
    return intro


def staff_move(
    actor: User, introduction_id: int, new: IntroductionState, now: datetime
) -> Introduction:
    """Staff mark no response, cancelled or completed; approval and decline have their own."""
    if new not in (S.NO_RESPONSE, S.CANCELLED, S.COMPLETED):
        raise InvalidTransition(new.value)
    return move(actor, get(actor, introduction_id), new, now)
