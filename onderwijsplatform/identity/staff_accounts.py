"""Staff accounts: created from the command line, enrolled by link with a password and TOTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import tokens, totp
from onderwijsplatform.identity.passwords import check_rules, hash_password
from onderwijsplatform.mail.outbox import validate_address
from onderwijsplatform.models import Region, Role, TokenPurpose, User
from onderwijsplatform.models.users import new_session_token
from onderwijsplatform.services.errors import NotFound, ValidationFailed

ENROL_LIFETIME = timedelta(hours=24)
PENDING_LIFETIME = timedelta(minutes=5)


@dataclass(frozen=True)
class Invitation:
    """A staff user and the raw enrolment token for their one-time link."""

    user: User
    raw_token: str


def _region(code: str | None) -> Region:
    if code:
        region = db.session.scalar(sa.select(Region).where(Region.code == code))
        if region is None and db.session.scalar(sa.select(sa.func.count(Region.id))) == 0:
            # A fresh database: the first staff account brings its region along (AUTH-06).
            if not (0 < len(code) <= 40 and code.replace("-", "").isalnum()):
                raise ValidationFailed("region", f"not a usable region code: {code!r}")
            region = Region(code=code, name=current_app.config["REGION_NAME"])
            db.session.add(region)
            db.session.flush()
        if region is None:
            raise ValidationFailed("region", f"unknown region code: {code}")
        return region
    regions = db.session.scalars(sa.select(Region).limit(2)).all()
    if len(regions) != 1:
        raise ValidationFailed("region", "give --region CODE (there is not exactly one region)")
    return regions[0]


def create_staff(
    email: str,
    *,
    name: str | None,
    admin: bool,
    region_code: str | None,
    now: datetime,
    region_admin: bool = False,
    national_viewer: bool = False,
) -> Invitation:
    """Create a staff, region admin or platform admin user without a password, and issue
    an enrolment token.

    Raises ValidationFailed for a bad or taken address or an unknown region.
    """
    try:
        address = validate_address(email).lower()
    except ValueError:
        raise ValidationFailed("email", f"not one valid email address: {email!r}") from None
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == address)):
        raise ValidationFailed("email", f"a user with {address} exists already")
    region = _region(region_code)
    user = User(
        email=address,
        name=(name or address.split("@")[0])[:200],
        role=_role(admin=admin, region_admin=region_admin, national_viewer=national_viewer),
        region_id=region.id,
    )
    db.session.add(user)
    db.session.flush()
    return Invitation(user, _issue(user, now))


def _role(*, admin: bool, region_admin: bool, national_viewer: bool) -> Role:
    if admin + region_admin + national_viewer > 1:
        raise ValidationFailed("role", "choose one of admin, region admin or national viewer")
    if admin:
        return Role.ADMIN
    if region_admin:
        return Role.REGION_ADMIN
    return Role.NATIONAL_VIEWER if national_viewer else Role.STAFF


def enrol_link(email: str, *, now: datetime) -> Invitation:
    """A fresh enrolment token for an existing staff user (older links stop working).

    Raises NotFound when there is no staff or admin user with that address.
    """
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if user is None or not user.is_staff:
        raise NotFound()
    return Invitation(user, _issue(user, now))


def _issue(user: User, now: datetime) -> str:
    issued = tokens.issue(
        TokenPurpose.STAFF_ENROL, lifetime=ENROL_LIFETIME, now=now, user_id=user.id
    )
    return issued.raw


def enrolment_user(raw_token: str, now: datetime) -> User:
    """The user a valid enrolment link belongs to, without using it. Raises InvalidToken."""
    token = tokens.peek(TokenPurpose.STAFF_ENROL, raw_token, now=now)
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_staff or not user.is_active:
        raise NotFound()
    return user


def complete_enrolment(
    raw_token: str, *, password: str, secret: str, code: str, now: datetime
) -> tuple[User, list[str]]:
    """Set the password and TOTP secret, use the link, return the user and recovery codes.

    The code must come from the authenticator that scanned ``secret``. Raises
    InvalidToken, ValidationFailed("code", ...) or ValidationFailed("password", ...).
    """
    user = enrolment_user(raw_token, now)
    check_rules(password)
    counter = totp.matching_counter(secret, code, now)
    if counter is None:
        raise ValidationFailed("code", "wrong_code")
    tokens.consume(TokenPurpose.STAFF_ENROL, raw_token, now=now)
    codes, hashes = totp.new_recovery_codes()
    user.password_hash = hash_password(password)
    user.totp_secret = secret
    user.totp_last_counter = counter
    user.recovery_codes = hashes
    # A new credential ends every older session of this account.
    user.session_token = new_session_token()
    user.last_login_at = now
    db.session.flush()
    return user, codes


def pending_user(token: str | None, started: str | None, now: datetime) -> User:
    """The staff user halfway through signing in; raises NotFound when void or too old."""
    if not token or not started:
        raise NotFound()
    try:
        begun = datetime.fromisoformat(started)
    except ValueError:
        raise NotFound() from None
    if begun.tzinfo is None or now - begun > PENDING_LIFETIME or begun > now + timedelta(0, 5):
        raise NotFound()
    user = db.session.scalar(
        sa.select(User).where(User.session_token == token, User.is_active.is_(True))
    )
    if user is None or not user.is_staff:
        raise NotFound()
    return user


def second_factor(user: User, code: str, now: datetime) -> bool:
    """Check a TOTP code or, failing that, a recovery code; True signs the user in. Flushes."""
    ok = totp.verify_totp(user, code, now) or totp.use_recovery_code(user, code)
    if ok:
        user.last_login_at = now
        db.session.flush()
    return ok
