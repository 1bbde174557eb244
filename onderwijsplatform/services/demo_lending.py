"""The demo lending desk: a few kits with components for the Assen demo region."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Protocol

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    KitComponent,
    LendingApproval,
    LendingDesk,
    LendingItem,
    Organisation,
    Region,
)

DEMO_FILE = "demo_lending.json"


class Counter(Protocol):
    def add(self, what: str) -> None: ...


def _load() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath(DEMO_FILE).read_text("utf-8"))


def seed(result: Counter) -> None:
    """Add the demo desk and kits that are missing (by title in the region); never commits."""
    data = _load()
    region = db.session.scalar(sa.select(Region).where(Region.code == data["region"]))
    if region is None:
        return
    if (
        db.session.scalar(sa.select(LendingDesk.id).where(LendingDesk.region_id == region.id))
        is None
    ):
        db.session.add(LendingDesk(region_id=region.id, **data["desk"]))
        result.add("lending desks")
    for spec in data["items"]:
        exists = sa.select(LendingItem.id).where(
            LendingItem.region_id == region.id, LendingItem.title == spec["title"]
        )
        if db.session.scalar(exists) is not None:
            continue
        owner = None
        if spec.get("owner"):
            owner = db.session.scalar(
                sa.select(Organisation.id).where(Organisation.name == spec["owner"])
            )
        values = {
            k: v for k, v in spec.items() if k not in ("key", "owner", "components", "approval")
        }
        item = LendingItem(
            region_id=region.id,
            owner_id=owner,
            approval=LendingApproval(spec.get("approval", "auto")),
            **values,
        )
        item.components = [
            KitComponent(name=name, count=count) for count, name in spec["components"]
        ]
        db.session.add(item)
        result.add("lending items")
    db.session.flush()
