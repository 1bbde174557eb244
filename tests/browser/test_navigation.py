"""Every staff menu link can be reached at laptop, desktop and phone widths, and no staff page
scrolls sideways."""

from __future__ import annotations

import pytest

from onderwijsplatform.extensions import db
from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.models import utcnow
from tests.browser.conftest import demo_app, enrol, guarded_context, nav_to, serving

pytestmark = pytest.mark.browser

# The platform admin sees the longest menu: every staff page plus "Regio" and "Landelijk".
LINKS = {
    "Dashboard": "/staff/",
    "Aanmeldingen": "/staff/aanmeldingen",
    "Introducties": "/staff/introducties",
    "Cofinanciering": "/staff/cofinanciering",
    "Uitnodigen": "/staff/uitnodigingen/",
    "E-mail": "/staff/mail/",
    "Logboek": "/staff/logboek",
    "Regio": "/staff/regio",
    "Landelijk": "/landelijk/",
}
WIDTHS = (1024, 1280, 375)


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    app = demo_app(tmp_path_factory.mktemp("nav-browser"))
    links = {}
    with app.app_context():
        for width in WIDTHS:  # an enrolment link works once: one admin per width
            invitation = staff_accounts.create_staff(
                f"admin{width}@sto.example",
                name=f"Beheer {width}",
                admin=True,
                region_code="assen",
                now=utcnow(),
            )
            links[width] = f"/staff/aanmelden/{invitation.raw_token}"
        db.session.commit()
    with serving(app) as base:
        yield base, links


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_staff_link_is_reachable_and_no_page_scrolls_sideways(
    browser, admin_server, screenshot, axe, width
):
    base, links = admin_server
    context, page = guarded_context(browser, base, viewport={"width": width, "height": 900})
    try:
        enrol(page, links[width])
        page.goto("/staff/")
        # In one line at 1280 px: the brand, the main links and the buttons share a top.
        if width >= 1200:
            tops = page.evaluate(
                "[...document.querySelectorAll('#hoofdmenu > .navbar-nav > .nav-item, "
                "#hoofdmenu > form')].map(e => Math.round(e.getBoundingClientRect().top))"
            )
            assert max(tops) - min(tops) < 16, tops
        sideways, found = [], {}
        for name, path in LINKS.items():
            nav_to(page, name)
            page.wait_for_url(f"**{path}")
            if _scrolls_sideways(page):
                sideways.append(name)
            found[name] = axe(page)
        screenshot(page, f"{width}-last")
        # The ledger with a row in it is the widest table.
        page.goto("/staff/cofinanciering")
        assert not _scrolls_sideways(page)
        assert sideways == []
        assert {name: issues for name, issues in found.items() if issues} == {}
        assert page.outside_requests == []
    finally:
        context.close()
