"""Coordinator accounts: invitations, password sign-in, resets, login links, sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.identity import passwords, tokens
from onderwijsplatform.identity.passwords import hash_password, verify_password
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import (
    Organisation,
    OrganisationType,
    Role,
    Token,
    TokenPurpose,
    User,
    utcnow,
)
from onderwijsplatform.models.users import new_session_token
from onderwijsplatform.services.errors import InvalidToken, ValidationFailed

INVITE_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
LOGIN_LINK_LIFETIME = timedelta(minutes=10)
# A fixed hash so an unknown address costs as much time as a known one (AUTH-03).
_DUMMY_HASH: dict[str, str] = {}


def schools_for_staff(staff: User) -> list[Organisation]:
    """The schools of the staff member's region, by name."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(scope.visible(staff, Organisation))
            .where(Organisation.type == OrganisationType.SCHOOL)
            .order_by(Organisation.name)
        )
    )


def coordinators_for_staff(staff: User) -> list[User]:
    """The coordinators of the staff member's region, newest first."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(scope.visible(staff, User), User.role == Role.COORDINATOR)
            .order_by(User.id.desc())
        )
    )


def find_by_email(email: str) -> User | None:
    """The account with this address (case-insensitive), or None."""
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


def invite(
    *,
    staff: User,
    school_id: int,
    name: str,
    email: str,
    language: str = "nl",
    now: datetime | None = None,
) -> User:
    """Create (or re-invite) a coordinator of a school in the staff member's region.

    Queues the invitation email with a link to set a password; a new invitation voids the
    older link. Raises NotFound for a school outside the region and ValidationFailed when
    the address already belongs to another account.
    """
    now = now or utcnow()
    school = scope.get(staff, Organisation, school_id, Organisation.type == OrganisationType.SCHOOL)
    user = find_by_email(email)
    if user is not None and (user.school_id != school.id or user.password_hash is not None):
        raise ValidationFailed("email", "email_taken")
    if user is None:
        user = User(
            email=email,
            name=name,
            role=Role.COORDINATOR,
            region_id=school.region_id,
            school_id=school.id,
            language=language,
        )
        db.session.add(user)
        db.session.flush()
    else:
        user.name = name
        user.language = language
    issued = tokens.issue(TokenPurpose.INVITE, lifetime=INVITE_LIFETIME, now=now, user_id=user.id)
    outbox.enqueue(
        "coordinator_invite",
        to=user.email,
        context={
            "name": user.name,
            "school": school.name,
            "inviter": staff.name,
            "link": external_url("auth.accept_invitation", token=issued.raw),
            "expires_at": issued.token.expires_at,
        },
        dedupe_key=f"coordinator-invite:{issued.token.id}",
        language=user.language,
        now=now,
    )
    return user


def peek_link(purpose: TokenPurpose, raw: str, *, now: datetime | None = None) -> User:
    """The active account a link belongs to, without using the link; raises InvalidToken."""
    token = tokens.peek(purpose, raw, now=now)
    return _owner(token)


def _owner(token: Token) -> User:
    user = db.session.get(User, token.user_id) if token.user_id else None
    if user is None or not user.is_active:
        raise InvalidToken()
    return user


def set_password_with_link(
    purpose: TokenPurpose, raw: str, password: str, *, now: datetime | None = None
) -> User:
    """Use an invitation or reset link once to set a password; every old session ends.

    Raises InvalidToken for an unknown, used or expired link and ValidationFailed for a
    password outside the one policy (the link then stays usable).
    """
    if purpose not in (TokenPurpose.INVITE, TokenPurpose.PASSWORD_RESET):
        raise InvalidToken()
    passwords.check_rules(password)
    now = now or utcnow()
    user = _owner(tokens.consume(purpose, raw, now=now))
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    user.last_login_at = now
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """The active account for this address and password, or None (same work either way)."""
    user = find_by_email(email)
    if user is None or not user.is_active or not user.password_hash:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    return user


def _dummy_hash() -> str:
    if "value" not in _DUMMY_HASH:
        _DUMMY_HASH["value"] = hash_password("not-a-real-password-0123456789")
    return _DUMMY_HASH["value"]


def record_login(user: User, *, now: datetime | None = None) -> None:
    """Note the time of a successful sign-in."""
    user.last_login_at = now or utcnow()
    db.session.flush()


def sign_out(user: User) -> None:
    """Rotate the session token: every copy of this user's session cookie stops working."""
    user.session_token = new_session_token()
    db.session.flush()


def _mail_link(
    user: User,
    *,
    purpose: TokenPurpose,
    lifetime: timedelta,
    template: str,
    endpoint: str,
    now: datetime,
) -> None:
    """Issue a link token of ``purpose`` for ``user`` and queue the email that carries it."""
    issued = tokens.issue(purpose, lifetime=lifetime, now=now, user_id=user.id)
    outbox.enqueue(
        template,
        to=user.email,
        context={
            "name": user.name,
            "link": external_url(endpoint, token=issued.raw),
            "minutes": int(lifetime.total_seconds() // 60),
        },
        dedupe_key=f"{template.replace('_', '-')}:{issued.token.id}",
        language=user.language,
        now=now,
    )


def request_password_reset(email: str, *, now: datetime | None = None) -> None:
    """Queue a reset link when the address belongs to an active account; silent otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    _mail_link(
        user,
        purpose=TokenPurpose.PASSWORD_RESET,
        lifetime=RESET_LIFETIME,
        template="password_reset",
        endpoint="auth.reset_password",
        now=now or utcnow(),
    )


def request_login_link(email: str, *, now: datetime | None = None) -> None:
    """Queue a one-time sign-in link for an active coordinator; silent otherwise.

    Staff need their second factor, so they get no link (and no hint either).
    """
    user = find_by_email(email)
    if user is None or not user.is_active or user.role != Role.COORDINATOR:
        return
    _mail_link(
        user,
        purpose=TokenPurpose.LOGIN_LINK,
        lifetime=LOGIN_LINK_LIFETIME,
        template="login_link",
        endpoint="auth.login_link",
        now=now or utcnow(),
    )


def use_login_link(raw: str, *, now: datetime | None = None) -> User:
    """Use a login link once; raises InvalidToken."""
    now = now or utcnow()
    user = _owner(tokens.consume(TokenPurpose.LOGIN_LINK, raw, now=now))
    if user.role != Role.COORDINATOR:
        raise InvalidToken()
    user.last_login_at = now
    db.session.flush()
    return user
