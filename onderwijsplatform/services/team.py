"""A region's team: its admin invites staff by email, sees who is on it, switches people off."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.identity.staff_accounts import ENROL_LIFETIME
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import Region, Role, User
from onderwijsplatform.models.users import new_session_token
from onderwijsplatform.services import audit
from onderwijsplatform.services.errors import NotFound, ValidationFailed

# The roles a region's team may have; a platform admin or national viewer is made on the
# command line, by whoever runs the platform.
TEAM_ROLES = (Role.STAFF, Role.REGION_ADMIN)


def members(actor: User, region: Region) -> list[User]:
    """The region's staff and region admins, active ones first, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(scope.visible(actor, User), User.region_id == region.id)
            .where(User.role.in_(TEAM_ROLES))
            .order_by(User.is_active.desc(), User.name)
        )
    )


def invite(
    actor: User, region: Region, *, email: str, name: str, role: Role, now: datetime
) -> User:
    """A new team member without a password, and an email with their enrolment link.

    Raises ValidationFailed for an address that is taken or a role a team cannot have.
    """
    if role not in TEAM_ROLES:
        raise ValidationFailed("role", "not a team role")
    invitation = staff_accounts.create_staff(
        email,
        name=name,
        admin=False,
        region_admin=role is Role.REGION_ADMIN,
        region_code=region.code,
        now=now,
    )
    user = invitation.user
    outbox.enqueue(
        "staff_invite",
        to=user.email,
        context={
            "name": user.name,
            "region": region.name,
            "inviter": actor.name,
            "link": external_url("auth.enrol", token=invitation.raw_token),
            "expires_at": now + ENROL_LIFETIME,
        },
        dedupe_key=f"staff-invite:{user.id}",
        language=user.language,
        now=now,
    )
    audit.record(actor, "team.invite", user, {"role": role.value}, now, region_id=region.id)
    return user


def deactivate(actor: User, region: Region, user_id: int, now: datetime) -> User:
    """Switch a team member off: every session ends. Raises NotFound for anyone else."""
    user = scope.get(actor, User, user_id, User.region_id == region.id, User.role.in_(TEAM_ROLES))
    if user.id == actor.id:
        raise NotFound()  # nobody locks themselves out
    user.is_active = False
    user.session_token = new_session_token()
    db.session.flush()
    audit.record(actor, "team.deactivate", user, {}, now, region_id=region.id)
    return user
