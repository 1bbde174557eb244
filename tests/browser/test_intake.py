"""A company finds the landing page, signs up (fixing a mistake), confirms and edits its offer."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import OutboxEmail
from tests.factories import delivered_text

pytestmark = pytest.mark.browser


def _latest_mail(live_app, to: str) -> str:
    """The text of the newest outbox email to ``to`` as the mail worker would send it."""
    with live_app.app_context():
        row = db.session.scalar(
            sa.select(OutboxEmail).where(OutboxEmail.to_addr == to).order_by(OutboxEmail.id.desc())
        )
        assert row, f"no email to {to}"
        text = delivered_text(row)
        db.session.remove()
    return text


def _link(text: str, path: str) -> str:
    match = re.search(rf"https?://[^\s]+{path}[^\s]+", text)
    assert match, text
    return match.group(0)


@pytest.fixture
def no_minimum_fill_time(live_app, monkeypatch):
    """The form discards posts made faster than a person types (INTAKE_MIN_FILL_SECONDS, 3 s
    by default; tests/intake checks that). A browser is faster: lift the minimum for this test
    instead of sleeping it out."""
    monkeypatch.setitem(live_app.config, "INTAKE_MIN_FILL_SECONDS", 0)


@pytest.mark.usefixtures("no_minimum_fill_time")
@pytest.mark.parametrize(
    ("variant", "width", "english"),
    [("desktop-nl", 1280, False), ("phone-nl", 375, False), ("desktop-en", 1280, True)],
)
def test_company_signs_up_confirms_and_edits(
    page, screenshot, axe, live_app, variant, width, english
):
    email = f"werkplaats-{variant}@hofman-{variant}.nl"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/bedrijven")
    if english:
        page.locator("form button[lang=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    assert axe(page) == []
    screenshot(page, "1-landing")

    page.locator("a[href='/bedrijven/aanmelden']").first.click()
    page.fill("#org_name", f"Installatiebedrijf Hofman {variant}")
    page.fill("#postcode", "0123 AB")  # the mistake
    page.fill("#place", "Assen")
    page.fill("#contact_name", "Jan Hofman")
    page.fill("#email", email)
    page.fill("#phone", "06 12345678")
    page.check("input[name='contributions-0-kinds'][value='gastles']")
    page.check("input[name='contributions-0-target_groups'][value='vmbo_bovenbouw']")
    page.check("input[name='contributions-0-where'][value='op_school']")
    page.fill("#contributions-0-themes", "warmtepompen")
    page.fill("#contributions-0-description", "Onze monteurs laten een warmtepomp zien.")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator("#postcode-error").is_visible()
    assert page.input_value("#org_name") == f"Installatiebedrijf Hofman {variant}"
    assert axe(page) == []
    screenshot(page, "2-form-with-error")
    if width <= 375:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.fill("#postcode", "9401 AB")
    page.click("button[value=submit]")
    page.wait_for_url("**/bedrijven/aangemeld")
    screenshot(page, "3-thanks")

    mail = _latest_mail(live_app, email)
    page.goto(_link(mail, "/bedrijven/bevestigen/"))
    screenshot(page, "4-confirm")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/bedrijven/bevestigd")
    screenshot(page, "5-confirmed")

    page.context.clear_cookies()  # later, from another email: the self-service link
    page.goto(_link(mail, "/mijn-aanbod/open/"))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/mijn-aanbod")
    assert axe(page) == []
    screenshot(page, "6-self-service")

    page.locator("main a[href^='/mijn-aanbod/aanbod/']").first.click()
    page.fill("#description", "Nu ook met een zonnepaneel erbij.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/mijn-aanbod")
    assert "Nu ook met een zonnepaneel erbij." in page.content()
    screenshot(page, "7-edited")
    assert page.outside_requests == []
