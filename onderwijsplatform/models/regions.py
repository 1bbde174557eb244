"""Regions: the STO regions as tenants, with the settings and holiday weeks their admin keeps."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin


class HolidayZone(enum.Enum):
    """The school-holiday zone of the Netherlands a region lies in."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class Region(TimestampMixin, Base):
    """One STO region: its staff, settings and ledger belong to it."""

    __tablename__ = "region"
    __table_args__ = (sa.CheckConstraint("hour_rate_cents >= 0", name="hour_rate_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    hour_rate_cents: Mapped[int] = mapped_column(default=6000)
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_email: Mapped[str | None] = mapped_column(sa.String(320))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    holiday_zone: Mapped[HolidayZone | None]
    intake_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    introduction: Mapped[str | None] = mapped_column(sa.Text)

    holidays: Mapped[list[RegionHoliday]] = relationship(
        back_populates="region",
        cascade="all, delete-orphan",
        order_by="RegionHoliday.starts_on",
    )

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class RegionHoliday(Base):
    """A school holiday of a region: no visits or exchanges are planned in it."""

    __tablename__ = "region_holiday"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.UniqueConstraint("region_id", "starts_on", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    region: Mapped[Region] = relationship(back_populates="holidays")

    def __repr__(self) -> str:
        return f"<RegionHoliday {self.name} {self.starts_on}>"
