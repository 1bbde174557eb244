"""A new coordinator accepts the invitation, posts a request, dismisses one suggestion and
asks an introduction for another, in Chromium, with screenshots and axe on every page."""

from __future__ import annotations

import gc
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import accounts
from onderwijsplatform.models import Organisation, OutboxEmail, Role, User
from tests.factories import delivered_text

pytestmark = pytest.mark.browser


def _live_app(live_server: str) -> Flask:
    # The fixture yields only the URL; its app is the one whose PUBLIC_URL it is.
    return next(
        obj
        for obj in gc.get_objects()
        if isinstance(obj, Flask) and obj.config.get("PUBLIC_URL") == live_server
    )


def _invite(live_server: str) -> str:
    """Invite a coordinator for a demo vmbo school in the live server's database."""
    app = _live_app(live_server)
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.role == Role.STAFF))
        school = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == "Dalton vmbo Assen")
        )
        user = accounts.invite(
            staff=staff,
            school_id=school.id,
            name="Sanne de Vries",
            email="sanne.browser@dalton.example",
        )
        db.session.commit()
        body = delivered_text(
            db.session.scalar(
                sa.select(OutboxEmail)
                .where(OutboxEmail.to_addr == user.email)
                .order_by(OutboxEmail.id.desc())
            )
        )
    return re.search(r"http://\S+/uitnodiging/\S+", body).group(0)


def test_coordinator_journey(page, live_server, screenshot, axe):
    link = _invite(live_server)

    page.goto(link)
    assert page.get_by_role("heading", name=re.compile("Welkom")).is_visible()
    screenshot(page, "1-invitation")
    assert axe(page) == []
    page.get_by_label("Nieuw wachtwoord").fill("een lange zin als wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een lange zin als wachtwoord")
    page.get_by_role("button", name="Wachtwoord instellen").click()

    page.wait_for_url("**/school/hulpvragen")
    screenshot(page, "2-my-requests")
    assert axe(page) == []
    page.get_by_role("link", name="Nieuwe hulpvraag").click()
    page.get_by_label("Gastles op school").check()
    page.get_by_label("Doelgroep").select_option("vmbo_bovenbouw")
    page.get_by_label("Produceren, Installeren en Energie").check()
    page.get_by_label("Thema's").fill("zonnepanelen, installatietechniek")
    page.get_by_label("Aantal leerlingen").fill("abc")
    page.get_by_label("Omschrijving").fill("Gastles over installatietechniek voor 3 vmbo PIE.")
    page.get_by_role("button", name="Opslaan en suggesties bekijken").click()
    assert page.locator("#group_size-error").is_visible()  # the message sits at the field
    assert page.get_by_label("Omschrijving").input_value().startswith("Gastles over")
    screenshot(page, "3-request-error")
    assert axe(page) == []
    page.get_by_label("Aantal leerlingen").fill("24")
    page.get_by_role("button", name="Opslaan en suggesties bekijken").click()

    page.wait_for_url(re.compile(r".*/school/hulpvragen/\d+$"))
    cards = page.locator("li.card")
    assert cards.count() >= 2
    assert page.get_by_text("Waarom deze suggestie").first.is_visible()
    screenshot(page, "4-suggestions")
    assert axe(page) == []

    # "Niet passend" without a reason, far down a long page: the message stays in view.
    last = cards.nth(cards.count() - 1)
    last.get_by_text("Niet passend", exact=True).click()
    last.get_by_role("button", name="Markeer als niet passend").click()
    page.wait_for_url(re.compile(r".*/niet-passend#niet-passend-\d+$"))
    expect(page.get_by_text("Kies een reden.")).to_be_in_viewport()

    cards = page.locator("li.card")
    first = cards.nth(0)
    dismissed = first.locator("h2").inner_text()
    first.get_by_text("Niet passend", exact=True).click()
    first.get_by_label("Te ver weg").check()
    first.get_by_role("button", name="Markeer als niet passend").click()
    page.wait_for_load_state()
    assert "komt niet meer terug" in page.content()
    assert dismissed not in [h.inner_text() for h in page.locator("li.card h2").all()]
    screenshot(page, "5-dismissed")

    second = page.locator("li.card").nth(0)
    introduced = second.locator("h2").inner_text()
    second.get_by_label("Bericht aan het regioteam (optioneel)").fill("Graag in maart.")
    second.get_by_role("button", name="Vraag introductie aan").click()
    page.wait_for_url("**/school/introducties")
    assert introduced in page.content()
    assert "Het regioteam bekijkt uw aanvraag" in page.content()
    screenshot(page, "6-introductions")
    assert axe(page) == []

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "7-english")
    assert axe(page) == []
    assert page.outside_requests == []
