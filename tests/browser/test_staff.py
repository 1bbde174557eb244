"""A new staff member enrols with TOTP, approves an intake and an introduction, sees both
emails, records an outcome and downloads the yearly XLSX, in Chromium."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import openpyxl
import pyotp
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.models import (
    Contact,
    Introduction,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    OutboxEmail,
    Region,
    SchoolRequest,
    utcnow,
)
from onderwijsplatform.services import demo, followup, introductions, pool
from tests.browser.conftest import demo_app, guarded_context, nav_to, serving
from tests.factories import delivered_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    """The demo region plus a pending intake, a requested introduction and an enrol link."""
    app = demo_app(tmp_path_factory.mktemp("staff-browser"))
    with app.app_context():
        region = db.session.scalar(sa.select(Region).where(Region.code == "assen"))
        org = Organisation(
            region_id=region.id,
            type=OrganisationType.COMPANY,
            status=OrganisationStatus.PENDING_REVIEW,
            name="Zonnewerf Drenthe B.V.",
            postcode="9401",
            place="Assen",
            lat=52.99,
            lon=6.56,
        )
        pool.join(org, region.id, now=utcnow())
        db.session.add(org)
        db.session.flush()
        db.session.add(
            Contact(organisation_id=org.id, name="Sanne Zon", email="sanne@zonnewerf.example")
        )
        pending = Offer(
            organisation_id=org.id,
            status=OfferStatus.PENDING_REVIEW,
            kinds=["gastles"],
            sectors=["pie"],
            target_groups=["vmbo_bovenbouw"],
            postcode="9401",
            place="Assen",
            lat=52.99,
            lon=6.56,
            description="Gastles zonnepanelen",
        )
        pool.offer_in(pending, region.id, now=utcnow())
        db.session.add(pending)
        request = db.session.scalar(sa.select(SchoolRequest).order_by(SchoolRequest.id))
        offer = db.session.scalar(
            sa.select(Offer).where(Offer.status == OfferStatus.ACTIVE).order_by(Offer.id)
        )
        intro = Introduction(
            request_id=request.id,
            offer_id=offer.id,
            requested_by_id=request.created_by_id,
            message="Graag in maart",
        )
        db.session.add(intro)
        staff_email = demo._load()["staff"][0]["email"]
        invitation = staff_accounts.enrol_link(staff_email, now=utcnow())
        db.session.commit()
        link = f"/staff/aanmelden/{invitation.raw_token}"
        intro_id = intro.id
    with serving(app) as base:
        yield app, base, link, intro_id, staff_email


@pytest.fixture
def staff_page(browser, staff_server):
    _app, base, _link, _intro, _email = staff_server
    context, tab = guarded_context(browser, base, accept_downloads=True)
    yield tab
    context.close()


def test_staff_member_runs_the_whole_chain(staff_page, staff_server, screenshot, axe):
    app, _base, link, intro_id, staff_email = staff_server
    page = staff_page
    violations: dict[str, list[str]] = {}

    # 1. Enrol: QR code and key, password, a code from the authenticator.
    page.goto(link)
    secret = page.locator("#totp-secret").inner_text()
    assert page.locator(".qr-code svg").count() == 1
    violations["enrol"] = axe(page)
    screenshot(page, "1-enrol")
    page.get_by_label("Wachtwoord", exact=True).fill("een lange zin als wachtwoord")
    page.get_by_label("Wachtwoord nogmaals").fill("een lange zin als wachtwoord")
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Account instellen").click()
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "2-recovery-codes")
    if "auth.login" in app.view_functions:
        # Sign out and in again: password, then a code from the authenticator (the next
        # time step: the enrolment's code works only once).
        page.get_by_role("button", name="Uitloggen").click()
        page.goto("/inloggen")
        page.get_by_label("E-mailadres").fill(staff_email)
        page.get_by_label("Wachtwoord").fill("een lange zin als wachtwoord")
        page.get_by_role("button", name="Inloggen").last.click()
        page.get_by_label("Code uit de app of herstelcode").fill(
            pyotp.TOTP(secret).at(time.time() + 30)
        )
        violations["second-factor"] = axe(page)
        screenshot(page, "2b-second-factor")
        page.get_by_role("button", name="Inloggen").last.click()
        page.goto("/staff/")
    else:
        page.get_by_role("link", name=re.compile("naar het dashboard")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")
    violations["dashboard"] = axe(page)
    screenshot(page, "3-dashboard")

    # 2. Approve the pending intake.
    nav_to(page, "Aanmeldingen")
    assert "Zonnewerf Drenthe" in page.content()
    violations["moderation"] = axe(page)
    screenshot(page, "4-moderation")
    page.get_by_role("button", name="Goedkeuren").first.click()
    assert "is goedgekeurd" in page.content()

    # 3. Approve the requested introduction.
    nav_to(page, "Introducties")
    violations["introductions"] = axe(page)
    page.get_by_role("link", name=f"#{intro_id}").click()
    violations["introduction"] = axe(page)
    screenshot(page, "5-introduction")
    page.get_by_role("button", name=re.compile("Goedkeuren en beide kanten mailen")).click()
    assert "Goedgekeurd" in page.content()

    # 4. Both emails in the mail view.
    nav_to(page, "E-mail")
    assert page.get_by_text(re.compile("^Introductie:")).count() == 2
    screenshot(page, "6-mail")

    # 5. A date was agreed (yesterday is refused); after it, the job asks for the outcome.
    page.goto(f"/staff/introducties/{intro_id}")
    with app.app_context():
        today = introductions.earliest_agreed_date(utcnow())
    page.get_by_label("Afgesproken datum").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Datum vastleggen").click()
    expect(page.get_by_text("Kies vandaag of een dag in de toekomst.")).to_be_visible()
    page.get_by_label("Afgesproken datum").fill(today.isoformat())
    page.get_by_role("button", name="Datum vastleggen").click()
    assert "Datum vastgelegd" in page.content()
    with app.app_context():
        followup.ask_outcomes(utcnow() + timedelta(days=1))
        db.session.commit()
        body = delivered_text(
            db.session.scalar(
                sa.select(OutboxEmail).where(
                    OutboxEmail.dedupe_key == f"outcome:{intro_id}:company"
                )
            )
        )
        db.session.remove()
    outcome_path = re.search(r"(/terugkoppeling/\S+)", body).group(1)
    page.goto(outcome_path)
    violations["outcome"] = axe(page)
    screenshot(page, "7-outcome-form")
    page.get_by_label("Ja").check()
    page.get_by_label("Aantal leerlingen").fill("24")
    page.get_by_label("Uren die het bedrijf gaf").fill("3")
    page.get_by_label("Waarde van materialen in euro").fill("€ 50,00")
    page.get_by_role("button", name="Versturen").click()
    assert "Dank u wel" in page.content()

    # 6. The ledger and the XLSX download.
    page.goto("/staff/cofinanciering")
    assert re.search(r"€\s230,00", page.locator("main").inner_text())  # 3 h × €60 + €50
    violations["ledger"] = axe(page)
    screenshot(page, "8-ledger")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("XLSX")).click()
    book = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    rows = list(book["Per bedrijf"].iter_rows(values_only=True))
    assert rows[2][1:] == (1, 24, 3.0, 50.0, 230.0)
    nav_to(page, "Logboek")
    assert "export" in page.content()
    violations["audit"] = axe(page)

    assert {name: found for name, found in violations.items() if found} == {}
    assert page.outside_requests == []
