"""Introductions between a school and a company, with their allowed state changes."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.offers import Offer
from onderwijsplatform.models.school_requests import SchoolRequest
from onderwijsplatform.models.users import User


class IntroductionState(enum.Enum):
    """The states of an introduction; see ALLOWED_TRANSITIONS."""

    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    AGREED = "agreed"
    NO_RESPONSE = "no_response"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


ALLOWED_TRANSITIONS: dict[IntroductionState, frozenset[IntroductionState]] = {
    IntroductionState.REQUESTED: frozenset(
        {IntroductionState.APPROVED, IntroductionState.DECLINED}
    ),
    IntroductionState.APPROVED: frozenset(
        {IntroductionState.AGREED, IntroductionState.NO_RESPONSE, IntroductionState.CANCELLED}
    ),
    IntroductionState.AGREED: frozenset({IntroductionState.COMPLETED, IntroductionState.CANCELLED}),
    IntroductionState.DECLINED: frozenset(),
    IntroductionState.NO_RESPONSE: frozenset(),
    IntroductionState.CANCELLED: frozenset(),
    IntroductionState.COMPLETED: frozenset(),
}


class Introduction(TimestampMixin, Base):
    """A requested or made introduction of one request to one offer."""

    __tablename__ = "introduction"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "offer_id", name="uq_introduction_pair"),
        sa.CheckConstraint(
            "state = 'requested' OR decided_at IS NOT NULL", name="decided_when_not_requested"
        ),
        sa.CheckConstraint(
            "state NOT IN ('agreed', 'completed') OR agreed_date IS NOT NULL",
            name="agreed_has_date",
        ),
        sa.Index("ix_introduction_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_request.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    state: Mapped[IntroductionState] = mapped_column(default=IntroductionState.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    message: Mapped[str | None] = mapped_column(sa.String(2000))
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    agreed_date: Mapped[date | None]
    company_answered_at: Mapped[datetime | None]
    school_answered_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    needs_attention_since: Mapped[datetime | None]

    school_request: Mapped[SchoolRequest] = relationship()
    offer: Mapped[Offer] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def can_become(self, new_state: IntroductionState) -> bool:
        return new_state in ALLOWED_TRANSITIONS[self.state]
