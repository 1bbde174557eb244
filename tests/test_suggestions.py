"""Stored suggestions come from the matching library, follow changes, and respect dismissals."""

from __future__ import annotations

import sqlalchemy as sa

from matching import ALGORITHM_VERSION, MatchIndex
from onderwijsplatform.models import (
    MatchSuggestion,
    Offer,
    OfferStatus,
    SchoolRequest,
    SuggestionState,
)
from onderwijsplatform.services import demo, matching, pool, suggestions


def _suggested(db, request_id: int) -> list[MatchSuggestion]:
    return list(
        db.session.scalars(
            sa.select(MatchSuggestion)
            .where(
                MatchSuggestion.request_id == request_id,
                MatchSuggestion.state == SuggestionState.SUGGESTED,
            )
            .order_by(MatchSuggestion.rank)
        )
    )


def _seeded(db, app):
    demo.seed()
    matching.forget_index()
    report = suggestions.refresh_all()
    requests = db.session.scalars(sa.select(SchoolRequest).order_by(SchoolRequest.id)).all()
    return report, requests


def test_every_open_request_gets_ranked_explained_suggestions(db, app):
    report, requests = _seeded(db, app)
    assert report.requests == len(requests)
    assert report.created > 0
    for request in requests:
        rows = _suggested(db, request.id)
        assert 0 < len(rows) <= app.config["MATCHING_TOP"]
        scores = [row.score for row in rows]
        assert scores == sorted(scores, reverse=True)
        for row in rows:
            assert app.config["MATCHING_MIN_SCORE"] <= row.score <= 1
            assert row.algorithm_version == ALGORITHM_VERSION
            assert any(reason.startswith("soort: ") for reason in row.reasons)
            assert any(reason.startswith("kind: ") for reason in row.reasons_en)


def test_stored_suggestions_are_the_libraries_ranking(db, app):
    _, requests = _seeded(db, app)
    offers = db.session.scalars(sa.select(Offer).where(Offer.status == OfferStatus.ACTIVE)).all()
    index = MatchIndex(matching.offer_inputs(offers), region_names=pool.region_names())
    by_exchange_id = {o.exchange_id: o.id for o in offers}
    for request in requests[:5]:
        expected = [
            (by_exchange_id[m.offer_id], round(m.score, 4))
            for m in index.query(matching.request_input(request), top=app.config["MATCHING_TOP"])
            if m.score >= app.config["MATCHING_MIN_SCORE"]
        ]
        stored = [(row.offer_id, row.score) for row in _suggested(db, request.id)]
        assert stored == expected


def test_a_dismissed_pair_is_never_suggested_again(db, app):
    _, requests = _seeded(db, app)
    request = requests[0]
    first = _suggested(db, request.id)[0]
    first.state = SuggestionState.DISMISSED
    first.dismiss_reason = "te_ver"
    db.session.flush()
    suggestions.refresh_all()
    again = _suggested(db, request.id)
    assert first.offer_id not in [row.offer_id for row in again]
    kept = db.session.get(MatchSuggestion, first.id)
    assert kept.state == SuggestionState.DISMISSED
    assert kept.dismiss_reason == "te_ver"


def test_a_paused_offer_disappears_and_returns(db, app):
    _, requests = _seeded(db, app)
    request = requests[0]
    top = _suggested(db, request.id)[0]
    offer = db.session.get(Offer, top.offer_id)
    offer.status = OfferStatus.PAUSED
    db.session.flush()
    suggestions.on_offer_changed()
    assert top.offer_id not in [row.offer_id for row in _suggested(db, request.id)]
    offer.status = OfferStatus.ACTIVE
    db.session.flush()
    suggestions.on_offer_changed()
    assert _suggested(db, request.id)[0].offer_id == top.offer_id


def test_the_index_is_cached_until_offers_change(db, app):
    demo.seed()
    matching.forget_index()
    first = matching.current_index()
    assert matching.current_index() is first
    offer = db.session.scalars(sa.select(Offer)).first()
    offer.description += " Nu ook met VR-brillen."
    db.session.flush()
    assert matching.current_index() is not first


def test_rebuild_command(runner, db):
    demo.seed()
    result = runner.invoke(args=["matches", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "open requests" in result.output
    assert db.session.scalar(sa.select(sa.func.count(MatchSuggestion.id))) > 0
