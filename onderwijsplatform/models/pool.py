"""The company pool: each region's approval, and the regions an organisation serves."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, utcnow
from onderwijsplatform.models.regions import Region


class Approval(enum.Enum):
    """A region's decision on an organisation or offer in that region."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class OrganisationRegion(Base):
    """An organisation serves a region; that region's staff approve it there."""

    __tablename__ = "organisation_region"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    status: Mapped[Approval] = mapped_column(default=Approval.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<OrganisationRegion {self.organisation_id}@{self.region_id} {self.status.value}>"
