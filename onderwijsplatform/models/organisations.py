"""Organisations (companies, schools, institutions), their contacts and duplicate flags."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin, utcnow
from onderwijsplatform.models.pool import OrganisationRegion
from onderwijsplatform.models.regions import Region


class OrganisationType(enum.Enum):
    """What kind of organisation this is."""

    COMPANY = "company"
    SCHOOL = "school"
    INSTITUTION = "institution"


class SchoolType(enum.Enum):
    """The level of a school."""

    PO = "po"
    VMBO = "vmbo"
    MBO = "mbo"
    OTHER = "other"


class OrganisationStatus(enum.Enum):
    """Where an organisation is in intake and moderation."""

    UNCONFIRMED = "unconfirmed"
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    REJECTED = "rejected"
    MERGED = "merged"


class Organisation(TimestampMixin, Base):
    """A company, school or institution.

    ``region_id`` is its home region (a school's only one; for a company the region it
    signed up in); ``memberships`` are all the regions it serves, each with that
    region's approval.
    """

    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint(
            "kvk_number IS NULL OR length(kvk_number) = 8", name="kvk_number_eight_digits"
        ),
        sa.CheckConstraint(
            "(type = 'school') OR (school_type IS NULL)", name="school_type_only_for_schools"
        ),
        sa.Index("ix_organisation_region_type", "region_id", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id", ondelete="RESTRICT"))
    type: Mapped[OrganisationType]
    status: Mapped[OrganisationStatus] = mapped_column(default=OrganisationStatus.ACTIVE)
    name: Mapped[str] = mapped_column(sa.String(200))
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    brin_code: Mapped[str | None] = mapped_column(sa.String(6), unique=True)
    school_type: Mapped[SchoolType | None]
    website: Mapped[str | None] = mapped_column(sa.String(300))
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    place: Mapped[str | None] = mapped_column(sa.String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # For schools: the vmbo profiles (sector codes) it teaches.
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    confirmed_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )

    region: Mapped[Region] = relationship()
    memberships: Mapped[list[OrganisationRegion]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationRegion.region_id"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.id"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.type.value} {self.name!r}>"


class Contact(TimestampMixin, Base):
    """A person at an organisation whom the platform emails."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str] = mapped_column(sa.String(320), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    email_confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


class DuplicateFlag(Base):
    """A likely duplicate found at intake, kept with its reason for staff to decide."""

    __tablename__ = "duplicate_flag"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "other_id", "reason", name="uq_duplicate_flag_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(40))
    detail: Mapped[str | None] = mapped_column(sa.String(300))
    score: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
