"""Helpers for the intake tests: a valid form body and a poster that fills it in."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import Contact, Offer, Organisation, OutboxEmail
from tests.conftest import csrf_token_from


def valid_body(**overrides) -> dict:
    """A complete, valid intake post (without CSRF token and start moment)."""
    body = {
        "org_name": "Installatiebedrijf Hofman B.V.",
        "kvk_number": "12345678",
        "website": "https://www.hofman.example",
        "postcode": "9401 AB",
        "place": "Assen",
        "contact_name": "Jan Hofman",
        "contact_role": "Werkplaatsleider",
        "email": "jan@hofman-installatie.nl",
        "phone": "06-12345678",
        "contributions-0-kinds": ["gastles", "bedrijfsbezoek"],
        "contributions-0-sectors": ["pie"],
        "contributions-0-themes": "zonnepanelen, warmtepompen",
        "contributions-0-target_groups": ["vmbo_bovenbouw"],
        "contributions-0-where": ["op_school"],
        "contributions-0-travel_km": "30",
        "contributions-0-capacity": "25",
        "contributions-0-yearly_limit": "4",
        "contributions-0-whole_year": "y",
        "contributions-0-description": "Onze monteurs laten zien hoe een warmtepomp werkt.",
        "action": "submit",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def counts() -> tuple[int, int, int, int]:
    """Rows of organisations, contacts, offers and outbox emails."""
    return tuple(
        _db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Organisation, Contact, Offer, OutboxEmail)
    )


@pytest.fixture
def post_intake(client, app):
    """Post the intake form the way a browser does: token from the page, start 10 s ago."""
    from onderwijsplatform.forms.intake import sign_started

    def post(body: dict, *, started: float | None = None, **kwargs):
        page = client.get("/bedrijven/aanmelden")
        token = csrf_token_from(page.get_data(as_text=True))
        with app.test_request_context():
            stamp = sign_started(started if started is not None else time.time() - 10)
        data = {"csrf_token": token, "started": stamp, **body}
        return client.post("/bedrijven/aanmelden", data=data, **kwargs)

    return post
