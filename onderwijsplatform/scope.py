"""Region scoping and ids: which region's rows an actor may see, and loading one row by id.

The one policy: staff and coordinators see the rows of their own region, a platform admin
sees every region, a national viewer sees the regions themselves but no row that names a
person or organisation, and the system (a command, a job: ``actor=None``) sees everything.
Every query of region-owned rows adds ``visible(actor, Model)``; every load by id goes
through ``get`` (region-scoped) or ``load`` (scoped by the caller's own criteria, such as
a school's or a company's ownership). Ids in URLs are matched by the ``id`` converter,
so an id beyond the 32-bit columns never reaches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import InstrumentedAttribute
from werkzeug.routing import IntegerConverter, Map

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    AuditEvent,
    Base,
    Contact,
    DuplicateFlag,
    Introduction,
    KitComponent,
    LendingDesk,
    LendingItem,
    Loan,
    LoanShortage,
    MatchSuggestion,
    Offer,
    OfferRegion,
    Organisation,
    OrganisationRegion,
    OutboxEmail,
    Outcome,
    Region,
    RegionHoliday,
    Role,
    SchoolRequest,
    User,
    VisitBooking,
    VisitProgramme,
    VisitSlot,
)
from onderwijsplatform.services.errors import NotFound

M = TypeVar("M", bound=Base)

ID_MAX = 2**31 - 1  # the id columns are 32-bit integers on PostgreSQL


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a positive id that fits the id columns, else no match (404)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=ID_MAX)


def check_id(value: int) -> None:
    """Ids outside the columns' range cannot exist: NotFound, not a database error."""
    if not isinstance(value, int) or not 0 < value <= ID_MAX:
        raise NotFound()


def _organisations(region_id: int) -> sa.Select[int]:
    # Every organisation that serves the region: its schools and the companies of the pool
    # that chose it (approved there or not yet).
    return sa.select(OrganisationRegion.organisation_id).where(
        OrganisationRegion.region_id == region_id
    )


def _schools(region_id: int) -> sa.Select[int]:
    # Requests, introductions and outcomes belong to the region of the school (its home).
    return sa.select(Organisation.id).where(Organisation.region_id == region_id)


def _requests(region_id: int) -> sa.Select[int]:
    return sa.select(SchoolRequest.id).where(SchoolRequest.school_id.in_(_schools(region_id)))


def _introductions(region_id: int) -> sa.Select[int]:
    return sa.select(Introduction.id).where(Introduction.request_id.in_(_requests(region_id)))


def _programmes(region_id: int) -> sa.Select[int]:
    return sa.select(VisitProgramme.id).where(VisitProgramme.region_id == region_id)


def _items(region_id: int) -> sa.Select[int]:
    # Kits, loans and their shortages belong to the region of the item (its lending desk).
    return sa.select(LendingItem.id).where(LendingItem.region_id == region_id)


def _mail(region_id: int) -> sa.ColumnElement[bool]:
    # Mail belongs to the region of the person it was sent to (AC-02).
    contacts = sa.select(Contact.email).where(
        Contact.organisation_id.in_(_organisations(region_id))
    )
    users = sa.select(User.email).where(User.region_id == region_id)
    return sa.or_(OutboxEmail.to_addr.in_(contacts), OutboxEmail.to_addr.in_(users))


# How each region-owned model finds its region: a WHERE clause for one region id.
_IN_REGION: dict[type, Callable[[int], sa.ColumnElement[bool]]] = {
    Region: lambda rid: Region.id == rid,
    RegionHoliday: lambda rid: RegionHoliday.region_id == rid,
    Organisation: lambda rid: Organisation.id.in_(_organisations(rid)),
    User: lambda rid: User.region_id == rid,
    AuditEvent: lambda rid: AuditEvent.region_id == rid,
    Contact: lambda rid: Contact.organisation_id.in_(_organisations(rid)),
    DuplicateFlag: lambda rid: DuplicateFlag.organisation_id.in_(_organisations(rid)),
    Offer: lambda rid: Offer.id.in_(
        sa.select(OfferRegion.offer_id).where(OfferRegion.region_id == rid)
    ),
    SchoolRequest: lambda rid: SchoolRequest.school_id.in_(_schools(rid)),
    MatchSuggestion: lambda rid: MatchSuggestion.request_id.in_(_requests(rid)),
    Introduction: lambda rid: Introduction.request_id.in_(_requests(rid)),
    Outcome: lambda rid: Outcome.introduction_id.in_(_introductions(rid)),
    OutboxEmail: _mail,
    # Visits belong to the region of their programme (a school books in its own region).
    VisitProgramme: lambda rid: VisitProgramme.region_id == rid,
    VisitSlot: lambda rid: VisitSlot.programme_id.in_(_programmes(rid)),
    VisitBooking: lambda rid: VisitBooking.slot_id.in_(
        sa.select(VisitSlot.id).where(VisitSlot.programme_id.in_(_programmes(rid)))
    ),
    LendingDesk: lambda rid: LendingDesk.region_id == rid,
    LendingItem: lambda rid: LendingItem.region_id == rid,
    KitComponent: lambda rid: KitComponent.item_id.in_(_items(rid)),
    Loan: lambda rid: Loan.item_id.in_(_items(rid)),
    LoanShortage: lambda rid: LoanShortage.loan_id.in_(
        sa.select(Loan.id).where(Loan.item_id.in_(_items(rid)))
    ),
}


def sees_every_region(actor: User | None) -> bool:
    """The system and platform admins see every region."""
    return actor is None or actor.role is Role.ADMIN


# What a national viewer may read row by row; everything else only as totals.
_NATIONAL = frozenset({Region, RegionHoliday})


def visible(actor: User | None, model: type) -> sa.ColumnElement[bool]:
    """A WHERE clause that keeps the rows of ``model`` that ``actor`` may see."""
    if actor is None or sees_every_region(actor):
        return sa.true()
    if actor.role is Role.NATIONAL_VIEWER:
        return sa.true() if model in _NATIONAL else sa.false()
    return _IN_REGION[model](actor.region_id)


def load(model: type[M], row_id: int, *criteria: Any) -> M:
    """The ``model`` row with ``row_id`` that meets ``criteria``; NotFound otherwise."""
    check_id(row_id)
    # Every model declares its own ``id: Mapped[int]``; Base has none, so mypy cannot see it.
    id_column: InstrumentedAttribute[int] = cast(Any, model).id
    row = db.session.scalar(sa.select(model).where(id_column == row_id, *criteria))
    if row is None:
        raise NotFound()
    return row


def get(actor: User | None, model: type[M], row_id: int, *criteria: Any) -> M:
    """The ``model`` row with ``row_id`` if ``actor`` may see it; NotFound otherwise."""
    return load(model, row_id, visible(actor, model), *criteria)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
