"""Email-link tokens: random, stored only as a hash, single use, with an expiry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Token, TokenPurpose, utcnow
from onderwijsplatform.services.errors import InvalidToken


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """The row and the raw value; the raw value goes into the email and nowhere else."""

    token: Token
    raw: str


def issue(
    purpose: TokenPurpose,
    *,
    lifetime: timedelta,
    now: datetime | None = None,
    revoke_older: bool = True,
    **owner: int | None,
) -> IssuedToken:
    """Create a token for ``purpose`` owned by ``user_id``/``contact_id``/... .

    With ``revoke_older`` every unused token of the same purpose and owner stops working,
    so only the newest link in someone's mailbox is valid.
    """
    now = now or utcnow()
    owner = {key: value for key, value in owner.items() if value is not None}
    if revoke_older and owner:
        db.session.execute(
            sa.update(Token)
            .where(
                Token.purpose == purpose,
                Token.used_at.is_(None),
                *(getattr(Token, key) == value for key, value in owner.items()),
            )
            .values(used_at=now)
        )
    raw = secrets.token_urlsafe(32)
    token = Token(purpose=purpose, token_hash=_hash(raw), expires_at=now + lifetime, **owner)
    db.session.add(token)
    db.session.flush()
    return IssuedToken(token=token, raw=raw)


def peek(purpose: TokenPurpose, raw: str, *, now: datetime | None = None) -> Token:
    """Return the valid token for ``raw`` without using it (for the GET confirm page).

    Raises InvalidToken when unknown, of another purpose, used or expired.
    """
    now = now or utcnow()
    token = db.session.scalar(sa.select(Token).where(Token.token_hash == _hash(raw or "")))
    if token is None or token.purpose != purpose or token.used_at is not None:
        raise InvalidToken()
    if token.expires_at <= now:
        raise InvalidToken(expired=True)
    return token


def consume(purpose: TokenPurpose, raw: str, *, now: datetime | None = None) -> Token:
    """Use the token once (for the POST): a compare-and-set, so two clicks use it once."""
    now = now or utcnow()
    token = peek(purpose, raw, now=now)
    used = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(Token)
            .where(Token.id == token.id, Token.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if used.rowcount != 1:
        raise InvalidToken()
    db.session.refresh(token)
    return token
