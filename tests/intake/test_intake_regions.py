"""Intake in a region's context: the company chooses the regions it serves."""

from __future__ import annotations

import re

import sqlalchemy as sa

from onderwijsplatform.models import Approval, Offer, Organisation
from tests.factories import GRONINGEN, make_company, make_region
from tests.intake.conftest import counts, valid_body


def _regions(db):
    assen = make_region(code="assen", name="STO Assen")
    groningen = make_region(code="groningen", name="STO Groningen")
    twente = make_region(code="twente", name="STO Twente")
    # Where each region lies comes from the organisations it holds.
    make_company(assen)
    make_company(groningen, **GRONINGEN)
    make_company(twente, postcode="7511", place="Enschede", lat=52.2215, lon=6.8937)
    return assen, groningen, twente


def test_the_page_region_comes_first_and_is_chosen(client, db):
    _regions(db)
    page = client.get("/bedrijven/aanmelden?regio=twente").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="regions"[^>]*>', page)
    assert [re.search(r'value="([^"]+)"', box).group(1) for box in boxes] == [
        "twente",
        "assen",
        "groningen",
    ]
    assert [" checked" in box for box in boxes] == [True, False, False]
    names = [name for name in ("STO Twente", "STO Assen", "STO Groningen") if name in page]
    assert names == ["STO Twente", "STO Assen", "STO Groningen"]
    assert page.index("STO Twente") < page.index("STO Assen") < page.index("STO Groningen")
    # From Assen's page, Groningen (25 km) comes before Twente (about 80 km).
    page = client.get("/bedrijven/aanmelden?regio=assen").get_data(as_text=True)
    assert (
        page.index('value="assen"') < page.index('value="groningen"') < page.index('value="twente"')
    )


def test_a_company_signs_up_for_two_regions(client, db, post_intake):
    assen, groningen, _twente = _regions(db)
    response = post_intake(valid_body(regions=["groningen", "assen"]))
    assert response.status_code == 302
    org = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Installatiebedrijf Hofman B.V.")
    )
    assert org.region_id == groningen.id  # the first chosen is its home
    assert sorted((m.region_id, m.status) for m in org.memberships) == sorted(
        [(assen.id, Approval.PENDING), (groningen.id, Approval.PENDING)]
    )
    offer = db.session.scalar(sa.select(Offer).where(Offer.organisation_id == org.id))
    assert sorted(r.region_id for r in offer.availability) == sorted([assen.id, groningen.id])


def test_no_region_chosen_is_refused_next_to_the_field(client, db, post_intake):
    _regions(db)
    before = counts()
    response = post_intake(valid_body())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies minstens één regio." in page
    assert "Installatiebedrijf Hofman B.V." in page  # what was typed stays
    assert counts() == before


def test_a_forged_or_closed_region_is_refused(client, db, post_intake):
    _assen, _groningen, twente = _regions(db)
    before = counts()
    response = post_intake(valid_body(regions=["bestaat-niet"]))
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in response.get_data(as_text=True)
    twente.intake_open = False
    db.session.flush()
    page = client.get("/bedrijven/aanmelden").get_data(as_text=True)
    assert "STO Twente" not in page
    response = post_intake(valid_body(regions=["twente"]))
    assert response.status_code == 200
    assert counts() == before
