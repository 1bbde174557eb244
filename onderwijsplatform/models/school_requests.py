"""School requests (hulpvragen), named so to stay clear of flask.request."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.organisations import Organisation
from onderwijsplatform.models.users import User


class RequestStatus(enum.Enum):
    """Only OPEN requests get suggestions."""

    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class SchoolRequest(TimestampMixin, Base):
    """What a school asks for, in the exchange format's terms."""

    __tablename__ = "school_request"
    __table_args__ = (
        sa.CheckConstraint("group_size IS NULL OR group_size > 0", name="group_size_positive"),
        sa.CheckConstraint(
            "max_travel_km IS NULL OR max_travel_km >= 0", name="max_travel_km_not_negative"
        ),
        sa.CheckConstraint(
            "period_from IS NULL OR period_to IS NULL OR period_from <= period_to",
            name="period_ordered",
        ),
        sa.CheckConstraint(
            "(period_from IS NULL) = (period_to IS NULL)", name="period_complete_or_empty"
        ),
        sa.Index("ix_school_request_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.OPEN)
    school_year: Mapped[str | None] = mapped_column(sa.String(9))
    kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    target_group: Mapped[str] = mapped_column(sa.String(20))
    group_size: Mapped[int | None]
    max_travel_km: Mapped[float | None]
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    place: Mapped[str | None] = mapped_column(sa.String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # True when lat/lon came from the source itself, not from geocoding the postcode/place.
    coordinates_given: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    school: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def exchange_id(self) -> str:
        return self.external_id or f"r-{self.id}"

    def __repr__(self) -> str:
        return f"<SchoolRequest {self.id} {self.status.value}>"
