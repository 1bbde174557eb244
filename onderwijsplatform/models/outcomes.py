"""What took place after an introduction: the co-financing ledger entry."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.introductions import Introduction

# Plausibility of the figures of one activity (issue 16 item 8). Beyond the hard bound a
# figure is refused (a hybrid teacher one day a week for a school year is about 320
# hours; a loaned machine park a few ten thousand euros); above the review bound it
# counts, but the staff ledger marks it "controleren" until staff have checked it.
HOURS_MAX, HOURS_REVIEW = 1000, 80
MATERIALS_MAX_EUROS, MATERIALS_REVIEW_EUROS = 100_000, 5_000


class Outcome(TimestampMixin, Base):
    """One ledger line: hours × rate + materials, with who confirmed it."""

    __tablename__ = "outcome"
    __table_args__ = (
        sa.CheckConstraint("pupils IS NULL OR pupils >= 0", name="pupils_not_negative"),
        sa.CheckConstraint("company_hours >= 0", name="hours_not_negative"),
        sa.CheckConstraint("materials_cents >= 0", name="materials_not_negative"),
        sa.CheckConstraint("hour_rate_cents >= 0", name="rate_not_negative"),
        sa.CheckConstraint(
            "rating_company IS NULL OR rating_company BETWEEN 1 AND 5", name="rating_company_range"
        ),
        sa.CheckConstraint(
            "rating_school IS NULL OR rating_school BETWEEN 1 AND 5", name="rating_school_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("introduction.id", ondelete="CASCADE"), unique=True
    )
    took_place: Mapped[bool | None]
    activity_date: Mapped[datetime | None]
    pupils: Mapped[int | None]
    company_hours: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), default=Decimal("0"))
    hour_rate_cents: Mapped[int] = mapped_column(default=6000)
    materials_cents: Mapped[int] = mapped_column(default=0)
    rating_company: Mapped[int | None]
    rating_school: Mapped[int | None]
    comment_company: Mapped[str | None] = mapped_column(sa.String(2000))
    comment_school: Mapped[str | None] = mapped_column(sa.String(2000))
    company_confirmed_at: Mapped[datetime | None]
    school_confirmed_at: Mapped[datetime | None]
    corrected_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    corrected_at: Mapped[datetime | None]

    introduction: Mapped[Introduction] = relationship()

    @property
    def value_cents(self) -> int:
        """Co-financing value: hours × the region's rate, plus materials."""
        return int(self.company_hours * self.hour_rate_cents) + self.materials_cents

    @property
    def needs_review(self) -> bool:
        """Figures above the review bounds that no staff member has checked (corrected) yet."""
        high = (self.company_hours or 0) > HOURS_REVIEW or (
            self.materials_cents or 0
        ) > MATERIALS_REVIEW_EUROS * 100
        return high and self.corrected_at is None
