"""Every coordinator route: foreign ids answer 404, anonymous visitors go to the login page."""

from __future__ import annotations

import pytest

from onderwijsplatform.models import Role
from onderwijsplatform.services import school_profile, school_requests, suggestions
from onderwijsplatform.services.errors import NotFound
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_request, make_school, make_user

ENDPOINTS = ("coordinator.", "staff.invitations")


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(ENDPOINTS)]


def _fill(rule, values):
    return rule.rule.replace("<id:request_id>", str(values["request_id"])).replace(
        "<id:suggestion_id>", str(values["suggestion_id"])
    )


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_rule_is_walked(app):
    assert len(_rules(app)) >= 11


def test_anonymous_visitors_are_sent_to_login(client, app, offers):
    own = make_request()
    values = {"request_id": own.id, "suggestion_id": 1}
    cases = 0
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    for rule in _rules(app):
        for method in _methods(rule):
            response = client.open(_fill(rule, values), method=method, data={"csrf_token": token})
            assert response.status_code == 302, rule.rule
            assert "/inloggen" in response.headers["Location"]
            cases += 1
    assert cases >= 15


@pytest.mark.parametrize("foreign_kind", ["other_school", "missing", "huge"])
def test_foreign_ids_answer_404(signed_in, app, school, offers, foreign_kind):
    other = make_school(region=school.region)
    theirs = make_request(other)
    suggestions.refresh([theirs])
    [their_suggestion, *_] = suggestions.visible_for(theirs)
    values = {
        "other_school": {"request_id": theirs.id, "suggestion_id": their_suggestion.id},
        "missing": {"request_id": 987654, "suggestion_id": 987654},
        "huge": {"request_id": 99999999999, "suggestion_id": 99999999999},
    }[foreign_kind]
    token = csrf_token_from(signed_in.get("/school/hulpvragen").get_data(as_text=True))
    checked = 0
    for rule in _rules(app):
        if "request_id" not in rule.arguments:
            continue
        for method in _methods(rule):
            response = signed_in.open(
                _fill(rule, values),
                method=method,
                data={"csrf_token": token, f"s{values['suggestion_id']}-dismiss-reason": "te_ver"},
            )
            assert response.status_code == 404, (method, rule.rule)
            checked += 1
    assert checked >= 8


def test_own_request_but_foreign_suggestion_is_404(signed_in, school, offers):
    mine = make_request(school)
    theirs = make_request(make_school(region=school.region))
    suggestions.refresh([mine, theirs])
    their_suggestion = suggestions.visible_for(theirs)[0]
    token = csrf_token_from(signed_in.get("/school/hulpvragen").get_data(as_text=True))
    for action in ("introductie", "niet-passend"):
        path = f"/school/hulpvragen/{mine.id}/suggesties/{their_suggestion.id}/{action}"
        assert signed_in.post(path, data={"csrf_token": token}).status_code == 404


def test_staff_do_not_get_coordinator_pages(client, db):
    sign_in(client, make_user(Role.STAFF))
    assert client.get("/school/hulpvragen").status_code == 404


def test_an_account_without_a_school_has_no_profile_or_request_to_save(db):
    # Only a coordinator has a school (a database constraint); anyone else gets NotFound.
    staff = make_user(Role.STAFF)
    with pytest.raises(NotFound):
        school_profile.update(staff, {})
    with pytest.raises(NotFound):
        school_requests.create(staff, {})


def test_lists_show_only_own_school(signed_in, school):
    make_request(school, description="Eigen hulpvraag")
    make_request(make_school(), description="Vreemde hulpvraag")
    page = signed_in.get("/school/hulpvragen").get_data(as_text=True)
    assert "Eigen hulpvraag" in page
    assert "Vreemde hulpvraag" not in page
