"""Small read-only figures for the public home page."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Offer,
    Organisation,
    OrganisationType,
    RequestStatus,
    SchoolRequest,
)
from onderwijsplatform.services import pool


def public_stats() -> dict[str, int]:
    """Counts of active companies, active offers, schools and open requests."""

    def count(stmt: sa.Select) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "companies": count(
            sa.select(sa.func.count(sa.distinct(Offer.organisation_id))).where(pool.live_anywhere())
        ),
        "offers": count(sa.select(sa.func.count(Offer.id)).where(pool.live_anywhere())),
        "schools": count(
            sa.select(sa.func.count(Organisation.id)).where(
                Organisation.type == OrganisationType.SCHOOL
            )
        ),
        "requests": count(
            sa.select(sa.func.count(SchoolRequest.id)).where(
                SchoolRequest.status == RequestStatus.OPEN
            )
        ),
    }
