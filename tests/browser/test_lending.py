"""Lending in Chromium: the region adds a kit of 15 sets, a school reserves 3 for weeks 40-42,
the desk approves, hands out and takes back one part short, and a late school is reminded."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.models import (
    LendingItem,
    Loan,
    LoanState,
    Organisation,
    OutboxEmail,
    User,
    utcnow,
)
from onderwijsplatform.services import demo, lending_reminders
from tests.browser.conftest import demo_app, enrol, guarded_context, serving

pytestmark = pytest.mark.browser

COORDINATOR = "w.bos@daltonvmbo-assen.example"
LATE_SCHOOL = "CBS De Zonnewijzer"
PHONE = {"width": 390, "height": 844}


def _week_40() -> date:
    year = utcnow().date().year + 1
    return date.fromisocalendar(year, 40, 1)


@pytest.fixture(scope="module")
def lending_server(tmp_path_factory):
    app = demo_app(tmp_path_factory.mktemp("lending-browser"))
    with app.app_context():
        staff_email = demo._load()["staff"][0]["email"]
        invitation = staff_accounts.enrol_link(staff_email, now=utcnow())
        db.session.commit()
        link = f"/staff/aanmelden/{invitation.raw_token}"
    with serving(app) as base:
        yield app, base, link


def _sign_in_coordinator(page) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(COORDINATOR)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()


def _late_loan(app) -> str:
    """Another school kept two sets of the new kit past their return date."""
    with app.app_context():
        item = db.session.scalar(
            sa.select(LendingItem).where(LendingItem.title == "Leskist Bruggen")
        )
        school = db.session.scalar(sa.select(Organisation).where(Organisation.name == LATE_SCHOOL))
        coordinator = db.session.scalar(sa.select(User).where(User.school_id == school.id))
        today = utcnow().date()
        loan = Loan(
            item_id=item.id,
            school_id=school.id,
            coordinator_id=coordinator.id,
            sets=2,
            starts_on=today - timedelta(days=30),
            ends_on=today - timedelta(days=9),
            state=LoanState.OUT,
        )
        db.session.add(loan)
        db.session.commit()
        return coordinator.email


def test_a_kit_goes_round_the_lending_desk(browser, lending_server, screenshot, axe):
    app, base, link = lending_server
    violations: dict[str, list[str]] = {}
    staff_context, desk = guarded_context(browser, base)
    school_context, school = guarded_context(browser, base)
    phone_context, phone = guarded_context(browser, base, viewport=PHONE)

    # 1. The region adds a kit of 15 sets with its components.
    enrol(desk, link)
    desk.goto("/staff/uitleen")
    violations["desk"] = axe(desk)
    desk.get_by_role("link", name="Nieuwe uitleenset").click()
    desk.get_by_label("Naam").fill("Leskist Bruggen")
    desk.get_by_label("Aantal sets").fill("15")
    desk.get_by_label("Onderdelen per set").fill("4 krokodillenklemmen\n-1 multimeter")
    desk.get_by_role("button", name="Opslaan").click()
    assert desk.locator("#components-error").is_visible()
    violations["item-error"] = axe(desk)
    screenshot(desk, "1-kit-error")
    desk.get_by_label("Onderdelen per set").fill("4 krokodillenklemmen\n1 multimeter\n2 balken")
    desk.get_by_label("Goedkeuring").select_option("owner")
    desk.get_by_label("Hoogstens per school tegelijk (sets)").fill("4")
    desk.get_by_role("button", name="Opslaan").click()
    assert "De uitleenset is opgeslagen" in desk.content()
    screenshot(desk, "2-desk")

    # 2. A coordinator reserves 3 sets for weeks 40-42; first too many, then right.
    _sign_in_coordinator(school)
    school.get_by_role("link", name="Materiaal lenen").click()
    assert school.get_by_text(re.compile("Leskist Bruggen")).count() >= 1
    violations["catalogue"] = axe(school)
    screenshot(school, "3-catalogue")
    school.get_by_role("link", name="Leskist Bruggen").click()
    start = _week_40()
    school.get_by_label("Aantal sets").fill("16")
    school.get_by_label("Ophalen of bezorgen op").fill(start.isoformat())
    school.get_by_label("Terugbrengen op").fill((start + timedelta(days=18)).isoformat())
    school.get_by_role("button", name="Reserveren").click()
    assert school.locator("#sets-error").inner_text().startswith("In deze periode zijn er nog 15")
    violations["reserve-error"] = axe(school)
    screenshot(school, "4-reserve-error")
    school.get_by_label("Aantal sets").fill("3")
    school.get_by_role("button", name="Reserveren").click()
    assert "Uw reservering is aangevraagd" in school.content(), school.locator(
        ".invalid-feedback"
    ).all_inner_texts()
    violations["my-loans"] = axe(school)
    screenshot(school, "5-my-loans")

    # 3. The desk approves, checks the kit out against its list, takes it back one short.
    desk.goto("/staff/uitleen")
    desk.get_by_role("link", name="Leskist Bruggen").first.click()
    desk.get_by_role("button", name="Goedkeuren").click()
    assert "De reservering is goedgekeurd" in desk.content()
    for box in desk.get_by_role("checkbox").all():
        box.check()
    violations["check-out"] = axe(desk)
    desk.get_by_role("button", name="Uitgeven").click()
    assert "De sets zijn uitgegeven" in desk.content()
    desk.get_by_label("Complete sets terug").fill("2")
    desk.get_by_label("Kwijt: multimeter").fill("1")
    violations["check-in"] = axe(desk)
    screenshot(desk, "6-check-in")
    desk.get_by_role("button", name="Innemen").click()
    assert "Deels terug" in desk.content()
    assert "multimeter: 1 kwijt, 0 kapot" in desk.content()
    screenshot(desk, "7-short")

    # 4. A second school kept its sets too long: the overdue reminder reaches it.
    late = _late_loan(app)
    with app.app_context():
        lending_reminders.send_reminders(utcnow())
        db.session.commit()
        subject = db.session.scalar(
            sa.select(OutboxEmail.subject).where(
                OutboxEmail.to_addr == late, OutboxEmail.template == "loan_update"
            )
        )
    assert subject.startswith("Te laat: Leskist Bruggen")
    desk.goto("/staff/uitleen")
    assert desk.get_by_text("te laat").count() == 1
    violations["desk-overdue"] = axe(desk)
    screenshot(desk, "8-overdue")

    # 5. The same pages on a phone.
    _sign_in_coordinator(phone)
    phone.goto("/school/uitlenen")
    violations["phone-catalogue"] = axe(phone)
    screenshot(phone, "9-phone-catalogue")
    phone.get_by_role("link", name="Leskist Bruggen").click()
    violations["phone-item"] = axe(phone)
    screenshot(phone, "10-phone-item")
    school.goto("/r/assen/uitlenen")  # the region's public page of kits
    assert "Leskist Bruggen" in school.content()
    violations["public"] = axe(school)
    screenshot(school, "11-public-kits")

    for context in (staff_context, school_context, phone_context):
        context.close()
    assert {page: found for page, found in violations.items() if found} == {}
