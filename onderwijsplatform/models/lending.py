"""Material lending: lendable items (kits) with their components, loans and their shortages."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.organisations import Organisation
from onderwijsplatform.models.regions import Region
from onderwijsplatform.models.users import User


class LendingApproval(enum.Enum):
    """Who says yes to a reservation: nobody (automatic for the region's schools) or the owner."""

    AUTO = "auto"
    OWNER = "owner"


class Handover(enum.Enum):
    """How the sets reach the school."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


class LoanState(enum.Enum):
    """The states of a loan; see LOAN_TRANSITIONS."""

    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    OUT = "out"
    RETURNED_PARTLY = "returned_partly"
    RETURNED = "returned"
    LOST = "lost"
    CANCELLED = "cancelled"


L = LoanState
LOAN_TRANSITIONS: dict[LoanState, frozenset[LoanState]] = {
    L.REQUESTED: frozenset({L.APPROVED, L.DECLINED, L.CANCELLED}),
    L.APPROVED: frozenset({L.OUT, L.CANCELLED}),
    L.OUT: frozenset({L.RETURNED, L.RETURNED_PARTLY, L.LOST}),
    L.RETURNED_PARTLY: frozenset({L.RETURNED, L.LOST}),
    L.DECLINED: frozenset(),
    L.RETURNED: frozenset(),
    L.LOST: frozenset(),
    L.CANCELLED: frozenset(),
}

# A request holds its sets too: otherwise the owner could approve more than there is.
HOLDING = (L.REQUESTED, L.APPROVED, L.OUT, L.RETURNED_PARTLY)


class LendingDesk(Base):
    """A region's lending desk: its opening weekdays and the default rules of new items."""

    __tablename__ = "lending_desk"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="CASCADE"), unique=True
    )
    # Weekdays (0 = Monday) on which the desk is closed; holidays come from RegionHoliday.
    closed_weekdays: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [5, 6])
    loan_days: Mapped[int] = mapped_column(default=21)
    max_loan_days: Mapped[int] = mapped_column(default=42)
    lead_days: Mapped[int] = mapped_column(default=3)
    buffer_before: Mapped[int] = mapped_column(default=1)
    buffer_after: Mapped[int] = mapped_column(default=2)
    max_sets_per_school: Mapped[int] = mapped_column(default=2)


class LendingItem(TimestampMixin, Base):
    """What a school asks for: a kit or piece of equipment, in ``quantity`` identical sets.

    Lengths (``loan_days``, ``max_loan_days``) are calendar days; lead time and buffers are
    opening days of the region's lending desk.
    """

    __tablename__ = "lending_item"
    __table_args__ = (
        sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        sa.CheckConstraint("value_cents >= 0", name="value_not_negative"),
        sa.CheckConstraint("loan_days > 0 AND max_loan_days >= loan_days", name="loan_days_valid"),
        sa.CheckConstraint(
            "lead_days >= 0 AND buffer_before >= 0 AND buffer_after >= 0", name="days_not_negative"
        ),
        sa.CheckConstraint("max_sets_per_school > 0", name="max_sets_positive"),
        sa.CheckConstraint(
            "exchange_weekday IS NULL OR exchange_weekday BETWEEN 0 AND 6", name="weekday_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="CASCADE"), index=True
    )
    # A Technolab, school or company; None means the region itself lends it.
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    value_cents: Mapped[int] = mapped_column(default=0)
    quantity: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    loan_days: Mapped[int] = mapped_column(default=21)
    max_loan_days: Mapped[int] = mapped_column(default=42)
    lead_days: Mapped[int] = mapped_column(default=3)
    buffer_before: Mapped[int] = mapped_column(default=1)
    buffer_after: Mapped[int] = mapped_column(default=2)
    exchange_weekday: Mapped[int | None]
    max_sets_per_school: Mapped[int] = mapped_column(default=2)
    approval: Mapped[LendingApproval] = mapped_column(default=LendingApproval.AUTO)

    region: Mapped[Region] = relationship()
    owner: Mapped[Organisation | None] = relationship()
    components: Mapped[list[KitComponent]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="KitComponent.id"
    )

    def __repr__(self) -> str:
        return f"<LendingItem {self.id} {self.title!r}>"


class KitComponent(Base):
    """One part of a kit and how many of it each set holds; checked at check-out and in."""

    __tablename__ = "kit_component"
    __table_args__ = (sa.CheckConstraint("count > 0", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lending_item.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    count: Mapped[int] = mapped_column(default=1)

    item: Mapped[LendingItem] = relationship(back_populates="components")


class Loan(TimestampMixin, Base):
    """A reservation of sets of an item by a school, and the loan it becomes."""

    __tablename__ = "loan"
    __table_args__ = (
        sa.CheckConstraint("sets > 0", name="sets_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint(
            "sets_back IS NULL OR (sets_back >= 0 AND sets_back <= sets)", name="sets_back_range"
        ),
        sa.Index("ix_loan_item_state", "item_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lending_item.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    coordinator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    sets: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    state: Mapped[LoanState] = mapped_column(default=LoanState.REQUESTED)
    handover: Mapped[Handover] = mapped_column(default=Handover.PICKUP)
    note: Mapped[str] = mapped_column(sa.String(2000), default="")
    decline_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    decided_at: Mapped[datetime | None]
    out_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    # Complete sets that came back at check-in; the rest stay held until settled.
    sets_back: Mapped[int | None]
    reminded_at: Mapped[datetime | None]
    overdue_reminded_on: Mapped[date | None]

    item: Mapped[LendingItem] = relationship()
    school: Mapped[Organisation] = relationship()
    coordinator: Mapped[User | None] = relationship()
    shortages: Mapped[list[LoanShortage]] = relationship(
        back_populates="loan", cascade="all, delete-orphan", order_by="LoanShortage.id"
    )

    def can_become(self, new_state: LoanState) -> bool:
        return new_state in LOAN_TRANSITIONS[self.state]

    def __repr__(self) -> str:
        return f"<Loan {self.id} {self.state.value}>"


class LoanShortage(TimestampMixin, Base):
    """Components that came back missing or damaged; they stay on the loan until settled."""

    __tablename__ = "loan_shortage"
    __table_args__ = (
        sa.CheckConstraint("missing >= 0 AND damaged >= 0", name="counts_not_negative"),
        sa.CheckConstraint("missing + damaged > 0", name="something_short"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(sa.ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kit_component.id", ondelete="SET NULL")
    )
    # Kept by name too: the component may be renamed or removed from the kit later.
    component_name: Mapped[str] = mapped_column(sa.String(200))
    missing: Mapped[int] = mapped_column(default=0)
    damaged: Mapped[int] = mapped_column(default=0)
    settled_at: Mapped[datetime | None]

    loan: Mapped[Loan] = relationship(back_populates="shortages")
