"""Accounts: school coordinators, platform staff and admins."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from onderwijsplatform.models.base import Base, TimestampMixin
from onderwijsplatform.models.organisations import Organisation
from onderwijsplatform.models.regions import Region


class Role(enum.Enum):
    """What an account may do."""

    COORDINATOR = "coordinator"
    STAFF = "staff"
    REGION_ADMIN = "region_admin"  # staff who also keep their region's settings
    ADMIN = "admin"  # the platform admin: every region
    NATIONAL_VIEWER = "national_viewer"  # totals across regions, no personal data


def new_session_token() -> str:
    """A random id that Flask-Login stores instead of the user id, so sessions can be revoked."""
    return secrets.token_urlsafe(32)


class User(TimestampMixin, Base):
    """A person who signs in; coordinators belong to one school, staff to one region."""

    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role != 'coordinator' OR school_id IS NOT NULL", name="coordinator_has_school"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role]
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id", ondelete="RESTRICT"))
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    is_active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_session_token
    )
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_counter: Mapped[int | None]
    recovery_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    digest_enabled: Mapped[bool] = mapped_column(default=True)
    last_digest_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    region: Mapped[Region] = relationship()
    school: Mapped[Organisation | None] = relationship()

    # Flask-Login protocol, kept passive: no queries, no commits.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.REGION_ADMIN, Role.ADMIN, Role.NATIONAL_VIEWER)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
