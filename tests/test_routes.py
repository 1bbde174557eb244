"""Every route is classified: public (with the reason), a role, or a company's link session."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import csrf_token_from

# Open to anyone. Each group says why that is safe.
PUBLIC = {
    # Pages and forms for visitors, and the static files.
    "static",
    "bootstrap.static",
    "public.home",
    "public.privacy",
    "public.security_txt",
    "public.set_language",
    "intake.landing",
    "intake.form",
    "intake.thanks",
    "intake.confirmed",
    # A region's public page and catalogue: active offers without contact details.
    "regions.home",
    "regions.catalogue",
    "regions.embed",
    # The region's lendable kits with free sets per week: no loans, schools or people.
    "regions.lending",
    # Finding one's region by postcode: a redirect to a public page, nothing stored.
    "public.find_region",
    # The read API for regional websites: regions and their catalogue, no personal data.
    "api.openapi",
    "api.regions",
    "api.offers",
    # The region's lendable kits with free sets per week: titles and counts, no loans or schools.
    "api.items",
    # Signing in and asking for a link: the same answer for known and unknown addresses.
    "auth.login",
    "auth.logout",
    "auth.forgot_password",
    "auth.request_login_link",
    "self_service.request_link",
    "self_service.link_sent",
    "self_service.sign_out",
    # Opened from an emailed link: the single-use token in the URL is the credential.
    "intake.confirm",
    "auth.accept_invitation",
    "auth.reset_password",
    "auth.login_link",
    "auth.enrol",
    "self_service.open_link",
    "outcomes.report",
    # The second step of a staff sign-in: the session holds whose password was right.
    "auth.second_factor",
    # Monitoring: whether the database answers and the email backlog as counts and ages,
    # no personal data; two cheap queries.
    "public.healthz",
}


def classify(app: Flask) -> dict[str, str]:
    """Each endpoint's class: 'public', 'company' or the roles that may use it."""
    classes = {}
    for endpoint, view in app.view_functions.items():
        roles = getattr(view, "required_roles", None)
        if roles:
            classes[endpoint] = "+".join(sorted(role.value for role in roles))
        elif getattr(view, "company_scoped", False):
            classes[endpoint] = "company"
        elif endpoint in PUBLIC:
            classes[endpoint] = "public"
        else:
            classes[endpoint] = "UNCLASSIFIED"
    return classes


def test_every_route_is_classified(app):
    unclassified = [e for e, c in classify(app).items() if c == "UNCLASSIFIED"]
    assert unclassified == [], f"give these a role decorator or a reason in PUBLIC: {unclassified}"


def test_the_public_list_names_only_unprotected_routes(app):
    views = app.view_functions
    assert set(views) >= PUBLIC, f"stale entries: {PUBLIC - set(views)}"
    protected = [e for e in PUBLIC if getattr(views[e], "required_roles", None)]
    assert protected == []


def test_a_planted_unclassified_route_is_caught():
    from onderwijsplatform import create_app

    planted = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    planted.add_url_rule("/staff/geheim", "staff_secret", lambda: "contact details")
    assert [e for e, c in classify(planted).items() if c == "UNCLASSIFIED"] == ["staff_secret"]


def _url(rule) -> str:
    values = dict.fromkeys(rule.arguments, "1")
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("kind", ["roles", "company"])
def test_anonymous_visitors_never_reach_a_protected_route(app, client, kind):
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    classes = classify(app)
    checked = 0
    for rule in app.url_map.iter_rules():
        cls = classes[rule.endpoint]
        if cls in ("public", "UNCLASSIFIED") or (cls == "company") != (kind == "company"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule), method=method, data={"csrf_token": token})
            target = "/mijn-aanbod/link" if kind == "company" else "/inloggen"
            assert response.status_code == 302, (rule.rule, method)
            assert target in response.headers["Location"], (rule.rule, method)
            checked += 1
    assert checked >= (8 if kind == "company" else 40)


def test_every_link_page_keeps_its_token_out_of_the_referrer(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments and "GET" in rule.methods:
            response = client.get(_url(rule))
            assert response.headers["Referrer-Policy"] == "no-referrer", rule.rule
            checked += 1
    assert checked >= 7
