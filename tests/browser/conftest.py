"""A live server on a file SQLite database with the demo region, and a Chromium page."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db
from onderwijsplatform.services import demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Without these, Chromium tries Google's hosts at start-up, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def demo_app(folder: Path) -> Flask:
    """An app on a file SQLite database in ``folder`` (threads share it), demo data seeded."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'platform.sqlite'}",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
    return app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app.config["PUBLIC_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Flask:
    """The app that ``live_server`` serves; a test may change its config (monkeypatch.setitem)."""
    return demo_app(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the demo-seeded ``live_app`` on a free loopback port; yields its base URL."""
    with serving(live_app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def guarded_context(browser, base_url: str, **options):
    """A browser context (own cookies) that refuses every request off this machine.

    Returns ``(context, page)``; ``page.outside_requests`` lists what was refused.
    """
    # No CSS transitions: axe must judge the colours a page settles on, not a fade.
    options.setdefault("reduced_motion", "reduce")
    context = browser.new_context(base_url=base_url, locale="nl-NL", **options)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(base_url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.outside_requests = outside
    return context, tab


@pytest.fixture
def page(browser, live_server):
    context, tab = guarded_context(browser, live_server)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-artifacts/screenshots/<test>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe():
    """Run axe-core (shipped by axe-playwright-python) on a page; return serious+critical issues."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def run(page) -> list[str]:
        # A click starts a navigation without waiting for its stylesheets; judge the
        # page once it has loaded, or unstyled links are measured against the navbar.
        page.wait_for_load_state("load")
        results = checker.run(page)
        found = []
        for violation in results.response["violations"]:
            if violation.get("impact") in ("serious", "critical"):
                targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
                found.append(f"{violation['id']} ({violation['impact']}): {targets}")
        return found

    return run


STAFF_PASSWORD = "een lange zin als wachtwoord"


def enrol(page, link: str, password: str = STAFF_PASSWORD) -> None:
    """Follow a staff enrolment link to the end: password, authenticator, recovery codes."""
    import re

    import pyotp

    page.goto(link)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Wachtwoord nogmaals").fill(password)
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Account instellen").click()
    page.get_by_role("link", name=re.compile("Ik heb ze bewaard")).click()


def nav_to(page, name: str) -> None:
    """Follow a link of the main menu as a user would: open the folded menu and "Meer" first."""
    page.wait_for_load_state("load")  # before its stylesheet, the folded menu's button shows
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    link = nav.get_by_role("link", name=name, exact=True)
    toggler = nav.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        nav.locator("#hoofdmenu.show").wait_for()
    if not link.is_visible():
        nav.get_by_role("button", name="Meer").click()
    link.click()
