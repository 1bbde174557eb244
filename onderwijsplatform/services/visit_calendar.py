"""Visit slots in time and room: school days, closed days, local times and free capacity.

A slot's free room is two numbers, pupils and groups, both taken by the bookings that hold
places (provisional, confirmed and the visits that happened). ``free_places`` is the one
function that counts them; every page, the API and the booking check use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import HOLDING_STATES, RegionHoliday, VisitBooking, VisitSlot

# Slot times are typed and shown in Dutch local time; they are stored in UTC.
LOCAL = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Free:
    """What is still free in a slot: pupils and groups, never below zero."""

    pupils: int
    groups: int

    @property
    def full(self) -> bool:
        return self.pupils <= 0 or self.groups <= 0


def remaining(capacity_pupils: int, capacity_groups: int, taken: Iterable[int]) -> Free:
    """The free room of a slot given the pupil counts of the bookings that hold places."""
    counts = list(taken)
    return Free(
        pupils=max(0, capacity_pupils - sum(counts)),
        groups=max(0, capacity_groups - len(counts)),
    )


def free_places(slots: Sequence[VisitSlot]) -> dict[int, Free]:
    """The free room of each slot by id, from one query over their holding bookings."""
    if not slots:
        return {}
    rows = db.session.execute(
        sa.select(VisitBooking.slot_id, VisitBooking.pupils).where(
            VisitBooking.slot_id.in_([s.id for s in slots]),
            VisitBooking.state.in_(HOLDING_STATES),
        )
    ).all()
    taken: dict[int, list[int]] = {s.id: [] for s in slots}
    for slot_id, pupils in rows:
        taken[slot_id].append(pupils)
    return {s.id: remaining(s.capacity_pupils, s.capacity_groups, taken[s.id]) for s in slots}


def free_in(slot: VisitSlot) -> Free:
    """The free room of one slot."""
    return free_places([slot])[slot.id]


# --------------------------------------------------------------------------- days


Period = tuple[date, date]


def holidays(region_id: int) -> list[Period]:
    """The region's school holidays as (first day, last day)."""
    rows = db.session.execute(
        sa.select(RegionHoliday.starts_on, RegionHoliday.ends_on).where(
            RegionHoliday.region_id == region_id
        )
    ).all()
    return [(start, end) for start, end in rows]


def closed_periods(closed: Iterable[dict[str, str]]) -> list[Period]:
    """A host's closed days as stored on the programme ({"from", "to"}), as periods."""
    periods = []
    for item in closed:
        first = date.fromisoformat(item["from"])
        periods.append((first, date.fromisoformat(item.get("to") or item["from"])))
    return periods


def within(day: date, periods: Iterable[Period]) -> bool:
    return any(start <= day <= end for start, end in periods)


def is_school_day(day: date, holiday_periods: Iterable[Period]) -> bool:
    """A weekday outside the region's holidays."""
    return day.weekday() < 5 and not within(day, holiday_periods)


def school_days_left(today: date, visit_day: date, holiday_periods: Sequence[Period]) -> int:
    """School days from today (counted) up to the visit day (not counted).

    A deadline of N school days is met while this is at least N: with N = 1 a Monday visit
    can still be changed on the Friday before.
    """
    days, day = 0, today
    while day < visit_day:
        days += is_school_day(day, holiday_periods)
        day += timedelta(days=1)
    return days


def plan_days(first: date, last: date, weekdays: Iterable[int]) -> list[date]:
    """Every day from ``first`` to ``last`` (inclusive) that falls on one of ``weekdays``."""
    wanted = set(weekdays)
    count = (last - first).days + 1
    return [d for d in (first + timedelta(days=n) for n in range(count)) if d.weekday() in wanted]


def at(day: date, clock: time) -> datetime:
    """A local day and clock time as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=LOCAL).astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The Dutch calendar day of an aware datetime."""
    return moment.astimezone(LOCAL).date()
