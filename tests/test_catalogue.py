"""The public pages of a region: figures, a catalogue with filters and pages, and an embed."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import OfferStatus, OrganisationStatus, Region
from tests.factories import make_company, make_contact, make_offer, make_region, make_school

ZWOLLE = {"postcode": "8011", "place": "Zwolle", "lat": 52.5125, "lon": 6.0944}


@pytest.fixture
def region(db):
    region = make_region(code="assen", name="STO Assen", introduction="Techniek in Drenthe.")
    make_school(region)
    bakker = make_company(region, name="Bakker Installatie B.V.")
    make_contact(bakker, email="jan@bakker.example", phone="+31612345678")
    make_offer(bakker, kinds=["gastles"], sectors=["pie"], where=["op_school", "online"])
    make_offer(make_company(region, name="Zwols Bouw"), kinds=["bedrijfsbezoek"], **ZWOLLE)
    make_offer(make_company(region, name="Pauze B.V."), status=OfferStatus.PAUSED)
    make_offer(make_company(region, name="Nieuw B.V.", status=OrganisationStatus.PENDING_REVIEW))
    other = make_region(code="twente", name="STO Twente")
    make_offer(make_company(other, name="Twentse Techniek"))
    return region


def _names(page: str) -> list[str]:
    return re.findall(r'<h2 class="h5 mb-1">([^<]+)</h2>', page)


def test_the_region_page_shows_its_figures(client, region):
    page = client.get("/r/assen/").get_data(as_text=True)
    assert "STO Assen" in page
    assert "Techniek in Drenthe." in page
    assert client.get("/r/bestaat-niet/").status_code == 404
    assert "STO Assen" in client.get("/").get_data(as_text=True)  # the home page's list


def test_the_catalogue_lists_active_offers_of_the_region_without_contacts(client, region):
    page = client.get("/r/assen/aanbod").get_data(as_text=True)
    assert _names(page) == ["Bakker Installatie B.V.", "Zwols Bouw"]
    for private in ("jan@bakker.example", "+31612345678", "612345678"):
        assert private not in page


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("soort=x", None),
        ("kind=bedrijfsbezoek", ["Zwols Bouw"]),
        ("sector=pie", ["Bakker Installatie B.V.", "Zwols Bouw"]),
        ("online=y", ["Bakker Installatie B.V."]),
        ("near=9401&within_km=10", ["Bakker Installatie B.V."]),
        ("near=Zwolle&within_km=5", ["Zwols Bouw"]),
        ("target_group=po", []),
        ("target_group=vmbo_bovenbouw", ["Bakker Installatie B.V.", "Zwols Bouw"]),
    ],
)
def test_filters_narrow_the_catalogue(client, region, query, names):
    response = client.get(f"/r/assen/aanbod?{query}")
    assert response.status_code == 200
    if names is not None:
        assert _names(response.get_data(as_text=True)) == names


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=ruimtevaart", "Kies"),
        ("sector=%00", "Kies een van de mogelijkheden uit de lijst."),
        ("within_km=veel", "Vul een heel getal in van 1 tot en met 300"),
        ("within_km=99999999999999999999", "Vul een heel getal in van 1 tot en met 300"),
        ("near=Atlantis", "Deze postcode of plaats kennen we niet."),
        ("pagina=-5", None),
        ("pagina=99999999999", None),
    ],
)
def test_bad_filters_are_explained_and_never_a_500(client, region, query, message):
    response = client.get(f"/r/assen/aanbod?{query}")
    assert response.status_code in (200, 400)
    if message:
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_pages_of_twenty_with_shareable_links(client, db):
    region = make_region(code="groot", name="Groot")
    company = make_company(region, name="Veel Aanbod")
    for _ in range(45):
        make_offer(company)
    first = client.get("/r/groot/aanbod?kind=gastles").get_data(as_text=True)
    assert len(_names(first)) == 20
    assert "45 aanbiedingen gevonden." in first
    assert "/r/groot/aanbod?kind=gastles&amp;pagina=3" in first
    third = client.get("/r/groot/aanbod?kind=gastles&pagina=3").get_data(as_text=True)
    assert len(_names(third)) == 5


def test_only_the_embed_may_be_framed(client, region):
    embed = client.get("/r/assen/embed")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert "<nav" not in embed.get_data(as_text=True)
    normal = client.get("/r/assen/aanbod")
    assert normal.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in normal.headers["Content-Security-Policy"]


def test_a_visitor_finds_the_region_by_postcode(client, db, region):
    other = db.session.scalar(sa.select(Region).where(Region.code == "twente"))
    make_school(other, postcode="7511", place="Enschede", lat=52.2215, lon=6.8937)
    response = client.get("/regio-zoeken?near=9401+AB")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/r/assen/")
    response = client.get("/regio-zoeken?near=Enschede")
    assert response.headers["Location"].endswith("/r/twente/")
    for bad, message in (("", "Dit veld is verplicht."), ("Nergenshuizen", "kennen we niet")):
        response = client.get(f"/regio-zoeken?near={bad}")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="near-error"' in page
        assert message in page
        assert f'value="{bad}"' in page or not bad
