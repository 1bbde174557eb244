"""Who the two sides of an introduction are: the company's contact and the school's coordinator."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Contact, Introduction, Role, User


def company_contact(intro: Introduction) -> Contact | None:
    """Whom the company side of an introduction is: the offer's contact, else the first."""
    offer = intro.offer
    if offer.contact is not None:
        return offer.contact
    contacts = offer.organisation.contacts
    return contacts[0] if contacts else None


def school_user(intro: Introduction) -> User | None:
    """Whom the school side is: who asked, who wrote the request, else a coordinator."""
    for user in (intro.requested_by, intro.school_request.created_by):
        if user is not None and user.role is Role.COORDINATOR:
            return user
    return db.session.scalar(
        sa.select(User)
        .where(User.school_id == intro.school_request.school_id, User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
