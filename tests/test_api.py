"""The read API: regions and a region's offers as JSON, cacheable, CORS-open, never personal."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_company, make_contact, make_offer, make_region, make_school

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\+?\d[\d \-]{8,}\d")


@pytest.fixture
def region(db):
    region = make_region(code="assen", name="STO Assen")
    make_school(region)
    for n in range(25):
        company = make_company(region, name=f"Bedrijf {n:02d}")
        make_contact(company, email=f"contact{n}@bedrijf.example", phone="+31612345678")
        make_offer(company, kinds=["gastles" if n % 2 else "bedrijfsbezoek"])
    return region


def test_regions_with_their_figures(client, region):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    entry = next(r for r in response.json["regions"] if r["code"] == "assen")
    assert entry == {
        "code": "assen",
        "name": "STO Assen",
        "active_offers": 25,
        "schools": 1,
        "open_requests": 0,
    }


def test_offers_are_paged_with_a_next_link_and_etag(client, region):
    first = client.get("/api/v1/regions/assen/offers?kind=gastles&per_page=5")
    body = first.json
    assert (body["total"], body["pages"], len(body["offers"])) == (12, 3, 5)
    assert body["next"].endswith("/api/v1/regions/assen/offers?kind=gastles&per_page=5&page=2")
    assert {o["kinds"][0] for o in body["offers"]} == {"gastles"}
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(
        "/api/v1/regions/assen/offers?kind=gastles&per_page=5",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    last = client.get("/api/v1/regions/assen/offers?kind=gastles&per_page=5&page=3").json
    assert (len(last["offers"]), last["next"]) == (2, None)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("kind=ruimtevaart", "kind"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("within_km=-1", "within_km"),
        ("near=Atlantis", "near"),
        ("online=misschien", "online"),
        ("sort=name", "sort"),
        ("page=1&page=2", "page"),
        ("kind=gastles&kind=bedrijfsbezoek", "kind"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, region, query, parameter):
    response = client.get(f"/api/v1/regions/assen/offers?{query}")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter


def test_unknown_regions_and_paths_are_json_404s(client, region):
    for path in ("/api/v1/regions/twente/offers", "/api/v1/niets"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json["error"]["status"] == 404


def test_no_response_carries_an_email_address_or_phone_number(client, region):
    for path in (
        "/api/v1/regions",
        "/api/v1/regions/assen/offers?per_page=100",
        "/api/v1/openapi.json",
    ):
        text = client.get(path).get_data(as_text=True)
        assert not EMAIL.search(text), path
        assert not PHONE.search(text), path


def test_the_openapi_document_describes_every_api_route(client, app):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
    }
    assert routes == set(doc["paths"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["kind", "sector", "target_group", "online", "near", "within_km", "page"]),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_any_query_string_gets_json_and_never_a_500(client, region, params):
    response = client.get("/api/v1/regions/assen/offers", query_string=params)
    assert response.status_code in (200, 400)
    json.loads(response.get_data(as_text=True))


def test_an_undeclared_method_is_a_405_that_says_what_is_allowed(client, region):
    response = client.open("/api/v1/regions", method="TRACE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["error"]["status"] == 405
