"""GET /api/v1/regions/{code}/items: the catalogue of kits with free sets per week."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from onderwijsplatform.models import Loan, utcnow
from tests.factories import make_region, make_school
from tests.lending.conftest import make_item


@pytest.fixture
def region(db):
    region = make_region(code="assen", name="STO Assen")
    item = make_item(db, region, title="Leskist Zonne-energie", quantity=15)
    make_item(db, region, title="Oude kist", active=False)
    school = make_school(region)
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=2)
    db.session.add(
        Loan(
            item_id=item.id,
            school_id=school.id,
            sets=3,
            starts_on=monday + timedelta(days=1),  # Tuesday: with its buffers Monday to Friday
            ends_on=monday + timedelta(days=2),
        )
    )
    db.session.flush()
    return region


def test_items_with_free_sets_per_week(client, region):
    response = client.get("/api/v1/regions/assen/items?weeks=4")
    assert response.status_code == 200
    body = response.json
    assert [i["title"] for i in body["items"]] == ["Leskist Zonne-energie"]
    item = body["items"][0]
    assert [w["free"] for w in item["weeks"]] == [15, 15, 12, 15]
    assert item["components"] == [
        {"name": "zonnepaneel", "count": 2},
        {"name": "multimeter", "count": 1},
    ]
    text = json.dumps(body)
    assert "school" not in text.lower()
    assert "@" not in text


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("weeks=0", "weeks"), ("weeks=27", "weeks"), ("x=1", "x"), ("weeks=2&weeks=3", "weeks")],
)
def test_bad_parameters_are_400s(client, region, query, parameter):
    response = client.get(f"/api/v1/regions/assen/items?{query}")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter


def test_an_unknown_region_is_a_404(client, region):
    assert client.get("/api/v1/regions/nergens/items").status_code == 404
