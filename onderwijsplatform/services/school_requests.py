"""School requests (hulpvragen) of one school: create, change, close, cancel, copy."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Organisation,
    RequestStatus,
    SchoolRequest,
    User,
    utcnow,
)
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import suggestions
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed

FIELDS = (
    "kinds",
    "sectors",
    "themes",
    "target_group",
    "group_size",
    "max_travel_km",
    "period_from",
    "period_to",
    "description",
)


def for_school(school_id: int) -> list[SchoolRequest]:
    """Every request of the school: open ones first, newest first."""
    order = sa.case((SchoolRequest.status == RequestStatus.OPEN, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(SchoolRequest)
            .where(SchoolRequest.school_id == school_id)
            .order_by(order, SchoolRequest.id.desc())
        )
    )


def get(school_id: int, request_id: int) -> SchoolRequest:
    """One request of this school; NotFound for a missing or foreign one (both 404)."""
    return scope.load(SchoolRequest, request_id, SchoolRequest.school_id == school_id)


def _apply(request: SchoolRequest, school: Organisation, values: dict[str, Any]) -> None:
    for name in FIELDS:
        setattr(request, name, values[name])
    # The request is where the school is; a school without a location cannot be matched.
    request.postcode, request.place = school.postcode, school.place
    request.lat, request.lon = school.lat, school.lon
    request.coordinates_given = False
    start = values["period_from"]
    request.school_year = school_year_of(start or utcnow().date())


def _require_location(school: Organisation) -> None:
    if school.lat is None or school.lon is None:
        raise ValidationFailed("school", "school_location_missing")


def create(actor: User, values: dict[str, Any], *, now: datetime | None = None) -> SchoolRequest:
    """A new open request of the actor's school, ranked at once.

    Raises ValidationFailed("school", "school_location_missing") when the school profile
    has no location yet, and NotFound for an account without a school.
    """
    school = actor.school
    if school is None:
        # A coordinator always has one (the coordinator_has_school constraint); anyone else
        # has no school to ask for, which the views answer with a 404.
        raise NotFound()
    _require_location(school)
    request = SchoolRequest(school_id=school.id, created_by_id=actor.id, status=RequestStatus.OPEN)
    _apply(request, school, values)
    db.session.add(request)
    db.session.flush()
    suggestions.refresh([request])
    return request


def update(request: SchoolRequest, values: dict[str, Any]) -> SchoolRequest:
    """Change an open request and rank it again; InvalidTransition when it is not open."""
    if request.status != RequestStatus.OPEN:
        raise InvalidTransition("only an open request can be changed")
    _require_location(request.school)
    _apply(request, request.school, values)
    db.session.flush()
    suggestions.refresh([request])
    return request


def set_status(request: SchoolRequest, status: RequestStatus) -> SchoolRequest:
    """Close or cancel an open request; its plain suggestions disappear from view.

    Raises InvalidTransition when the request is not open (a repeat click is refused
    harmlessly).
    """
    if status not in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise InvalidTransition("unknown target state")
    if request.status != RequestStatus.OPEN:
        raise InvalidTransition("only an open request can be closed or cancelled")
    request.status = status
    db.session.flush()
    return request


def _shift_year(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def copyable(request: SchoolRequest, *, today: date | None = None) -> bool:
    """True for a request of an earlier school year (it can be copied into this one)."""
    this_year = school_year_of(today or utcnow().date())
    return (request.school_year or this_year) < this_year


def copy_to_current_year(
    request: SchoolRequest, actor: User, *, now: datetime | None = None
) -> SchoolRequest:
    """A new open request for this school year from an old one, dates shifted by whole years.

    Raises InvalidTransition when the request already belongs to this school year.
    """
    now = now or utcnow()
    if not copyable(request, today=now.date()):
        raise InvalidTransition("request is of the current school year")
    values = {name: getattr(request, name) for name in FIELDS}
    values["kinds"], values["sectors"], values["themes"] = (
        list(request.kinds),
        list(request.sectors or []),
        list(request.themes or []),
    )
    this_year = school_year_of(now.date())
    start, end = values["period_from"], values["period_to"]
    while start is not None and school_year_of(start) < this_year:
        start, end = _shift_year(start), _shift_year(end)
    values["period_from"], values["period_to"] = start, end
    return create(actor, values, now=now)
