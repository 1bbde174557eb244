"""A visitor opens the home page in Chromium, reads it in Dutch, switches to English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_in_dutch_then_english(page, screenshot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Samen meer leerlingen voor de techniek"
    )
    # The demo region shows up in the figures.
    offers = int(page.locator("#cijfers dd").nth(1).inner_text())
    assert offers >= 60
    screenshot(page, "nl")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "More pupils into technology" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "en")

    page.get_by_role("link", name="Privacy statement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy statement"
    assert page.outside_requests == []


def test_phone_sized_window(page, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    screenshot(page, "phone")


def test_unknown_page_is_friendly(page):
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    assert "Pagina niet gevonden" in page.content()


def test_public_pages_have_no_serious_accessibility_issues(page, axe):
    for path in ("/", "/privacy", "/bestaat-niet"):
        page.goto(path)
        assert axe(page) == [], path
