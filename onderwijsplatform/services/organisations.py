"""Removing an organisation with everything that names it."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Contact, DuplicateFlag, Offer, Organisation, OutboxEmail, Token


def delete_organisation(organisation_id: int) -> None:
    """Delete an organisation with its offers, contacts, links and flags (flush only)."""
    contact_ids = sa.select(Contact.id).where(Contact.organisation_id == organisation_id)
    addresses = sa.select(Contact.email).where(Contact.organisation_id == organisation_id)
    # The queued and sent emails hold the address and name too (reliability PRIV-04).
    db.session.execute(sa.delete(OutboxEmail).where(OutboxEmail.to_addr.in_(addresses)))
    db.session.execute(
        sa.delete(Token).where(
            sa.or_(Token.organisation_id == organisation_id, Token.contact_id.in_(contact_ids))
        )
    )
    db.session.execute(
        sa.delete(DuplicateFlag).where(
            sa.or_(
                DuplicateFlag.organisation_id == organisation_id,
                DuplicateFlag.other_id == organisation_id,
            )
        )
    )
    db.session.execute(sa.delete(Offer).where(Offer.organisation_id == organisation_id))
    db.session.execute(sa.delete(Contact).where(Contact.organisation_id == organisation_id))
    db.session.execute(sa.delete(Organisation).where(Organisation.id == organisation_id))
    db.session.expire_all()
