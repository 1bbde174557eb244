"""Lendable items: the region's catalogue of kits, their components, stock and lending rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    HOLDING,
    KitComponent,
    LendingApproval,
    LendingDesk,
    LendingItem,
    Loan,
    Organisation,
    User,
)
from onderwijsplatform.services import audit
from onderwijsplatform.services import lending_availability as availability
from onderwijsplatform.services.errors import ValidationFailed

RULES = (
    "loan_days",
    "max_loan_days",
    "lead_days",
    "buffer_before",
    "buffer_after",
    "max_sets_per_school",
)
FIELDS = (
    "title",
    "description",
    "kinds",
    "sectors",
    "themes",
    "target_groups",
    "value_cents",
    "quantity",
    "active",
    "exchange_weekday",
    "approval",
    "owner_id",
    *RULES,
)
WEEKS_SHOWN = 8


def defaults(region_id: int) -> dict[str, Any]:
    """The region's default lending rules for a new item (the desk's, else the built-in ones)."""
    desk = db.session.scalar(sa.select(LendingDesk).where(LendingDesk.region_id == region_id))
    if desk is None:
        desk = LendingDesk(
            loan_days=21,
            max_loan_days=42,
            lead_days=3,
            buffer_before=1,
            buffer_after=2,
            max_sets_per_school=2,
        )
    return {name: getattr(desk, name) for name in RULES}


def desk(region_id: int) -> LendingDesk:
    """The region's desk row, or an unsaved one with the built-in defaults."""
    found = db.session.scalar(sa.select(LendingDesk).where(LendingDesk.region_id == region_id))
    return found or LendingDesk(region_id=region_id, closed_weekdays=[5, 6], **defaults(region_id))


def save_desk(actor: User, region_id: int, values: dict[str, Any], now: datetime) -> LendingDesk:
    """Keep the desk's closed weekdays and default rules (new items start from these)."""
    closed = sorted(set(values["closed_weekdays"]))
    if len(closed) == 7 or any(not 0 <= day <= 6 for day in closed):
        raise ValidationFailed("closed_weekdays", "never open")
    if values["max_loan_days"] < values["loan_days"]:
        raise ValidationFailed("max_loan_days", "shorter than the usual loan")
    row = desk(region_id)
    row.closed_weekdays = closed
    for name in RULES:
        setattr(row, name, values[name])
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "lending.desk", row, {"closed": closed}, now, region_id=region_id)
    return row


def get(actor: User | None, item_id: int) -> LendingItem:
    """One item of the actor's region; NotFound for a foreign or missing id."""
    return scope.get(actor, LendingItem, item_id)


def listing(actor: User | None, *, only_active: bool = False) -> list[LendingItem]:
    """The items the actor may see, by title, with their components."""
    query = (
        sa.select(LendingItem)
        .where(scope.visible(actor, LendingItem))
        .options(selectinload(LendingItem.components))
        .order_by(LendingItem.title, LendingItem.id)
    )
    if only_active:
        query = query.where(LendingItem.active.is_(True), LendingItem.quantity > 0)
    return list(db.session.scalars(query))


def public_listing(region_id: int) -> list[LendingItem]:
    """A region's reservable items, by title, for its public catalogue and the API."""
    return list(
        db.session.scalars(
            sa.select(LendingItem)
            .where(
                LendingItem.region_id == region_id,
                LendingItem.active.is_(True),
                LendingItem.quantity > 0,
            )
            .options(selectinload(LendingItem.components), selectinload(LendingItem.owner))
            .order_by(LendingItem.title, LendingItem.id)
        )
    )


def owners(actor: User) -> list[Organisation]:
    """The organisations of the actor's region that may own an item, by name."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(scope.visible(actor, Organisation))
            .order_by(Organisation.name)
        )
    )


def _check(region_id: int, values: dict[str, Any]) -> None:
    if values["max_loan_days"] < values["loan_days"]:
        raise ValidationFailed("max_loan_days", "shorter than the usual loan")
    weekday = values.get("exchange_weekday")
    if weekday is not None and weekday in availability.desk_of(region_id).closed_weekdays:
        raise ValidationFailed("exchange_weekday", "closed")


def _set_components(item: LendingItem, components: list[tuple[str, int]]) -> None:
    # Components keep their rows (and ids) by name, so past shortages still point at them.
    existing = {component.name: component for component in item.components}
    kept = []
    for name, count in components:
        if count <= 0:
            raise ValidationFailed("components", "count below one")
        row = existing.pop(name, None) or KitComponent(name=name)
        row.count = count
        kept.append(row)
    item.components = kept


def create(
    actor: User,
    region_id: int,
    values: dict[str, Any],
    components: list[tuple[str, int]],
    now: datetime,
) -> LendingItem:
    """A new item in ``region_id`` (the actor's own, unless a platform admin). Flushes."""
    _check(region_id, values)
    item = LendingItem(region_id=region_id, created_at=now, updated_at=now)
    for name in FIELDS:
        setattr(item, name, values[name])
    _set_components(item, components)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "lending.item_create", item, {"title": item.title}, now)
    return item


def update(
    actor: User,
    item: LendingItem,
    values: dict[str, Any],
    components: list[tuple[str, int]],
    now: datetime,
) -> LendingItem:
    """Change an item's description, stock, rules and components. Flushes."""
    _check(item.region_id, values)
    if values["quantity"] < item.quantity:
        needed = availability.peak_held(item, availability.today(now))
        if values["quantity"] < needed:
            raise ValidationFailed("quantity", f"held:{needed}")
    for name in FIELDS:
        setattr(item, name, values[name])
    item.updated_at = now
    _set_components(item, components)
    db.session.flush()
    audit.record(actor, "lending.item_update", item, {"quantity": item.quantity}, now)
    return item


def approval_label(item: LendingItem) -> str:
    return "owner" if item.approval is LendingApproval.OWNER else "auto"


@dataclass(frozen=True)
class CatalogueRow:
    """An item with its free sets per week for the coming weeks."""

    item: LendingItem
    weeks: list[availability.WeekFree]


def with_weeks(
    items: list[LendingItem], today: date, weeks: int = WEEKS_SHOWN
) -> list[CatalogueRow]:
    """Each item with "X of Y sets free in week N" for ``weeks`` weeks from this week on."""
    monday = availability.monday_of(today)
    desks: dict[int, availability.Desk] = {}
    rows = []
    for item in items:
        if item.region_id not in desks:
            desks[item.region_id] = availability.desk_of(item.region_id)
        free = availability.for_item(item, today, desk=desks[item.region_id])
        rows.append(CatalogueRow(item, free.weeks(monday, weeks)))
    return rows


def held_by_school(item_id: int, school_id: int, starts_on: date, ends_on: date) -> int:
    """Sets of the item the school holds on loans that overlap the period."""
    held = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Loan.sets), 0)).where(
            Loan.item_id == item_id,
            Loan.school_id == school_id,
            Loan.state.in_(HOLDING),
            Loan.starts_on <= ends_on,
            Loan.ends_on >= starts_on,
        )
    )
    return int(held or 0)
