"""Posting, changing, closing and copying requests through the real forms (IN-01..06)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import (
    MatchSuggestion,
    OutboxEmail,
    RequestStatus,
    SchoolRequest,
    utcnow,
)
from onderwijsplatform.school_years import school_year_of
from tests.coordinator.conftest import REQUEST_FORM, post_form
from tests.factories import make_request

NEW = "/school/hulpvragen/nieuw"


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_post_a_request_and_see_ranked_suggestions(signed_in, coordinator, offers):
    response = post_form(signed_in, NEW, REQUEST_FORM)
    assert response.status_code == 302
    row = _db.session.scalar(sa.select(SchoolRequest))
    assert row.school_id == coordinator.school_id
    assert row.created_by_id == coordinator.id
    assert row.themes == ["zonnepanelen", "duurzame energie"]
    assert row.lat == coordinator.school.lat
    assert row.school_year == "2026-2027"
    assert _count(MatchSuggestion) >= 1  # ranked in the same unit of work
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waarom deze suggestie" in page


def test_extra_fields_are_ignored(signed_in, coordinator, offers, school):
    from tests.factories import make_school

    other = make_school()
    data = {**REQUEST_FORM, "school_id": str(other.id), "status": "closed", "role": "staff"}
    post_form(signed_in, NEW, data)
    row = _db.session.scalar(sa.select(SchoolRequest))
    assert row.school_id == school.id
    assert row.status == RequestStatus.OPEN


LONG = "x" * 5001
BAD_INPUTS = [
    ("kinds", None, "Kies minstens één soort hulp."),
    ("kinds", "GASTLES", "Kies een van de mogelijkheden"),
    ("kinds", "Gastles op school", "Kies een van de mogelijkheden"),
    ("target_group", "", "Kies de doelgroep."),
    ("target_group", "   ", "Kies de doelgroep."),
    ("target_group", "kleuters", "Kies een van de mogelijkheden"),
    ("sectors", "xyz", "Kies een van de mogelijkheden"),
    ("description", None, "Beschrijf kort wat u zoekt."),
    ("description", "   ", "Beschrijf kort wat u zoekt."),
    ("description", LONG, "hooguit 5000 tekens"),
    ("description", "nul\x00byte", "niet zijn toegestaan"),
    ("description", "bel\x07", "niet zijn toegestaan"),
    ("description", "del\x7f", "niet zijn toegestaan"),
    ("themes", "a\x00b", "niet zijn toegestaan"),
    ("themes", ",".join(f"t{i}" for i in range(11)), "hooguit 10"),
    ("themes", "x" * 61, "hooguit 60 tekens"),
    ("group_size", "-1", "1 tot 1000"),
    ("group_size", "0", "1 tot 1000"),
    ("group_size", "1e3", "1 tot 1000"),
    ("group_size", "NaN", "1 tot 1000"),
    ("group_size", "99999999999", "1 tot 1000"),
    ("group_size", "9" * 5000, "1 tot 1000"),
    ("group_size", "12.5", "1 tot 1000"),
    ("max_travel_km", "-5", "0 tot 300 km"),
    ("max_travel_km", "301", "0 tot 300 km"),
    ("max_travel_km", "ver", "0 tot 300 km"),
    ("period_from", "2026-02-30", "geldige datum"),
    ("period_from", "0001-01-01", "geldige datum"),
    ("period_from", "9999-12-31", "geldige datum"),
    ("period_from", "tomorrow", "geldige datum"),
    ("period_from", "2027-03-01T00:00+01:00", "geldige datum"),
    ("period_to", "2027-02-01", "vóór het begin"),
    ("period_to", "", "zowel het begin als het einde"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_bad_input_gets_a_message_and_writes_nothing(signed_in, offers, field, value, message):
    data = dict(REQUEST_FORM)
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    response = post_form(signed_in, NEW, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert f'id="{field}-error"' in body  # the message sits at the field
    assert "Gastles over zonnepanelen" in body or field == "description"  # nothing lost
    assert _count(SchoolRequest) == 0
    assert _count(OutboxEmail) == 0


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "{{7*7}} ${7*7} {0.__class__} %s%n",
        "' OR 1=1--; DROP TABLE school_request;--",
        "e\u0301 😀 \u202e",
    ],
)
def test_hostile_but_allowed_text_is_stored_and_escaped(signed_in, offers, value):
    response = post_form(signed_in, NEW, {**REQUEST_FORM, "description": value})
    assert response.status_code == 302
    row = _db.session.scalar(sa.select(SchoolRequest))
    assert row.description.startswith(value.strip()[:3].replace("e\u0301", "\u00e9"))
    page = signed_in.get("/school/hulpvragen").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "49" not in page.split("<main", 1)[1].split("</main>")[0] or "{{7*7}}" not in value


def test_duplicate_fields_take_the_first_value(signed_in, offers):
    token_page = signed_in.get(NEW).get_data(as_text=True)
    from tests.conftest import csrf_token_from

    data = [(k, v) for k, v in REQUEST_FORM.items() if k != "group_size"]
    data += [
        ("group_size", "20"),
        ("group_size", "abc"),
        ("csrf_token", csrf_token_from(token_page)),
    ]
    response = signed_in.post(NEW, data=MultiDict(data))
    assert response.status_code == 302
    assert _db.session.scalar(sa.select(SchoolRequest)).group_size == 20


def test_without_csrf_nothing_is_written(signed_in, offers):
    assert signed_in.post(NEW, data=REQUEST_FORM).status_code == 400
    assert _count(SchoolRequest) == 0


def test_edit_close_and_cancel(signed_in, school, offers):
    row = make_request(school)
    page = signed_in.get(f"/school/hulpvragen/{row.id}/wijzigen").get_data(as_text=True)
    assert "Gastles over duurzame energie" in page
    response = post_form(
        signed_in, f"/school/hulpvragen/{row.id}/wijzigen", {**REQUEST_FORM, "group_size": "30"}
    )
    assert response.status_code == 302
    _db.session.refresh(row)
    assert row.group_size == 30
    assert _count(MatchSuggestion) >= 1
    post_form(signed_in, f"/school/hulpvragen/{row.id}/afsluiten", {}, page="/school/hulpvragen")
    _db.session.refresh(row)
    assert row.status == RequestStatus.CLOSED
    # A repeat click is harmless, and a closed request cannot be edited.
    response = post_form(
        signed_in, f"/school/hulpvragen/{row.id}/annuleren", {}, page="/school/hulpvragen"
    )
    assert response.status_code == 302
    _db.session.refresh(row)
    assert row.status == RequestStatus.CLOSED
    assert signed_in.get(f"/school/hulpvragen/{row.id}/wijzigen").status_code == 404


def test_copy_from_last_school_year(signed_in, school, offers, coordinator):
    this_year = school_year_of(utcnow().date())
    start = int(this_year[:4])
    old = make_request(
        school,
        status=RequestStatus.CLOSED,
        school_year=f"{start - 1}-{start}",
        period_from=date(start, 3, 1),
        period_to=date(start, 3, 31),
    )
    page = signed_in.get("/school/hulpvragen").get_data(as_text=True)
    assert f"/school/hulpvragen/{old.id}/kopieren" in page
    response = post_form(
        signed_in, f"/school/hulpvragen/{old.id}/kopieren", {}, page="/school/hulpvragen"
    )
    assert response.status_code == 302
    copy = _db.session.scalar(sa.select(SchoolRequest).where(SchoolRequest.id != old.id))
    assert copy.status == RequestStatus.OPEN
    assert copy.school_year == this_year
    assert copy.period_from == date(start + 1, 3, 1)
    assert copy.kinds == old.kinds
    assert copy.created_by_id == coordinator.id
