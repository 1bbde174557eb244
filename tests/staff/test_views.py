"""Staff pages through the test client: approve twice, moderation, ledger, exports, audit."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from onderwijsplatform.models import (
    AuditEvent,
    DuplicateFlag,
    IntroductionState,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationStatus,
    OutboxEmail,
    Outcome,
    utcnow,
)
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_company, make_contact, make_offer


def _token(client, path="/staff/introducties"):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _outbox(db):
    return db.session.scalar(sa.select(sa.func.count(OutboxEmail.id)))


def test_pages_render(client, world):
    sign_in(client, world.staff)
    for path in (
        "/staff/",
        "/staff/aanmeldingen",
        "/staff/introducties",
        "/staff/logboek",
        "/staff/cofinanciering",
        f"/staff/introducties/{world.intro.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "style=" not in response.get_data(as_text=True).split("<main", 1)[1]


def test_double_click_approve_sends_one_pair_and_says_who(client, db, world):
    sign_in(client, world.staff)
    token = _token(client)
    path = f"/staff/introducties/{world.intro.id}/goedkeuren"
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    second = client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert second.status_code == 200
    assert "al goedgekeurd door" in second.get_data(as_text=True)
    assert world.staff.name in second.get_data(as_text=True)
    assert _outbox(db) == 2


def test_approve_without_csrf_is_refused(client, db, world):
    sign_in(client, world.staff)
    response = client.post(f"/staff/introducties/{world.intro.id}/goedkeuren")
    assert response.status_code == 400
    assert _outbox(db) == 0


def test_get_never_approves(client, db, world):
    sign_in(client, world.staff)
    assert client.get(f"/staff/introducties/{world.intro.id}/goedkeuren").status_code == 405


def test_decline_with_empty_reason_keeps_state(client, db, world):
    sign_in(client, world.staff)
    response = client.post(
        f"/staff/introducties/{world.intro.id}/afwijzen",
        data={"csrf_token": _token(client), "reason": "   "},
    )
    assert response.status_code == 422
    assert "Dit veld is verplicht." in response.get_data(as_text=True)
    db.session.refresh(world.intro)
    assert world.intro.state is IntroductionState.REQUESTED
    assert _outbox(db) == 0


def test_propose_from_suggestion(client, db, world):
    from onderwijsplatform.models import MatchSuggestion

    offer = make_offer(world.company)
    suggestion = MatchSuggestion(
        request_id=world.request.id,
        offer_id=offer.id,
        score=0.8,
        reasons=["soort: gastles"],
        algorithm_version="t",
    )
    db.session.add(suggestion)
    db.session.flush()
    sign_in(client, world.staff)
    page = client.get("/staff/introducties").get_data(as_text=True)
    assert "soort: gastles" in page
    response = client.post(
        f"/staff/suggesties/{suggestion.id}/voorstellen", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 302


def _pending(world):
    org = make_company(world.region, status=OrganisationStatus.PENDING_REVIEW, name="Nieuw BV")
    contact = make_contact(org)
    offer = make_offer(org, status=OfferStatus.PENDING_REVIEW, contact_id=contact.id)
    return org, contact, offer


def test_moderation_approve_activates_and_matches(client, db, world):
    org, _contact, offer = _pending(world)
    db.session.add(
        DuplicateFlag(
            organisation_id=org.id,
            other_id=world.company.id,
            reason="same_domain",
            detail="bedrijf.example",
        )
    )
    db.session.flush()
    sign_in(client, world.staff)
    page = client.get("/staff/aanmeldingen").get_data(as_text=True)
    assert "Nieuw BV" in page
    assert "same_domain" in page
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/goedkeuren", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 302
    db.session.refresh(org)
    db.session.refresh(offer)
    assert org.status is OrganisationStatus.ACTIVE
    assert offer.status is OfferStatus.ACTIVE
    assert (
        db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_id == org.id))
        == "organisation.approve"
    )


def test_moderation_reject_emails_the_reason(client, db, world):
    org, contact, _offer = _pending(world)
    sign_in(client, world.staff)
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/afwijzen",
        data={"csrf_token": _token(client), f"reject{org.id}-reason": "Geen techniek"},
    )
    assert response.status_code == 302
    mail = db.session.scalar(sa.select(OutboxEmail))
    assert mail.to_addr == contact.email
    assert "Geen techniek" in mail.body_text


def test_moderation_merge_moves_offers_and_contacts(client, db, world):
    org, contact, offer = _pending(world)
    sign_in(client, world.staff)
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/samenvoegen",
        data={
            "csrf_token": _token(client),
            f"merge{org.id}-into": str(world.company.id),
            f"merge{org.id}-confirmed": "yes",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert org.status is OrganisationStatus.MERGED
    assert org.merged_into_id == world.company.id
    assert db.session.get(Offer, offer.id).organisation_id == world.company.id
    assert contact.organisation_id == world.company.id
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.merge")
    )
    assert event.details["into"] == world.company.id


def test_merge_into_foreign_organisation_is_refused(client, db, world, other):
    org, _c, _o = _pending(world)
    sign_in(client, world.staff)
    response = client.post(
        f"/staff/aanmeldingen/{org.id}/samenvoegen",
        data={
            "csrf_token": _token(client),
            f"merge{org.id}-into": str(other.company.id),
            f"merge{org.id}-confirmed": "yes",
        },
    )
    assert response.status_code == 422
    db.session.refresh(org)
    assert org.status is OrganisationStatus.PENDING_REVIEW


def _completed(db, world, hours="3", materials=12550):
    world.intro.state = IntroductionState.COMPLETED
    world.intro.decided_at = utcnow()
    world.intro.agreed_date = datetime.now(UTC).date()
    outcome = Outcome(
        introduction_id=world.intro.id,
        took_place=True,
        pupils=24,
        company_hours=hours,
        materials_cents=materials,
        activity_date=utcnow(),
        company_confirmed_at=utcnow(),
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def test_xlsx_export_reads_back_and_is_audited(client, db, world):
    _completed(db, world)
    world.company.name = '=HYPERLINK("http://x","y")'
    db.session.flush()
    sign_in(client, world.staff)
    response = client.get("/staff/export/company.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Per bedrijf"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Bedrijf"
    assert rows[2][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[2][1:] == (1, 24, 3.0, 125.5, 305.5)  # 3 h × €60 + €125.50
    assert [r[0] for r in book["Activiteiten"].iter_rows(values_only=True)][1] == "Datum"
    assert db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "export"))


def test_csv_export_escapes_formulas(client, db, world):
    _completed(db, world)
    world.school.name = "@SUM(1)"
    db.session.flush()
    sign_in(client, world.staff)
    text = client.get("/staff/export/school.csv").data.decode("utf-8-sig")
    assert text.splitlines()[1] == "'@SUM(1);1;24;3,0;125,50;305,50"


def test_ledger_correction_is_audited(client, db, world):
    outcome = _completed(db, world)
    sign_in(client, world.staff)
    path = f"/staff/cofinanciering/{outcome.id}"
    page = client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(page),
            "pupils": "30",
            "hours": "4,5",
            "materials": "0",
            "note": "Nagebeld",
        },
    )
    assert response.status_code == 302
    db.session.refresh(outcome)
    assert outcome.company_hours == 4.5
    assert outcome.pupils == 30
    assert outcome.materials_cents == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "outcome.correct"))
    assert event.details["before"]["pupils"] == 24
    assert event.details["note"] == "Nagebeld"
    ledger = client.get("/staff/cofinanciering").get_data(as_text=True)
    assert "€\xa0270,00" in ledger  # Babel's Dutch money
    assert "outcome.correct" in client.get("/staff/logboek").get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/introducties/{id}/antwoord/company",
        "/staff/introducties/{id}/status/geannuleerd",
        "/staff/introducties/{id}/datum",
    ],
)
def test_follow_up_posts_without_csrf_are_refused(client, world, path):
    sign_in(client, world.staff)
    response = client.post(path.format(id=world.intro.id), data={"day": "2027-03-01"})
    assert response.status_code == 400
    assert world.intro.state.value == "requested"
