"""Public pages, language switch, error pages, CSRF and security headers."""

from __future__ import annotations

from tests.conftest import csrf_token_from


def test_home_is_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Samen meer leerlingen voor de techniek" in html
    assert "Privacyverklaring" in html


def test_language_switch_to_english_and_back(client):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/taal/en", data={"csrf_token": token, "next": "/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/privacy")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "More pupils into technology, together" in html
    token = csrf_token_from(html)
    client.post("/taal/nl", data={"csrf_token": token})
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_offsite_next(client):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x"):
        response = client.post("/taal/en", data={"csrf_token": token, "next": target})
        assert response.headers["Location"] in ("/", "http://localhost/")


def test_unknown_language_is_404(client):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/taal/de", data={"csrf_token": token}).status_code == 404


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/taal/en")
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.get_data(as_text=True)
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_friendly_404_without_internals(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html
    assert "Traceback" not in html


def test_get_on_post_route_is_405(client):
    assert client.get("/taal/en").status_code == 405


def test_too_large_body_gets_friendly_413(client):
    response = client.post(
        "/taal/en",
        data="x=" + "a" * 600_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "Te veel gegevens" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_bootstrap_is_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower()
    assert 'href="/bootstrap/static/css/bootstrap.min.css' in html
    response = client.get("/bootstrap/static/css/bootstrap.min.css")
    assert response.status_code == 200
    response.close()


def test_privacy_statement_names_legal_basis(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "gerechtvaardigd belang" in html
    assert "Autoriteit Persoonsgegevens" in html
    assert "GeoNames" in html


def test_security_txt(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert "Contact: mailto:" in response.get_data(as_text=True)


def test_healthz_reports_the_database_and_the_outbox_backlog(client, db):
    from datetime import timedelta

    from onderwijsplatform.mail import outbox
    from onderwijsplatform.models import utcnow

    empty = client.get("/healthz")
    assert empty.status_code == 200
    assert empty.json == {
        "ok": True,
        "database": "ok",
        "outbox": {"backlog": 0, "oldest_pending_seconds": None},
    }
    outbox.enqueue_test_mail("iemand@school.example", now=utcnow() - timedelta(minutes=10))
    outbox.enqueue_test_mail("ander@school.example")
    body = client.get("/healthz").get_data(as_text=True)
    report = client.get("/healthz").json
    assert report["outbox"]["backlog"] == 2
    assert 590 <= report["outbox"]["oldest_pending_seconds"] <= 700
    assert "@" not in body  # no addresses, no names


def test_healthz_says_503_when_the_database_is_gone(app, client, db, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from onderwijsplatform.services import health

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(health.db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"ok": False, "database": "unreachable", "outbox": None}
