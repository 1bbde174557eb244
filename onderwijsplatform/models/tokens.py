"""Email-link tokens: only a SHA-256 hash is stored; single use, with an expiry."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onderwijsplatform.models.base import Base, utcnow


class TokenPurpose(enum.Enum):
    """What a link may be used for."""

    INTAKE_CONFIRM = "intake_confirm"
    SELF_SERVICE = "self_service"
    INVITE = "invite"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a secret
    LOGIN_LINK = "login_link"
    OUTCOME = "outcome"
    STAFF_ENROL = "staff_enrol"


class Token(Base):
    """One emailed link; the raw token lives only in the email."""

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introduction.id", ondelete="CASCADE")
    )
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
