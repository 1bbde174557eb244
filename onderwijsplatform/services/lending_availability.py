"""The one availability function: free sets of an item per day, from stock, loans and buffers.

``free_per_day`` is pure over plain values (tested with Hypothesis against a brute-force
count); ``for_item`` loads those values from the database. Every page, email and API
answer about free sets goes through here, so no two views can disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    HOLDING,
    LendingDesk,
    LendingItem,
    Loan,
    LoanState,
    RegionHoliday,
)

DAY = timedelta(days=1)
# Far enough to stand for "until settled": held sets of a short return have no end date.
OPEN_END = date(2100, 12, 31)


@dataclass(frozen=True)
class Desk:
    """When the lending desk is open: closed weekdays (0 = Monday) and closed periods."""

    closed_weekdays: frozenset[int] = frozenset({5, 6})
    closed_periods: tuple[tuple[date, date], ...] = ()

    def is_open(self, day: date) -> bool:
        if day.weekday() in self.closed_weekdays:
            return False
        return not any(start <= day <= end for start, end in self.closed_periods)

    def shift(self, day: date, opening_days: int) -> date:
        """The day ``opening_days`` opening days after (or, negative, before) ``day``.

        Zero gives ``day`` itself. A desk that is never open does not move the day.
        """
        step = DAY if opening_days > 0 else -DAY
        left, current = abs(opening_days), day
        for _ in range(left * 7 + 3700):  # every weekday closed and years of holidays: stop
            if left == 0:
                return current
            current += step
            if self.is_open(current):
                left -= 1
        return day

    def next_open(self, day: date) -> date:
        """``day`` if the desk is open then, else the next opening day."""
        return day if self.is_open(day) else self.shift(day, 1)


@dataclass(frozen=True)
class Hold:
    """Sets held by one loan from ``starts_on`` to ``ends_on`` (None: until settled)."""

    sets: int
    starts_on: date
    ends_on: date | None


def held_span(hold: Hold, desk: Desk, before: int, after: int) -> tuple[date, date]:
    """The days a hold keeps its sets away: its dates widened by the buffers in opening days."""
    end = hold.ends_on if hold.ends_on is not None else OPEN_END
    last = OPEN_END if hold.ends_on is None else desk.shift(end, after)
    return desk.shift(hold.starts_on, -before), last


def free_per_day(
    stock: int,
    holds: Iterable[Hold],
    desk: Desk,
    first: date,
    last: date,
    *,
    before: int = 0,
    after: int = 0,
) -> list[int]:
    """Free sets on each day from ``first`` to ``last``: never below 0, never above stock."""
    days = (last - first).days + 1
    if days <= 0:
        return []
    change = [0] * (days + 1)
    for hold in holds:
        if hold.sets <= 0:
            continue
        start, end = held_span(hold, desk, before, after)
        lo, hi = max((start - first).days, 0), min((end - first).days, days - 1)
        if lo <= hi:
            change[lo] += hold.sets
            change[hi + 1] -= hold.sets
    free, held = [], 0
    for index in range(days):
        held += change[index]
        free.append(min(max(stock - held, 0), max(stock, 0)))
    return free


@dataclass(frozen=True)
class Availability:
    """Everything the function needs about one item, loaded once."""

    stock: int
    holds: tuple[Hold, ...]
    desk: Desk
    before: int
    after: int

    def per_day(self, first: date, last: date) -> list[int]:
        return free_per_day(
            self.stock, self.holds, self.desk, first, last, before=self.before, after=self.after
        )

    def free_for(self, starts_on: date, ends_on: date) -> int:
        """The most sets a new loan from ``starts_on`` to ``ends_on`` could get (buffers too)."""
        start, end = held_span(Hold(1, starts_on, ends_on), self.desk, self.before, self.after)
        return min(self.per_day(start, end), default=self.stock)

    def weeks(self, monday: date, count: int) -> list[WeekFree]:
        """The fewest free sets in each of ``count`` weeks from ``monday`` on."""
        daily = self.per_day(monday, monday + timedelta(days=7 * count - 1))
        return [
            WeekFree(monday + timedelta(weeks=n), min(daily[7 * n : 7 * n + 7]), self.stock)
            for n in range(count)
        ]


@dataclass(frozen=True)
class WeekFree:
    """ "12 of 15 sets free in week 40": the fewest free sets on any day of the week."""

    monday: date
    free: int
    stock: int

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


def hold_of(loan: Loan, today: date) -> Hold:
    """What a loan in a holding state keeps away, as of ``today``."""
    if loan.state is LoanState.RETURNED_PARTLY:
        # The sets that did not come back complete are held until the shortage is settled.
        return Hold(loan.sets - (loan.sets_back or 0), loan.starts_on, None)
    if loan.state is LoanState.OUT and loan.ends_on < today:
        return Hold(loan.sets, loan.starts_on, today)  # overdue: held at least until today
    return Hold(loan.sets, loan.starts_on, loan.ends_on)


def desk_of(region_id: int) -> Desk:
    """The region's desk: its closed weekdays (Saturday and Sunday if none set) and holidays."""
    closed = db.session.scalar(
        sa.select(LendingDesk.closed_weekdays).where(LendingDesk.region_id == region_id)
    )
    periods = db.session.execute(
        sa.select(RegionHoliday.starts_on, RegionHoliday.ends_on).where(
            RegionHoliday.region_id == region_id
        )
    ).all()
    weekdays = frozenset({5, 6} if closed is None else closed)
    return Desk(weekdays, tuple((start, end) for start, end in periods))


def for_item(
    item: LendingItem, today: date, *, desk: Desk | None = None, without: Sequence[int] = ()
) -> Availability:
    """The availability of ``item`` as of ``today`` (leaving out the loans in ``without``)."""
    query = sa.select(Loan).where(Loan.item_id == item.id, Loan.state.in_(HOLDING))
    if without:
        query = query.where(Loan.id.not_in(list(without)))
    loans = db.session.scalars(query).all()
    return Availability(
        stock=item.quantity,
        holds=tuple(hold_of(loan, today) for loan in loans),
        desk=desk or desk_of(item.region_id),
        before=item.buffer_before,
        after=item.buffer_after,
    )


def today(now: datetime) -> date:
    """The date at the desk (Dutch time) at ``now``."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return now.astimezone(zone).date()


def peak_held(item: LendingItem, day: date, horizon_days: int = 400) -> int:
    """The most sets that loans hold on any one day from ``day`` on (stock must cover it)."""
    found = for_item(item, day)
    stock = sum(hold.sets for hold in found.holds)
    free = free_per_day(
        stock,
        found.holds,
        found.desk,
        day,
        day + timedelta(days=horizon_days),
        before=found.before,
        after=found.after,
    )
    return stock - min(free, default=stock)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
