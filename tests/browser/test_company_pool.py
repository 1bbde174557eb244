"""A visitor finds the region by postcode, a company signs up for two regions, each approves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.models import OutboxEmail, utcnow
from onderwijsplatform.services import demo
from tests.browser.conftest import demo_app, enrol, guarded_context, serving
from tests.factories import delivered_text

pytestmark = pytest.mark.browser
COMPANY = "Warmtewerk Noord B.V."
EMAIL = "planning@warmtewerk-noord.nl"


@pytest.fixture(scope="module")
def pool_server(tmp_path_factory):
    """The three demo regions, and enrolment links for the Assen and Groningen staff."""
    app = demo_app(tmp_path_factory.mktemp("pool-browser"))
    app.config["INTAKE_MIN_FILL_SECONDS"] = 0  # a browser types faster than a person
    links = {}
    with app.app_context():
        for name in ("demo_region.json", "demo_groningen.json"):
            email = demo._load(name)["staff"][0]["email"]
            links[name] = (
                f"/staff/aanmelden/{staff_accounts.enrol_link(email, now=utcnow()).raw_token}"
            )
        db.session.commit()
    with serving(app) as base:
        yield app, base, links


@contextmanager
def _staff_queue(browser, base: str, link: str) -> Iterator[Page]:
    """A new staff member's browser, enrolled and on the moderation queue."""
    context, page = guarded_context(browser, base)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        enrol(page, link)
        page.get_by_role("link", name="Aanmeldingen").click()
        yield page
        assert page.outside_requests == []
    finally:
        context.close()


def _checked_on_phone_too(page, axe) -> list[str]:
    found = axe(page)
    page.set_viewport_size({"width": 375, "height": 800})
    found += axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_a_company_signs_up_for_two_regions_and_each_decides(browser, pool_server, screenshot, axe):
    app, base, links = pool_server
    found: dict[str, list[str]] = {}
    context, page = guarded_context(browser, base)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        # A visitor finds the region by postcode.
        page.goto("/")
        page.get_by_label("Uw postcode of plaats").fill("Nergenshuizen")
        page.get_by_role("button", name="Zoek mijn regio").click()
        expect(page.get_by_text("Deze postcode of plaats kennen we niet.")).to_be_visible()
        assert page.get_by_label("Uw postcode of plaats").input_value() == "Nergenshuizen"
        found["home-error"] = _checked_on_phone_too(page, axe)
        page.get_by_label("Uw postcode of plaats").fill("9712 CP")
        page.get_by_role("button", name="Zoek mijn regio").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("STO-regio Groningen")
        found["region"] = _checked_on_phone_too(page, axe)
        screenshot(page, "1-region")
        # The catalogue lists the company the pool shares with Assen.
        page.get_by_role("link", name="Bekijk het aanbod").click()
        expect(page.get_by_role("heading", name="Klimaattechniek Noord B.V.").first).to_be_visible()
        assert "@" not in page.locator("main").inner_text()
        found["catalogue"] = _checked_on_phone_too(page, axe)
        screenshot(page, "2-catalogue")
        # A company signs up from this region's page, for Groningen and Assen.
        page.go_back()
        page.get_by_role("link", name="Bied als bedrijf hulp aan").click()
        groningen = page.get_by_label("STO-regio Groningen")
        expect(groningen).to_be_checked()
        page.get_by_label("STO-regio Assen en omstreken").check()
        page.fill("#org_name", COMPANY)
        page.fill("#postcode", "9723 BG")
        page.fill("#place", "Groningen")
        page.fill("#contact_name", "Anouk de Vries")
        page.fill("#email", EMAIL)
        page.check("input[name='contributions-0-kinds'][value='gastles']")
        page.check("input[name='contributions-0-target_groups'][value='vmbo_bovenbouw']")
        page.check("input[name='contributions-0-where'][value='op_school']")
        page.fill("#contributions-0-themes", "warmtepompen")
        page.fill("#contributions-0-description", "Een monteur laat een warmtepomp zien.")
        found["intake"] = _checked_on_phone_too(page, axe)
        screenshot(page, "3-intake-regions")
        page.click("button[value=submit]")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Bijna klaar")
        with app.app_context():
            body = delivered_text(
                db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.to_addr == EMAIL))
            )
            db.session.remove()
        page.goto(re.search(r"https?://\S+(/bedrijven/bevestigen/\S+)", body).group(1))
        page.click("main form button[type=submit]")
    finally:
        context.close()

    # Assen's staff approve it for Assen.
    with _staff_queue(browser, base, links["demo_region.json"]) as page:
        card = page.locator("section.card", has_text=COMPANY)
        expect(card).to_contain_text("Werkt in:")
        found["moderation-assen"] = _checked_on_phone_too(page, axe)
        screenshot(page, "4-moderation-assen")
        card.get_by_role("button", name="Goedkeuren").click()
        expect(page.get_by_text(f"{COMPANY} is goedgekeurd.")).to_be_visible()
        expect(page.locator("section.card", has_text=COMPANY)).to_have_count(0)

    # Groningen's staff still have it in their own queue, new there.
    with _staff_queue(browser, base, links["demo_groningen.json"]) as page:
        expect(page.locator("section.card", has_text=COMPANY)).to_contain_text(
            "nieuw in deze regio"
        )
        found["moderation-groningen"] = _checked_on_phone_too(page, axe)
        screenshot(page, "5-moderation-groningen")
    assert {name: issues for name, issues in found.items() if issues} == {}
