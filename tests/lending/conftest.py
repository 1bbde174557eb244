"""Lending test data: a region with a desk, a kit with components, two schools, staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from onderwijsplatform.models import KitComponent, LendingItem, Role, User
from tests.factories import make_region, make_school, make_user

# Monday 6 September 2027, mid-morning in the Netherlands.
NOW = datetime(2027, 9, 6, 8, 0, tzinfo=UTC)


def make_item(db, region, **overrides: Any) -> LendingItem:
    values = {
        "region_id": region.id,
        "title": "Leskist Zonne-energie",
        "quantity": 15,
        "loan_days": 21,
        "max_loan_days": 42,
        "lead_days": 3,
        "buffer_before": 1,
        "buffer_after": 2,
        "max_sets_per_school": 5,
        **overrides,
    }
    item = LendingItem(**values)
    item.components = [KitComponent(name="zonnepaneel", count=2), KitComponent(name="multimeter")]
    db.session.add(item)
    db.session.flush()
    return item


@dataclass
class Desk:
    """One region's lending cast."""

    region: Any
    staff: User
    coordinator: User
    second: User  # the coordinator of another school of the region
    item: LendingItem


def make_desk(db) -> Desk:
    region = make_region()
    staff = make_user(Role.STAFF, region_id=region.id)
    coordinator = make_user(Role.COORDINATOR, school=make_school(region))
    second = make_user(Role.COORDINATOR, school=make_school(region))
    return Desk(region, staff, coordinator, second, make_item(db, region))


@pytest.fixture
def desk(db) -> Desk:
    return make_desk(db)
