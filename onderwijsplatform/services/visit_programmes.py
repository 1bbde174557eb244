"""Visit programmes and their slots, kept by the region's staff for the hosts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    HOLDING_STATES,
    Organisation,
    ProgrammeStatus,
    User,
    VisitBooking,
    VisitProgramme,
    VisitSlot,
)
from onderwijsplatform.services import audit
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed

# What staff may set on a programme (the form's values carry exactly these keys).
FIELDS = (
    "title",
    "description",
    "kinds",
    "sectors",
    "themes",
    "target_groups",
    "address",
    "postcode",
    "place",
    "lat",
    "lon",
    "accessibility",
    "transport",
    "min_pupils",
    "max_pupils",
    "groups_at_once",
    "pupils_per_escort",
    "change_days",
    "cancel_days",
    "confirmation",
    "staff_hours",
    "closed",
    "status",
)
MAX_PLAN_DAYS = 366  # one repeating series covers at most a year


def get(actor: User | None, programme_id: int) -> VisitProgramme:
    """A programme the actor may see; NotFound otherwise."""
    return scope.get(actor, VisitProgramme, programme_id)


def get_slot(actor: User | None, slot_id: int) -> VisitSlot:
    """A slot the actor may see; NotFound otherwise."""
    return scope.get(actor, VisitSlot, slot_id)


def listing(actor: User, *, statuses: tuple[ProgrammeStatus, ...] = ()) -> list[VisitProgramme]:
    """The programmes of the actor's region, by title."""
    query = (
        sa.select(VisitProgramme)
        .where(scope.visible(actor, VisitProgramme))
        .options(selectinload(VisitProgramme.host))
        .order_by(VisitProgramme.title, VisitProgramme.id)
    )
    if statuses:
        query = query.where(VisitProgramme.status.in_(statuses))
    return list(db.session.scalars(query))


def hosts(actor: User) -> list[Organisation]:
    """The organisations of the actor's region that may host a programme, by name."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(scope.visible(actor, Organisation))
            .order_by(Organisation.name, Organisation.id)
        )
    )


def _check(values: dict[str, Any]) -> None:
    if values["max_pupils"] < values["min_pupils"]:
        raise ValidationFailed("max_pupils", "below_min")
    unknown = set(values["pupils_per_escort"]) - set(values["target_groups"])
    if values["target_groups"] and unknown:
        raise ValidationFailed("pupils_per_escort", "not_a_target_group")


def create(
    actor: User, host_id: int, region_id: int, values: dict[str, Any], now: datetime
) -> VisitProgramme:
    """A new programme of a host in the actor's region. Raises NotFound, ValidationFailed."""
    host = scope.get(actor, Organisation, host_id)
    _check(values)
    contact = host.contacts[0] if host.contacts else None
    programme = VisitProgramme(
        region_id=region_id,
        host_id=host.id,
        contact_id=contact.id if contact else None,
        **{name: values[name] for name in FIELDS if name in values},
    )
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "visit.programme_add", programme, {"title": programme.title}, now)
    return programme


def update(
    actor: User, programme: VisitProgramme, values: dict[str, Any], now: datetime
) -> VisitProgramme:
    """Change a programme; slots and bookings keep their numbers. Raises ValidationFailed."""
    _check(values)
    for name in FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    programme.updated_at = now
    db.session.flush()
    audit.record(actor, "visit.programme_change", programme, {"title": programme.title}, now)
    return programme


@dataclass
class SlotPlan:
    """The slots a plan made, and the days it left out with the reason for each."""

    created: list[VisitSlot] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)


def add_slots(
    actor: User | None,
    programme: VisitProgramme,
    days: list[date],
    start: time,
    end: time,
    now: datetime,
    *,
    capacity_pupils: int | None = None,
    capacity_groups: int | None = None,
) -> SlotPlan:
    """Slots on ``days`` from ``start`` to ``end`` local time, skipping unsuitable days.

    A day is left out when it lies in the past, in the region's holidays, on the host's
    closed days, on a weekend, or already has a slot at that time. Raises
    ValidationFailed("end") for an end not after the start, ("first") for a plan of more
    than a year, and ("first") when no day is left (the reason of the only day if one).
    """
    if end <= start:
        raise ValidationFailed("end", "end_not_after_start")
    if len(days) > MAX_PLAN_DAYS or (days and (days[-1] - days[0]).days >= MAX_PLAN_DAYS):
        raise ValidationFailed("first", "too_long")
    holiday_periods = cal.holidays(programme.region_id)
    closed = cal.closed_periods(programme.closed)
    existing = {s.starts_at for s in programme.slots}
    groups = capacity_groups or programme.groups_at_once
    pupils = capacity_pupils or programme.max_pupils * groups
    plan = SlotPlan()
    for day in days:
        starts_at = cal.at(day, start)
        reason = None
        if starts_at <= now:
            reason = "past"
        elif day.weekday() >= 5:
            reason = "weekend"
        elif cal.within(day, holiday_periods):
            reason = "holiday"
        elif cal.within(day, closed):
            reason = "closed"
        elif starts_at in existing:
            reason = "exists"
        if reason:
            plan.skipped.append((day, reason))
            continue
        slot = VisitSlot(
            starts_at=starts_at,
            ends_at=cal.at(day, end),
            capacity_pupils=pupils,
            capacity_groups=groups,
        )
        programme.slots.append(slot)
        plan.created.append(slot)
    if not plan.created:
        only = plan.skipped[0][1] if len(plan.skipped) == 1 else "no_days"
        raise ValidationFailed("first", only)
    db.session.flush()
    details = {"slots": len(plan.created), "skipped": len(plan.skipped)}
    audit.record(actor, "visit.slots_add", programme, details, now)
    return plan


def remove_slot(actor: User, slot_id: int, now: datetime) -> VisitProgramme:
    """Remove a slot nobody holds places in. Raises NotFound, or InvalidTransition if booked."""
    slot = get_slot(actor, slot_id)
    held = db.session.scalar(
        sa.select(sa.func.count(VisitBooking.id)).where(
            VisitBooking.slot_id == slot.id, VisitBooking.state.in_(HOLDING_STATES)
        )
    )
    if held:
        raise InvalidTransition("slot has bookings")
    programme = slot.programme
    details = {"starts_at": slot.starts_at.isoformat()}
    programme.slots.remove(slot)
    db.session.flush()
    audit.record(actor, "visit.slot_remove", programme, details, now)
    return programme


def upcoming_slots(programme: VisitProgramme, now: datetime) -> list[VisitSlot]:
    """The programme's slots that have not started yet, soonest first."""
    return [s for s in programme.slots if s.starts_at > now]


@dataclass(frozen=True)
class OpenSlot:
    """A slot that can still be booked, with its free room."""

    slot: VisitSlot
    free: cal.Free


@dataclass(frozen=True)
class OpenProgramme:
    """An active programme with its upcoming slots that still have room."""

    programme: VisitProgramme
    slots: list[OpenSlot]


def open_in(
    region_id: int, now: datetime, *, programme_id: int | None = None
) -> list[OpenProgramme]:
    """The region's active programmes with upcoming bookable slots, by title.

    A slot is bookable while it has not started, has room for a group and pupils, and does
    not fall in one of the region's holidays (added after it was planned).
    """
    query = (
        sa.select(VisitSlot)
        .join(VisitProgramme, VisitSlot.programme_id == VisitProgramme.id)
        .where(
            VisitProgramme.region_id == region_id,
            VisitProgramme.status == ProgrammeStatus.ACTIVE,
            VisitSlot.starts_at > now,
        )
        .options(selectinload(VisitSlot.programme).selectinload(VisitProgramme.host))
        .order_by(VisitSlot.starts_at, VisitSlot.id)
    )
    if programme_id is not None:
        query = query.where(VisitProgramme.id == programme_id)
    slots = list(db.session.scalars(query))
    free = cal.free_places(slots)
    holiday_periods = cal.holidays(region_id)
    grouped: dict[int, OpenProgramme] = {}
    for slot in slots:
        if free[slot.id].full or cal.within(cal.local_day(slot.starts_at), holiday_periods):
            continue
        entry = grouped.setdefault(slot.programme_id, OpenProgramme(slot.programme, []))
        entry.slots.append(OpenSlot(slot, free[slot.id]))
    return sorted(grouped.values(), key=lambda p: (p.programme.title, p.programme.id))
