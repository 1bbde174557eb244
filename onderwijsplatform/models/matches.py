"""Stored suggestions: the matcher's ranked offers per request, with reasons."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.offers import Offer
from onderwijsplatform.models.school_requests import SchoolRequest


class SuggestionState(enum.Enum):
    """What the coordinator did with a suggestion."""

    SUGGESTED = "suggested"
    DISMISSED = "dismissed"
    INTRODUCTION_REQUESTED = "introduction_requested"


class MatchSuggestion(TimestampMixin, Base):
    """One offer suggested for one request; a dismissed pair is kept so it never returns."""

    __tablename__ = "match_suggestion"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "offer_id", name="uq_match_suggestion_pair"),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_request.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    rank: Mapped[int | None]
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    reasons_en: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    distance_km: Mapped[float | None]
    algorithm_version: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[SuggestionState] = mapped_column(default=SuggestionState.SUGGESTED)
    dismiss_reason: Mapped[str | None] = mapped_column(sa.String(40))
    dismiss_note: Mapped[str | None] = mapped_column(sa.String(1000))
    notified_at: Mapped[datetime | None]

    school_request: Mapped[SchoolRequest] = relationship()
    offer: Mapped[Offer] = relationship()
