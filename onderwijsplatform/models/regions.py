"""Regions: the STO region a school, company and staff member belongs to."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onderwijsplatform.models.base import Base, TimestampMixin


class Region(TimestampMixin, Base):
    """One STO region, with the hour rate it uses for co-financing."""

    __tablename__ = "region"
    __table_args__ = (sa.CheckConstraint("hour_rate_cents >= 0", name="hour_rate_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    hour_rate_cents: Mapped[int] = mapped_column(default=6000)
    contact_email: Mapped[str | None] = mapped_column(sa.String(320))

    def __repr__(self) -> str:
        return f"<Region {self.code}>"
