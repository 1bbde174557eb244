"""The suggestions page, asking for an introduction, dismissing, and my introductions."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.extensions import db as _db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    MatchSuggestion,
    SuggestionState,
)
from onderwijsplatform.services import suggestions
from tests.coordinator.conftest import post_form
from tests.factories import make_request


def _ranked(school):
    row = make_request(school)
    suggestions.refresh([row])
    return row, suggestions.visible_for(row)


def test_page_shows_score_reasons_and_no_contact_details(signed_in, school, offers):
    row, shown = _ranked(school)
    assert shown
    page = signed_in.get(f"/school/hulpvragen/{row.id}").get_data(as_text=True)
    assert shown[0].offer.organisation.name in page
    for reason in shown[0].reasons:
        assert str(reason).split("<")[0][:10] in page
    assert "progress-bar" in page
    assert "aria-valuenow" in page
    assert any(label in page for label in ("Zeer goed", "Goed", "Redelijk"))
    assert "geheim@bedrijf.example" not in page
    assert "+31612345678" not in page
    assert "Contact " not in page


def test_english_reasons(signed_in, school, offers):
    row, shown = _ranked(school)
    token = signed_in.get("/").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    signed_in.post("/taal/en", data={"csrf_token": csrf_token_from(token), "next": "/"})
    page = signed_in.get(f"/school/hulpvragen/{row.id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert shown[0].reasons_en[0].split("<")[0][:10] in page


def test_filters(signed_in, school, offers):
    row, shown = _ranked(school)
    page = signed_in.get(f"/school/hulpvragen/{row.id}?kind=bedrijfsbezoek").get_data(as_text=True)
    assert "Zonnebouw Noord" in page or "Geen suggesties met deze filters." in page
    page = signed_in.get(f"/school/hulpvragen/{row.id}?kind=bogus&max_km=abc").get_data(
        as_text=True
    )
    assert all(s.offer.organisation.name in page for s in shown)


def test_ask_for_an_introduction_twice_makes_one(signed_in, school, offers, coordinator):
    row, shown = _ranked(school)
    target = shown[0]
    path = f"/school/hulpvragen/{row.id}/suggesties/{target.id}/introductie"
    page = f"/school/hulpvragen/{row.id}"
    data = {f"s{target.id}-intro-message": "Graag in maart."}
    assert post_form(signed_in, path, data, page=page).status_code == 302
    assert post_form(signed_in, path, data, page=page).status_code == 302
    [intro] = _db.session.scalars(sa.select(Introduction)).all()
    assert intro.state == IntroductionState.REQUESTED
    assert intro.requested_by_id == coordinator.id
    assert intro.message == "Graag in maart."
    _db.session.refresh(target)
    assert target.state == SuggestionState.INTRODUCTION_REQUESTED
    mine = signed_in.get("/school/introducties").get_data(as_text=True)
    assert target.offer.organisation.name in mine
    assert "Het regioteam bekijkt uw aanvraag" in mine


def test_dismiss_needs_a_reason_and_is_final(signed_in, school, offers):
    row, shown = _ranked(school)
    target = shown[0]
    path = f"/school/hulpvragen/{row.id}/suggesties/{target.id}/niet-passend"
    page = f"/school/hulpvragen/{row.id}"
    response = post_form(signed_in, path, {f"s{target.id}-dismiss-note": "x"}, page=page)
    assert response.status_code == 422
    assert "Kies een reden." in response.get_data(as_text=True)
    response = post_form(
        signed_in,
        path,
        {f"s{target.id}-dismiss-reason": "te_ver", f"s{target.id}-dismiss-note": "1 uur rijden"},
        page=page,
    )
    assert response.status_code == 302
    _db.session.refresh(target)
    assert target.state == SuggestionState.DISMISSED
    assert (target.dismiss_reason, target.dismiss_note) == ("te_ver", "1 uur rijden")
    suggestions.refresh([row])
    assert target.offer_id not in {s.offer_id for s in suggestions.visible_for(row)}
    # Asking for an introduction afterwards does nothing.
    intro = f"/school/hulpvragen/{row.id}/suggesties/{target.id}/introductie"
    post_form(signed_in, intro, {}, page=page)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 0


def test_overlong_introduction_message_is_refused(signed_in, school, offers):
    row, shown = _ranked(school)
    target = shown[0]
    path = f"/school/hulpvragen/{row.id}/suggesties/{target.id}/introductie"
    response = post_form(
        signed_in,
        path,
        {f"s{target.id}-intro-message": "x" * 2001},
        page=f"/school/hulpvragen/{row.id}",
    )
    assert response.status_code == 422
    assert "hooguit 2000 tekens" in response.get_data(as_text=True)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 0
    assert _db.session.get(MatchSuggestion, target.id).state == SuggestionState.SUGGESTED
