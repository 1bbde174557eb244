"""Offers (aanbod): what a company contributes, as the matcher sees it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin, utcnow
from onderwijsplatform.models.organisations import Contact, Organisation
from onderwijsplatform.models.pool import Approval
from onderwijsplatform.models.regions import Region


class OfferStatus(enum.Enum):
    """The life of an offer; only ACTIVE offers are matched."""

    UNCONFIRMED = "unconfirmed"
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    PAUSED = "paused"
    NOT_THIS_YEAR = "not_this_year"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


class Offer(TimestampMixin, Base):
    """One contribution of an organisation, in the exchange format's terms."""

    __tablename__ = "offer"
    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint(
            "yearly_limit IS NULL OR yearly_limit > 0", name="yearly_limit_positive"
        ),
        sa.CheckConstraint("travel_km IS NULL OR travel_km >= 0", name="travel_km_not_negative"),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        sa.CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
        sa.Index("ix_offer_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The exchange-format id; offers made in the app get "o-<id>" on export.
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id", ondelete="SET NULL"))
    status: Mapped[OfferStatus] = mapped_column(default=OfferStatus.PENDING_REVIEW)
    school_year: Mapped[str | None] = mapped_column(sa.String(9))
    kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # None means "not given": the exchange format then counts it as ["bij_bedrijf"].
    where: Mapped[list[str] | None] = mapped_column(sa.JSON)
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    place: Mapped[str | None] = mapped_column(sa.String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # True when lat/lon came from the source itself, not from geocoding the postcode/place.
    coordinates_given: Mapped[bool] = mapped_column(default=False)
    travel_km: Mapped[float | None]
    capacity: Mapped[int | None]
    yearly_limit: Mapped[int | None]
    # A list of {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}; empty means always.
    available: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[Contact | None] = relationship()
    # The regions it is available in, each with that region's approval.
    availability: Mapped[list[OfferRegion]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferRegion.region_id"
    )

    @property
    def exchange_id(self) -> str:
        return self.external_id or f"o-{self.id}"

    def __repr__(self) -> str:
        return f"<Offer {self.id} {self.status.value}>"


class OfferRegion(Base):
    """An offer is available in a region; that region's staff approve it there."""

    __tablename__ = "offer_region"

    offer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True
    )
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey("region.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    status: Mapped[Approval] = mapped_column(default=Approval.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    region: Mapped[Region] = relationship()
    offer: Mapped[Offer] = relationship(back_populates="availability")

    def __repr__(self) -> str:
        return f"<OfferRegion {self.offer_id}@{self.region_id} {self.status.value}>"
