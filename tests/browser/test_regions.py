"""A region admin keeps the region's settings and holidays; a national viewer reads totals."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.models import Region, utcnow
from tests.browser.conftest import demo_app, enrol, guarded_context, nav_to, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def regions_server(tmp_path_factory):
    """The demo regions, and enrolment links for Assen's admin and a national viewer."""
    app = demo_app(tmp_path_factory.mktemp("regions-browser"))
    with app.app_context():
        home = db.session.scalar(sa.select(Region).where(Region.code == "assen"))
        links = {}
        for email, flag in (("beheer@sto.example", "region_admin"), ("dus@sto.example", "viewer")):
            invitation = staff_accounts.create_staff(
                email,
                name=email.split("@")[0],
                admin=False,
                region_admin=flag == "region_admin",
                national_viewer=flag == "viewer",
                region_code=home.code,
                now=utcnow(),
            )
            links[email] = f"/staff/aanmelden/{invitation.raw_token}"
        db.session.commit()
    with serving(app) as base:
        yield base, links


def test_region_admin_keeps_settings_and_holidays(browser, regions_server, screenshot, axe):
    base, links = regions_server
    context, page = guarded_context(browser, base)
    try:
        enrol(page, links["beheer@sto.example"])
        nav_to(page, "Regio")
        found = {"settings": axe(page)}
        page.get_by_label("Uurtarief voor cofinanciering (euro)").fill("62 euro")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Vul een getal in van 0 tot en met 1000").first).to_be_visible()
        assert page.get_by_label("Naam van de regio").input_value()  # typed values stay
        found["settings-error"] = axe(page)
        page.get_by_label("Uurtarief voor cofinanciering (euro)").fill("62,50")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("De instellingen van de regio zijn opgeslagen.")).to_be_visible()
        assert page.get_by_label("Uurtarief voor cofinanciering (euro)").input_value() == "62,50"
        page.get_by_label("Naam", exact=True).fill("Kerstvakantie")
        page.get_by_label("Eerste dag").fill("2026-12-19")
        page.get_by_label("Laatste dag").fill("2027-01-03")
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.get_by_text("Kerstvakantie: 19 december 2026")).to_be_visible()
        found["holidays"] = axe(page)
        screenshot(page, "regions-1-settings")
        page.get_by_role("link", name=re.compile("Het regioteam")).click()
        page.get_by_label("Naam").fill("Nina Nieuw")
        page.get_by_label("E-mailadres").fill("nina@regio.example")
        page.get_by_role("button", name="Uitnodigen").click()
        expect(page.get_by_text("Uitnodiging verstuurd naar nina@regio.example")).to_be_visible()
        found["team"] = axe(page)
        page.set_viewport_size({"width": 375, "height": 800})
        page.reload()
        found["team-phone"] = axe(page)
        page.goto("/staff/regio")
        found["holidays-phone"] = axe(page)
        screenshot(page, "regions-2-settings-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert {name: issues for name, issues in found.items() if issues} == {}
        assert page.outside_requests == []
    finally:
        context.close()


def test_national_viewer_lands_on_the_totals(browser, regions_server, screenshot, axe):
    base, links = regions_server
    context, page = guarded_context(browser, base)
    try:
        enrol(page, links["dus@sto.example"])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Landelijk overzicht")
        assert "STO-regio Twente" in page.content()
        assert "@" not in page.locator("main").inner_text()  # no address of anyone
        found = axe(page)
        screenshot(page, "regions-3-national")
        assert found == []
        assert page.outside_requests == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_visitor_finds_the_region_and_browses_its_catalogue(
    browser, regions_server, screenshot, axe, width
):
    base, _links = regions_server
    context, page = guarded_context(browser, base, viewport={"width": width, "height": 900})
    try:
        page.goto("/")
        page.locator("#regios").get_by_role("link", name=re.compile("Assen")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Assen")
        found = {"region": axe(page)}
        page.get_by_role("link", name="Bekijk het aanbod").click()
        expect(page.get_by_text(re.compile(r"\d+ aanbiedingen gevonden"))).to_be_visible()
        found["catalogue"] = axe(page)
        page.get_by_label("Soort hulp").select_option("bedrijfsbezoek")
        page.get_by_label("Postcode of plaats").fill("9401")
        page.get_by_role("button", name="Zoeken").click()
        expect(page).to_have_url(re.compile(r"kind=bedrijfsbezoek"))
        assert "@" not in page.locator("main").inner_text()  # no contact details
        found["filtered"] = axe(page)
        screenshot(page, f"regions-4-catalogue-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto("/r/assen/embed")
        found["embed"] = axe(page)
        assert {name: issues for name, issues in found.items() if issues} == {}
        assert page.outside_requests == []
    finally:
        context.close()
