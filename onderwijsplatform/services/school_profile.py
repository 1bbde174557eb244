"""The school profile a coordinator keeps: school data, own contact details, preferences."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from matching.geo import GeoError, get_geocoder, normalise_postcode
from onderwijsplatform.extensions import db
from onderwijsplatform.models import Organisation, RequestStatus, SchoolRequest, SchoolType, User
from onderwijsplatform.services import suggestions
from onderwijsplatform.services.errors import NotFound, ValidationFailed


def update(user: User, values: dict[str, Any]) -> Organisation:
    """Save the profile of the coordinator's school and the coordinator's own details.

    The location is geocoded; open requests move with the school and are re-ranked.
    Raises ValidationFailed("postcode", <nl message>, ...) when the location cannot be found,
    ValidationFailed("brin_code", "brin_taken") for a BRIN code of another school,
    and NotFound for an account without a school (there is no profile to save).
    """
    school = user.school
    if school is None:
        # A coordinator always has one (the coordinator_has_school constraint); anyone else
        # reaching here has no school profile, which the views answer with a 404.
        raise NotFound()
    try:
        if values["postcode"]:
            values = {**values, "postcode": normalise_postcode(values["postcode"])}
        point = get_geocoder().resolve(postcode=values["postcode"], place=values["place"])
    except GeoError as exc:
        error = ValidationFailed("postcode" if values["postcode"] else "place", exc.message_nl)
        error.message_en = exc.message_en  # type: ignore[attr-defined]
        raise error from None
    brin = values["brin_code"]
    if brin:
        other = db.session.scalar(
            sa.select(Organisation.id).where(
                Organisation.brin_code == brin, Organisation.id != school.id
            )
        )
        if other is not None:
            raise ValidationFailed("brin_code", "brin_taken")
    school.name = values["name"]
    school.brin_code = brin
    school.school_type = SchoolType(values["school_type"])
    school.postcode = values["postcode"]
    school.place = values["place"] or point.place
    school.lat, school.lon = point.lat, point.lon
    school.sectors = values["sectors"]
    user.name = values["contact_name"]
    user.phone = values["phone"]
    user.digest_enabled = values["digest_enabled"]
    user.language = values["language"]
    open_requests = list(
        db.session.scalars(
            sa.select(SchoolRequest).where(
                SchoolRequest.school_id == school.id,
                SchoolRequest.status == RequestStatus.OPEN,
            )
        )
    )
    for request in open_requests:
        _locate(request, school)
    db.session.flush()
    suggestions.refresh(open_requests)
    return school


def _locate(request: SchoolRequest, school: Organisation) -> None:
    request.postcode, request.place = school.postcode, school.place
    request.lat, request.lon = school.lat, school.lon
    request.coordinates_given = False
