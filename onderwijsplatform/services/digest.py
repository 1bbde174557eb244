"""The daily digest: at most one email a day per coordinator about new good suggestions."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from onderwijsplatform import labels
from onderwijsplatform.extensions import db
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import (
    MatchSuggestion,
    Offer,
    RequestStatus,
    Role,
    SchoolRequest,
    SuggestionState,
    User,
    utcnow,
)
from onderwijsplatform.services.jobs import job

MAX_PER_REQUEST = 5


def _local_day(moment: datetime) -> str:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return moment.astimezone(zone).date().isoformat()


def _due_coordinators(now: datetime) -> list[User]:
    users = db.session.scalars(
        sa.select(User)
        .where(
            User.role == Role.COORDINATOR,
            User.is_active.is_(True),
            User.digest_enabled.is_(True),
            User.password_hash.is_not(None),
        )
        .order_by(User.id)
    )
    today = _local_day(now)
    return [u for u in users if u.last_digest_at is None or _local_day(u.last_digest_at) != today]


def _new_suggestions(school_id: int) -> list[MatchSuggestion]:
    threshold = float(current_app.config.get("DIGEST_MIN_SCORE", 0.5))
    return list(
        db.session.scalars(
            sa.select(MatchSuggestion)
            .join(SchoolRequest, SchoolRequest.id == MatchSuggestion.request_id)
            .where(
                SchoolRequest.school_id == school_id,
                SchoolRequest.status == RequestStatus.OPEN,
                MatchSuggestion.state == SuggestionState.SUGGESTED,
                MatchSuggestion.notified_at.is_(None),
                MatchSuggestion.score >= threshold,
            )
            .options(
                selectinload(MatchSuggestion.offer).selectinload(Offer.organisation),
                selectinload(MatchSuggestion.school_request),
            )
            .order_by(MatchSuggestion.request_id, MatchSuggestion.score.desc())
        )
    )


def _groups(rows: list[MatchSuggestion], lang: str) -> list[dict]:
    by_request: dict[int, list[MatchSuggestion]] = defaultdict(list)
    for row in rows:
        by_request[row.request_id].append(row)
    groups = []
    for request_id, items in by_request.items():
        request = items[0].school_request
        kinds = labels.labels("kinds", request.kinds, lang)
        groups.append(
            {
                "title": kinds,
                "link": external_url("coordinator.suggestions", request_id=request_id),
                "items": [
                    {
                        "organisation": row.offer.organisation.name,
                        "place": row.offer.place,
                        "reasons": " · ".join(
                            (row.reasons_en if lang == "en" and row.reasons_en else row.reasons)
                            or []
                        ),
                    }
                    for row in items[:MAX_PER_REQUEST]
                ],
            }
        )
    return groups


def send_due(now: datetime | None = None) -> int:
    """Queue today's digest for every coordinator who has new good suggestions.

    Safe to run twice: a coordinator who had a digest today is skipped, and the dedupe key
    (per user per day) makes a repeated enqueue a no-op. Returns the number queued.
    """
    now = now or utcnow()
    day = _local_day(now)
    by_school: dict[int, list[User]] = defaultdict(list)
    for user in _due_coordinators(now):
        if user.school_id is not None:  # always: a coordinator has a school (a constraint)
            by_school[user.school_id].append(user)
    queued = 0
    for school_id, users in by_school.items():
        rows = _new_suggestions(school_id)
        if not rows:
            continue
        for user in users:
            row = outbox.enqueue(
                "digest",
                to=user.email,
                context={
                    "name": user.name,
                    "total": len(rows),
                    "groups": _groups(rows, user.language),
                    "unsubscribe_url": external_url("coordinator.profile"),
                },
                dedupe_key=f"digest:{user.id}:{day}",
                language=user.language,
                transactional=False,
                now=now,
            )
            user.last_digest_at = now
            queued += row is not None
        for suggestion in rows:
            suggestion.notified_at = now
    db.session.flush()
    return queued


@job("digest", help="Daily email to coordinators about new good suggestions.")
def digest_job(now: datetime) -> str:
    """Daily email to coordinators about new good suggestions."""
    return f"{send_due(now)} digest emails queued"
