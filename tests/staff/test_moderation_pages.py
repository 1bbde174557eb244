"""The moderation queue: offers in words, a merge chosen on purpose and confirmed, and the
company told when it goes live."""

from __future__ import annotations

import re

import sqlalchemy as sa

from onderwijsplatform.models import OfferStatus, Organisation, OrganisationStatus, OutboxEmail
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_contact, make_offer


def _token(client):
    return csrf_token_from(client.get("/staff/aanmeldingen").get_data(as_text=True))


def _pending(world):
    org = make_company(world.region, status=OrganisationStatus.PENDING_REVIEW, name="Zon B.V.")
    contact = make_contact(org, name="Sanne Zon")
    offer = make_offer(
        org,
        status=OfferStatus.PENDING_REVIEW,
        contact_id=contact.id,
        kinds=["gastles"],
        target_groups=["vmbo_bovenbouw"],
        place="Assen",
        available=[{"from": "2027-03-01", "to": "2027-04-30"}],
        description="Een gastles over zonnepanelen " + "en nog veel meer " * 20 + "EINDE",
    )
    return org, contact, offer


def test_offers_read_in_words_and_the_merge_list_has_no_preset(client, db, world):
    org, _contact, _offer = _pending(world)
    sign_in(client, world.staff)
    page = client.get("/staff/aanmeldingen").get_data(as_text=True)
    assert "Gastles" in page
    assert "gastles:" not in page
    assert "vmbo_bovenbouw" not in page
    assert "1 mrt 2027 – 30 apr 2027" in page
    assert "EINDE" in page  # the whole text, not cut off
    select = re.search(rf'<select[^>]*id="merge{org.id}-[^"]*into".*?</select>', page, re.S)
    assert select, "no merge list"
    assert "selected" not in select.group(0)
    assert re.search(r'<option[^>]*value=""[^>]*>Kies een bedrijf', select.group(0))
    assert "required" in select.group(0)


def test_a_merge_without_a_choice_is_refused_next_to_the_field(client, db, world):
    org, _contact, _offer = _pending(world)
    sign_in(client, world.staff)
    code = world.region.code  # as the queue's form posts it
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/samenvoegen?regio={code}",
        data={"csrf_token": _token(client), f"merge{org.id}-{code}-into": ""},
    )
    assert response.status_code == 422
    assert "Kies het bedrijf waarmee u wilt samenvoegen." in response.get_data(as_text=True)
    assert db.session.get(Organisation, org.id).status is OrganisationStatus.PENDING_REVIEW


def test_a_merge_asks_for_confirmation_naming_both(client, db, world):
    org, _contact, _offer = _pending(world)
    sign_in(client, world.staff)
    into = {"csrf_token": _token(client), f"merge{org.id}-into": str(world.company.id)}
    response = client.post(f"/staff/aanmeldingen/{org.id}/samenvoegen", data=into)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Samenvoegen bevestigen" in page
    assert "Zon B.V." in page
    assert world.company.name in page
    assert db.session.get(Organisation, org.id).status is OrganisationStatus.PENDING_REVIEW
    confirmed = {**into, f"merge{org.id}-confirmed": "yes"}
    response = client.post(f"/staff/aanmeldingen/{org.id}/samenvoegen", data=confirmed)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).status is OrganisationStatus.MERGED


def test_approval_emails_the_company_that_it_is_live(client, db, world):
    org, contact, _offer = _pending(world)
    sign_in(client, world.staff)
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/goedkeuren", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 302
    mails = db.session.scalars(
        sa.select(OutboxEmail).where(OutboxEmail.template == "organisation_approved")
    ).all()
    assert [m.to_addr for m in mails] == [contact.email]
    mail = mails[0]
    assert world.region.name in mail.subject
    assert "Zon B.V. goedgekeurd" in mail.body_text
    assert "- Gastles op school (vmbo leerjaar 3–4), Assen" in mail.body_text
    assert f"/r/{world.region.code}/aanbod" in mail.body_text
    assert mail.dedupe_key.startswith(f"moderation:{org.id}:{world.region.id}:approved:")
