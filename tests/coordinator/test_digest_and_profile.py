"""The daily digest job and the school profile form."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import MatchSuggestion, utcnow
from onderwijsplatform.services import digest, suggestions
from tests.coordinator.conftest import outbox_rows, post_form
from tests.factories import make_request


def _suggested(school):
    row = make_request(school)
    suggestions.refresh([row])
    for s in suggestions.visible_for(row):
        s.score = 0.9
    _db.session.flush()
    return row


def test_digest_is_sent_once_a_day_with_unsubscribe(coordinator, school, offers):
    _suggested(school)
    now = utcnow()
    assert digest.send_due(now) == 1
    assert digest.send_due(now) == 0  # safe to run twice
    [mail] = outbox_rows("digest")
    assert mail.to_addr == coordinator.email
    assert "/school/profiel" in mail.body_text
    assert "Afmelden" in mail.body_text
    assert offers[0].organisation.name in mail.body_text
    assert "geheim@bedrijf.example" not in mail.body_text
    assert all(s.notified_at is not None for s in _db.session.scalars(sa.select(MatchSuggestion)))
    assert coordinator.last_digest_at == now
    # Nothing new tomorrow: no email.
    assert digest.send_due(now + timedelta(days=1)) == 0


def test_digest_respects_the_switch_and_the_threshold(app, coordinator, school, offers):
    _suggested(school)
    coordinator.digest_enabled = False
    assert digest.send_due() == 0
    coordinator.digest_enabled = True
    app.config["DIGEST_MIN_SCORE"] = 0.95
    try:
        assert digest.send_due() == 0
    finally:
        del app.config["DIGEST_MIN_SCORE"]
    assert digest.send_due() == 1


def test_digest_job_is_registered(runner, coordinator, school, offers):
    _suggested(school)
    result = runner.invoke(args=["jobs", "digest"])
    assert result.exit_code == 0, result.output
    assert "digest" in result.output


def test_profile_saves_and_geocodes(signed_in, coordinator, school):
    data = {
        "name": "Vakcollege Noord",
        "brin_code": "12ab",
        "school_type": "vmbo",
        "postcode": "9711ab",
        "place": "",
        "sectors": ["pie", "bwi"],
        "contact_name": "Sanne de Vries",
        "phone": "06-12345678",
        "language": "en",
    }
    response = post_form(signed_in, "/school/profiel", data)
    assert response.status_code == 302
    _db.session.refresh(school)
    _db.session.refresh(coordinator)
    assert school.brin_code == "12AB"
    assert school.postcode == "9711 AB"
    assert school.place
    assert school.lat > 53
    assert coordinator.phone == "+31612345678"
    assert coordinator.digest_enabled is False
    assert coordinator.language == "en"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("brin_code", "ABCD", "2 cijfers en 2 letters"),
        ("postcode", "0123 AB", "postcode"),
        ("postcode", "1234 SS", "postcode"),
        ("phone", "abc", "geldig telefoonnummer"),
        ("phone", "1" * 1000, "geldig telefoonnummer"),
        ("name", "", "Vul de naam van de school in."),
        ("name", "x" * 201, "hooguit 200 tekens"),
        ("name", "Evil\u202eschool", "onzichtbare tekens"),
        ("contact_name", "a\x00b", "niet zijn toegestaan"),
        ("school_type", "uni", "Kies een van de mogelijkheden"),
    ],
)
def test_profile_bad_input(signed_in, school, field, value, message):
    data = {
        "name": "Vakcollege Noord",
        "school_type": "vmbo",
        "postcode": "9401",
        "contact_name": "Sanne",
        "language": "nl",
        field: value,
    }
    before = (school.name, school.postcode)
    response = post_form(signed_in, "/school/profiel", data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message.lower() in body.lower()
    assert f'id="{field}-error"' in body
    _db.session.refresh(school)
    assert (school.name, school.postcode) == before
