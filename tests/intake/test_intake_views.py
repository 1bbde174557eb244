"""The intake form end to end through the test client: submit, confirm, expire."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OutboxEmail,
    Token,
    utcnow,
)
from onderwijsplatform.services import intake
from tests.conftest import csrf_token_from
from tests.factories import delivered_text
from tests.intake.conftest import counts, valid_body


def _confirm_link(body_text: str) -> str:
    match = re.search(r"http://\S+/bedrijven/bevestigen/(\S+)", body_text)
    assert match, body_text
    return match.group(1)


def test_landing_page_lists_kinds_and_links_the_form(client):
    html = client.get("/bedrijven").get_data(as_text=True)
    assert "Gastles op school" in html
    assert "/bedrijven/aanmelden" in html


def test_form_links_privacy_and_states_legal_basis(client):
    html = client.get("/bedrijven/aanmelden").get_data(as_text=True)
    assert 'href="/privacy"' in html
    assert "artikel 6 lid 1" in html


def test_valid_intake_stores_unconfirmed_rows_and_one_email(client, post_intake):
    response = post_intake(valid_body())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/bedrijven/aangemeld")
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.status == OrganisationStatus.UNCONFIRMED
    assert organisation.postcode == "9401 AB"
    assert organisation.lat is not None
    contact = organisation.contacts[0]
    assert contact.phone == "+31612345678"
    offer = db.session.scalar(sa.select(Offer))
    assert offer.status == OfferStatus.UNCONFIRMED
    assert offer.themes == ["zonnepanelen", "warmtepompen"]
    assert offer.yearly_limit == 4
    assert offer.available == []
    mail = db.session.scalar(sa.select(OutboxEmail))
    assert mail.template == "intake_confirm"
    assert mail.to_addr == "jan@hofman-installatie.nl"
    # The links sign the company in: stored masked, restored only for delivery.
    assert "/bedrijven/bevestigen/" not in mail.body_text
    assert "/bedrijven/bevestigen/" not in mail.body_html
    assert "/bedrijven/bevestigen/" in delivered_text(mail)
    assert "/mijn-aanbod/open/" in delivered_text(mail)


def test_double_submit_stores_one_intake(client, post_intake, app):
    from onderwijsplatform.forms.intake import sign_started

    with app.test_request_context():
        stamp = sign_started(1_700_000_000)
    page = client.get("/bedrijven/aanmelden")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "started": stamp}
    data.update(valid_body())
    assert client.post("/bedrijven/aanmelden", data=data).status_code == 302
    assert client.post("/bedrijven/aanmelden", data=data).status_code == 302
    assert counts() == (1, 1, 1, 1)


def test_confirm_get_does_not_confirm_post_does(client, post_intake):
    post_intake(valid_body())
    raw = _confirm_link(delivered_text(db.session.scalar(sa.select(OutboxEmail))))
    for _ in range(3):
        page = client.get(f"/bedrijven/bevestigen/{raw}")
        assert page.status_code == 200
        assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.head(f"/bedrijven/bevestigen/{raw}").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(sa.select(Organisation.status)) == OrganisationStatus.UNCONFIRMED
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(f"/bedrijven/bevestigen/{raw}", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.status == OrganisationStatus.PENDING_REVIEW
    assert organisation.contacts[0].email_confirmed_at is not None
    assert db.session.scalar(sa.select(Offer.status)) == OfferStatus.PENDING_REVIEW
    # The confirmation also opened the self-service session.
    assert client.get("/mijn-aanbod").status_code == 200
    # Single use.
    again = client.post(f"/bedrijven/bevestigen/{raw}", data={"csrf_token": token})
    assert again.status_code == 404


def test_confirm_without_csrf_is_refused(client, post_intake):
    post_intake(valid_body())
    raw = _confirm_link(delivered_text(db.session.scalar(sa.select(OutboxEmail))))
    assert client.post(f"/bedrijven/bevestigen/{raw}").status_code == 400
    db.session.expire_all()
    assert db.session.scalar(sa.select(Organisation.status)) == OrganisationStatus.UNCONFIRMED


def test_unknown_confirm_link_is_404(client):
    assert client.get("/bedrijven/bevestigen/nope").status_code == 404


def test_expire_job_deletes_unconfirmed_after_seven_days_and_is_idempotent(
    client, post_intake, app
):
    post_intake(valid_body())
    post_intake(valid_body(email="piet@ander.nl", org_name="Ander B.V."))
    raw = _confirm_link(
        delivered_text(
            db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.to_addr == "piet@ander.nl"))
        )
    )
    token = csrf_token_from(client.get(f"/bedrijven/bevestigen/{raw}").get_data(as_text=True))
    client.post(f"/bedrijven/bevestigen/{raw}", data={"csrf_token": token})
    db.session.expire_all()
    now = utcnow()
    assert intake.expire_intakes(now + timedelta(days=6)) == "0 unconfirmed intakes deleted."
    assert intake.expire_intakes(now + timedelta(days=8)) == "1 unconfirmed intakes deleted."
    assert intake.expire_intakes(now + timedelta(days=8)) == "0 unconfirmed intakes deleted."
    assert counts()[:3] == (1, 1, 1)
    names = db.session.scalars(sa.select(Organisation.name)).all()
    assert names == ["Ander B.V."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 1
    orphan_tokens = db.session.scalar(
        sa.select(sa.func.count()).select_from(Token).where(Token.contact_id.is_(None))
    )
    assert orphan_tokens == 0


def test_expire_job_is_registered(app):
    from onderwijsplatform.services.jobs import registered

    assert "expire-intakes" in [j.name for j in registered()]


def test_add_and_remove_contribution_without_javascript(client, post_intake):
    response = post_intake(valid_body(action="add"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "contributions-1-kinds" in html
    assert 'value="Installatiebedrijf Hofman B.V."' in html
    assert counts() == (0, 0, 0, 0)
    body = valid_body(action="remove-1")
    body["contributions-1-description"] = "tweede"
    html = post_intake(body).get_data(as_text=True)
    assert "contributions-1-kinds" not in html
    assert "Onze monteurs" in html


def test_two_contributions_make_two_offers(client, post_intake):
    body = valid_body()
    body.update(
        {
            "contributions-1-kinds": ["stage_leerling"],
            "contributions-1-target_groups": ["mbo"],
            "contributions-1-where": ["bij_bedrijf"],
            "contributions-1-from_1": "2027-02-01",
            "contributions-1-to_1": "2027-03-31",
            "contributions-1-description": "Snuffelstage in de werkplaats.",
        }
    )
    assert post_intake(body).status_code == 302
    offers = db.session.scalars(sa.select(Offer).order_by(Offer.id)).all()
    assert len(offers) == 2
    assert offers[1].available == [{"from": "2027-02-01", "to": "2027-03-31"}]


def test_honeypot_and_too_fast_are_silently_discarded(client, post_intake):
    assert post_intake(valid_body(homepage="http://spam.example")).status_code == 302
    import time

    assert post_intake(valid_body(), started=time.time()).status_code == 302
    assert post_intake(valid_body(started="forged")).status_code == 302
    assert counts() == (0, 0, 0, 0)


def test_english_form_shows_english_errors(client, post_intake):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/taal/en", data={"csrf_token": token, "next": "/"})
    html = post_intake(valid_body(postcode="0123 AB")).get_data(as_text=True)
    assert "Invalid postcode" in html


def test_extra_fields_are_ignored(client, post_intake):
    post_intake(valid_body(status="active", region_id="999", verified="1"))
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.status == OrganisationStatus.UNCONFIRMED


def test_too_large_body_gets_413_page(client, post_intake):
    response = post_intake(valid_body(**{"contributions-0-description": "x" * 600_000}))
    assert response.status_code == 413
    assert counts() == (0, 0, 0, 0)
