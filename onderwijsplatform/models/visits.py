"""Visit booking: a host's programme, its time slots, and schools' bookings of them."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.organisations import Contact, Organisation
from onderwijsplatform.models.regions import Region
from onderwijsplatform.models.users import User


class ProgrammeStatus(enum.Enum):
    """Only ACTIVE programmes take bookings and show on public pages."""

    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class Confirmation(enum.Enum):
    """Whether a booking holds at once or waits for the host (or staff) to confirm it."""

    AUTOMATIC = "automatic"
    BY_HOST = "by_host"


class BookingState(enum.Enum):
    """The states of a booking; see BOOKING_TRANSITIONS."""

    PROVISIONAL = "provisional"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    TOOK_PLACE = "took_place"
    NO_SHOW = "no_show"


B = BookingState
BOOKING_TRANSITIONS: dict[BookingState, frozenset[BookingState]] = {
    B.PROVISIONAL: frozenset({B.CONFIRMED, B.DECLINED, B.CANCELLED}),
    B.CONFIRMED: frozenset({B.CANCELLED, B.TOOK_PLACE, B.NO_SHOW}),
    B.DECLINED: frozenset(),
    B.CANCELLED: frozenset(),
    B.TOOK_PLACE: frozenset(),
    B.NO_SHOW: frozenset(),
}
# The states that take places of a slot; a declined or cancelled booking frees them.
HOLDING_STATES = (B.PROVISIONAL, B.CONFIRMED, B.TOOK_PLACE, B.NO_SHOW)


class VisitProgramme(TimestampMixin, Base):
    """What a host (company, school or Technolab) offers classes to come and do, in a region."""

    __tablename__ = "visit_programme"
    __table_args__ = (
        sa.CheckConstraint("min_pupils >= 1", name="min_pupils_positive"),
        sa.CheckConstraint("max_pupils >= min_pupils", name="max_pupils_not_below_min"),
        sa.CheckConstraint("groups_at_once >= 1", name="groups_at_once_positive"),
        sa.CheckConstraint("change_days >= 0", name="change_days_not_negative"),
        sa.CheckConstraint("cancel_days >= 0", name="cancel_days_not_negative"),
        sa.CheckConstraint("staff_hours >= 0", name="staff_hours_not_negative"),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        sa.CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="RESTRICT"), index=True
    )
    host_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    # Who hears of new bookings; without one the region's address is used.
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id", ondelete="SET NULL"))
    status: Mapped[ProgrammeStatus] = mapped_column(default=ProgrammeStatus.DRAFT)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    place: Mapped[str | None] = mapped_column(sa.String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accessibility: Mapped[str | None] = mapped_column(sa.String(2000))
    transport: Mapped[str | None] = mapped_column(sa.String(2000))
    min_pupils: Mapped[int] = mapped_column(default=1)
    max_pupils: Mapped[int] = mapped_column(default=30)
    groups_at_once: Mapped[int] = mapped_column(default=1)
    # Target-group code → pupils per escort, e.g. {"po": 8}: a class of 24 needs 3 adults.
    pupils_per_escort: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    # Deadlines in school days before the visit (weekdays outside the region's holidays).
    change_days: Mapped[int] = mapped_column(default=5)
    cancel_days: Mapped[int] = mapped_column(default=5)
    confirmation: Mapped[Confirmation] = mapped_column(default=Confirmation.BY_HOST)
    # Hours the host's people give per visit: the ledger's in-kind hours.
    staff_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal("0"))
    # The host's own closed days: a list of {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}.
    closed: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)

    region: Mapped[Region] = relationship()
    host: Mapped[Organisation] = relationship()
    contact: Mapped[Contact | None] = relationship()
    slots: Mapped[list[VisitSlot]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="VisitSlot.starts_at"
    )

    def __repr__(self) -> str:
        return f"<VisitProgramme {self.id} {self.title!r}>"


class VisitSlot(Base):
    """One time block of a programme, with room for so many pupils in so many groups."""

    __tablename__ = "visit_slot"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity_pupils >= 1", name="capacity_pupils_positive"),
        sa.CheckConstraint("capacity_groups >= 1", name="capacity_groups_positive"),
        sa.UniqueConstraint("programme_id", "starts_at"),
        sa.Index("ix_visit_slot_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visit_programme.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity_pupils: Mapped[int]
    capacity_groups: Mapped[int]

    programme: Mapped[VisitProgramme] = relationship(back_populates="slots")

    def __repr__(self) -> str:
        return f"<VisitSlot {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"


class VisitBooking(TimestampMixin, Base):
    """One class of one school in one slot; cancelling it touches no other booking."""

    __tablename__ = "visit_booking"
    __table_args__ = (
        sa.CheckConstraint("pupils >= 1", name="pupils_positive"),
        sa.CheckConstraint("escorts >= 0", name="escorts_not_negative"),
        sa.CheckConstraint(
            "pupils_reached IS NULL OR pupils_reached >= 0", name="pupils_reached_not_negative"
        ),
        sa.CheckConstraint("host_hours IS NULL OR host_hours >= 0", name="host_hours_not_negative"),
        sa.Index("ix_visit_booking_slot_state", "slot_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("visit_slot.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    coordinator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    state: Mapped[BookingState] = mapped_column(default=BookingState.PROVISIONAL)
    target_group: Mapped[str] = mapped_column(sa.String(40))
    pupils: Mapped[int]
    escorts: Mapped[int] = mapped_column(default=0)
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(sa.String(2000))  # of a decline or cancellation
    cancelled_by: Mapped[str | None] = mapped_column(sa.String(10))  # "school" or "host"
    # Bumped with every change the calendar invitation must follow (ICS SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    # After the visit: who came and the host's hours (the ledger's hook, see services.visits).
    pupils_reached: Mapped[int | None]
    host_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    slot: Mapped[VisitSlot] = relationship()
    school: Mapped[Organisation] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])

    def can_become(self, new_state: BookingState) -> bool:
        return new_state in BOOKING_TRANSITIONS[self.state]

    def __repr__(self) -> str:
        return f"<VisitBooking {self.id} {self.state.value}>"
