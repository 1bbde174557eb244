"""Self-service by link: open, edit, pause, export, erase; foreign ids answer 404."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Contact,
    Introduction,
    Offer,
    OfferStatus,
    Organisation,
    OutboxEmail,
    utcnow,
)
from onderwijsplatform.services import self_service
from tests.conftest import csrf_token_from
from tests.factories import delivered_text, make_company, make_contact, make_offer, make_request

OFFER_BODY = {
    "kinds": ["gastles"],
    "target_groups": ["vmbo_bovenbouw"],
    "where": ["op_school"],
    "themes": "lassen",
    "travel_km": "20",
    "whole_year": "y",
    "description": "Lassen voor beginners.",
}


def _open(client, contact):
    url = self_service.self_service_link(contact, utcnow())
    path = re.sub(r"^https?://[^/]+", "", url)
    page = client.get(path)
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    return path


def _company():
    organisation = make_company()
    contact = make_contact(organisation, email="els@bouwbedrijf-els.nl")
    offer = make_offer(organisation, contact_id=contact.id)
    return organisation, contact, offer


def _csrf(client, path="/mijn-aanbod"):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_without_session_redirects_to_link_request(client):
    response = client.get("/mijn-aanbod")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mijn-aanbod/link")


def test_link_get_and_head_do_not_use_it(client):
    _org, contact, _offer = _company()
    url = self_service.self_service_link(contact, utcnow())
    path = re.sub(r"^https?://[^/]+", "", url)
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
    assert client.get("/mijn-aanbod").status_code == 302  # no session from a GET
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert client.get("/mijn-aanbod").status_code == 200
    assert client.post(path, data={"csrf_token": token}).status_code == 404  # single use


def test_edit_active_offer_keeps_it_active(client, monkeypatch):
    _org, contact, offer = _company()
    calls = []
    monkeypatch.setattr(self_service.suggestions, "on_offer_changed", lambda: calls.append(1))
    _open(client, contact)
    path = f"/mijn-aanbod/aanbod/{offer.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Monteurs laten zien" in page
    response = client.post(path, data={**OFFER_BODY, "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    offer = db.session.get(Offer, offer.id)
    assert offer.status == OfferStatus.ACTIVE
    assert offer.themes == ["lassen"]
    assert calls == [1]


def test_bad_offer_edit_shows_message_and_changes_nothing(client):
    _org, contact, offer = _company()
    _open(client, contact)
    path = f"/mijn-aanbod/aanbod/{offer.id}"
    token = _csrf(client, path)
    body = {**OFFER_BODY, "capacity": "99999999999", "description": "x\x00", "csrf_token": token}
    html = client.post(path, data=body).get_data(as_text=True)
    assert 'id="capacity-error"' in html
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).themes == ["zonnepanelen"]


def test_pause_resume_withdraw(client, monkeypatch):
    _org, contact, offer = _company()
    monkeypatch.setattr(self_service.suggestions, "on_offer_changed", lambda: None)
    _open(client, contact)
    path = f"/mijn-aanbod/aanbod/{offer.id}/status"
    for action, status in [
        ("pause", OfferStatus.PAUSED),
        ("resume", OfferStatus.ACTIVE),
        ("not_this_year", OfferStatus.NOT_THIS_YEAR),
        ("withdraw", OfferStatus.WITHDRAWN),
    ]:
        client.post(path, data={"action": action, "csrf_token": _csrf(client)})
        db.session.expire_all()
        assert db.session.get(Offer, offer.id).status == status
    client.post(path, data={"action": "resume", "csrf_token": _csrf(client)})
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).status == OfferStatus.WITHDRAWN


def test_pending_offer_cannot_be_made_active_by_pause_resume(client):
    organisation, contact, _offer = _company()
    pending = make_offer(organisation, status=OfferStatus.PENDING_REVIEW)
    _open(client, contact)
    path = f"/mijn-aanbod/aanbod/{pending.id}/status"
    client.post(path, data={"action": "resume", "csrf_token": _csrf(client)})
    db.session.expire_all()
    assert db.session.get(Offer, pending.id).status == OfferStatus.PENDING_REVIEW


def test_foreign_and_missing_offer_ids_are_404(client):
    _org, contact, _offer = _company()
    foreign = make_offer(make_company())
    _open(client, contact)
    token = _csrf(client)
    for offer_id in (foreign.id, 999999, 0, 99999999999):
        assert client.get(f"/mijn-aanbod/aanbod/{offer_id}").status_code == 404
        response = client.post(
            f"/mijn-aanbod/aanbod/{offer_id}/status", data={"action": "pause", "csrf_token": token}
        )
        assert response.status_code == 404
    assert client.get("/mijn-aanbod/aanbod/abc").status_code == 404
    db.session.expire_all()
    assert db.session.get(Offer, foreign.id).status == OfferStatus.ACTIVE


def test_add_offer_goes_to_review(client):
    organisation, contact, _offer = _company()
    _open(client, contact)
    token = _csrf(client, "/mijn-aanbod/aanbod/nieuw")
    response = client.post("/mijn-aanbod/aanbod/nieuw", data={**OFFER_BODY, "csrf_token": token})
    assert response.status_code == 302
    newest = db.session.scalar(sa.select(Offer).order_by(Offer.id.desc()))
    assert newest.status == OfferStatus.PENDING_REVIEW
    assert newest.organisation_id == organisation.id


def test_contact_update_and_export(client):
    _org, contact, _offer = _company()
    _open(client, contact)
    token = _csrf(client, "/mijn-aanbod/contactgegevens")
    body = {"name": "Els de Bouwer", "role": "Eigenaar", "phone": "0612345678", "language": "en"}
    response = client.post("/mijn-aanbod/contactgegevens", data={**body, "csrf_token": token})
    assert response.status_code == 302
    export = client.get("/mijn-aanbod/gegevens.json")
    assert export.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(export.get_data(as_text=True))
    assert data["contacts"][0]["name"] == "Els de Bouwer"
    assert data["contacts"][0]["phone"] == "+31612345678"
    assert data["offers"][0]["themes"] == ["zonnepanelen"]


def test_bad_contact_language_is_refused(client):
    _org, contact, _offer = _company()
    _open(client, contact)
    token = _csrf(client, "/mijn-aanbod/contactgegevens")
    body = {"name": "Els", "language": "de", "csrf_token": token}
    html = client.post("/mijn-aanbod/contactgegevens", data=body).get_data(as_text=True)
    assert 'id="foutmeldingen"' in html


def test_erase_without_history_deletes_everything(client):
    organisation, contact, _offer = _company()
    org_id = organisation.id
    _open(client, contact)
    token = _csrf(client, "/mijn-aanbod/verwijderen")
    response = client.post("/mijn-aanbod/verwijderen", data={"csrf_token": token})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Organisation, org_id) is None
    assert db.session.scalar(sa.select(Contact).where(Contact.email.like("els@%"))) is None
    assert client.get("/mijn-aanbod").status_code == 302


def test_erase_with_introductions_anonymises_and_withdraws(client, monkeypatch):
    monkeypatch.setattr(self_service.suggestions, "on_offer_changed", lambda: None)
    _organisation, contact, offer = _company()
    request = make_request()
    db.session.add(Introduction(request_id=request.id, offer_id=offer.id))
    db.session.flush()
    _open(client, contact)
    token = _csrf(client, "/mijn-aanbod/verwijderen")
    client.post("/mijn-aanbod/verwijderen", data={"csrf_token": token})
    db.session.expire_all()
    kept = db.session.get(Contact, contact.id)
    assert kept.name == "[verwijderd]"
    assert "els@" not in kept.email
    assert db.session.get(Offer, offer.id).status == OfferStatus.WITHDRAWN
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 1


def test_request_link_same_answer_known_or_unknown(client):
    _company()
    answers = []
    for email in ("els@bouwbedrijf-els.nl", "niemand@nergens.nl"):
        token = _csrf(client, "/mijn-aanbod/link")
        response = client.post("/mijn-aanbod/link", data={"email": email, "csrf_token": token})
        answers.append((response.status_code, response.headers["Location"]))
    assert answers[0] == answers[1]
    mails = db.session.scalars(sa.select(OutboxEmail)).all()
    assert [m.to_addr for m in mails] == ["els@bouwbedrijf-els.nl"]
    assert mails[0].template == "self_service_link"
    assert "/mijn-aanbod/open/" not in mails[0].body_text  # stored masked (issue 16)
    assert "/mijn-aanbod/open/" in delivered_text(mails[0])
    # A second request within ten minutes sends nothing more.
    token = _csrf(client, "/mijn-aanbod/link")
    client.post("/mijn-aanbod/link", data={"email": "els@bouwbedrijf-els.nl", "csrf_token": token})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 1


def test_request_link_bad_email_gets_message(client):
    token = _csrf(client, "/mijn-aanbod/link")
    body = {"email": "a@x.nl\r\nBcc: b@y.nl", "csrf_token": token}
    html = client.post("/mijn-aanbod/link", data=body).get_data(as_text=True)
    assert 'id="email-error"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0


def test_session_expires_after_an_hour(client):
    _org, contact, _offer = _company()
    _open(client, contact)
    with client.session_transaction() as session:
        scope = dict(session["self_service"])
        scope["until"] = (utcnow() - timedelta(seconds=1)).timestamp()
        session["self_service"] = scope
    assert client.get("/mijn-aanbod").status_code == 302


def test_a_company_adds_and_leaves_regions_by_itself(client):
    from onderwijsplatform.models import Approval, OfferRegion
    from tests.factories import make_region

    organisation, contact, offer = _company()
    twente = make_region(code="twente-zelf", name="STO Twente")
    closed = make_region(code="dicht", name="STO Dicht", intake_open=False)
    home = organisation.region
    _open(client, contact)
    page = client.get("/mijn-aanbod/regios").get_data(as_text=True)
    assert "STO Twente" in page
    assert "STO Dicht" not in page  # closed to new companies
    response = client.post(
        "/mijn-aanbod/regios",
        data={"csrf_token": _csrf(client), "regions": [home.code, twente.code]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {(m.region_id, m.status) for m in organisation.memberships} == {
        (home.id, Approval.APPROVED),
        (twente.id, Approval.PENDING),
    }
    row = db.session.get(OfferRegion, (offer.id, twente.id))
    assert row.status is Approval.PENDING
    index = client.get("/mijn-aanbod").get_data(as_text=True)
    assert "STO Twente" in index
    assert "wacht op het regioteam" in index
    # Nothing chosen, or a closed region forged in: refused next to the field, nothing changed.
    for regions in ([], [closed.code], ["bestaat-niet"]):
        response = client.post(
            "/mijn-aanbod/regios", data={"csrf_token": _csrf(client), "regions": regions}
        )
        assert response.status_code == 200
        assert 'id="regions-error"' in response.get_data(as_text=True)
    # Leaving the home region: the other one becomes home, the offer leaves it too.
    response = client.post(
        "/mijn-aanbod/regios", data={"csrf_token": _csrf(client), "regions": [twente.code]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert organisation.region_id == twente.id
    assert [r.region_id for r in offer.availability] == [twente.id]


def test_an_offer_says_in_which_of_the_company_s_regions_it_is(client):
    from onderwijsplatform.models import Approval, OrganisationRegion
    from tests.factories import make_region

    organisation, contact, offer = _company()
    other = make_region(code="drenthe-zuid", name="STO Zuid")
    organisation.memberships.append(
        OrganisationRegion(region_id=other.id, status=Approval.APPROVED)
    )
    db.session.flush()
    home = organisation.region
    _open(client, contact)
    page = client.get(f"/mijn-aanbod/aanbod/{offer.id}").get_data(as_text=True)
    assert "In welke van uw regio's" in page
    assert "STO Zuid" in page
    path = f"/mijn-aanbod/aanbod/{offer.id}"
    body = {**OFFER_BODY, "csrf_token": _csrf(client, path)}
    response = client.post(path, data={**body, "regions": [home.code, other.code]})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {(r.region_id, r.status) for r in offer.availability}
    assert rows == {(home.id, Approval.APPROVED), (other.id, Approval.PENDING)}
    response = client.post(path, data={**body, "regions": []})
    assert response.status_code == 200
    assert "Kies minstens één regio." in response.get_data(as_text=True)
    response = client.post(path, data={**body, "regions": ["niet-van-mij"]})
    assert response.status_code == 200
    response = client.post(path, data={**body, "regions": [other.code]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.region_id for r in offer.availability] == [other.id]
