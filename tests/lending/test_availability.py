"""The one availability function against a brute-force day-by-day count (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from onderwijsplatform.services.lending_availability import (
    Availability,
    Desk,
    Hold,
    free_per_day,
)

START = date(2027, 1, 4)  # a Monday
DAY = timedelta(days=1)


def _open(day: date, closed: frozenset[int], periods) -> bool:
    return day.weekday() not in closed and not any(a <= day <= b for a, b in periods)


def _walk(day: date, opening_days: int, closed, periods) -> date:
    # Count opening days one by one, the slow obvious way.
    if all(w in closed for w in range(7)):
        return day
    step, current, left = (DAY if opening_days > 0 else -DAY), day, abs(opening_days)
    while left:
        current += step
        if _open(current, closed, periods):
            left -= 1
    return current


def brute_force(stock, holds, closed, periods, first, last, before, after) -> list[int]:
    free = []
    day = first
    while day <= last:
        held = 0
        for hold in holds:
            start = _walk(hold.starts_on, -before, closed, periods)
            end = date.max if hold.ends_on is None else _walk(hold.ends_on, after, closed, periods)
            if start <= day <= end:
                held += hold.sets
        free.append(min(max(stock - held, 0), stock))
        day += DAY
    return free


days = st.integers(min_value=0, max_value=90).map(lambda n: START + timedelta(days=n))


@st.composite
def holds(draw):
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=30))
    open_ended = draw(st.booleans()) and draw(st.booleans())
    end = None if open_ended else start + timedelta(days=length)
    return Hold(draw(st.integers(min_value=0, max_value=6)), start, end)


@st.composite
def periods(draw):
    start = draw(days)
    return (start, start + timedelta(days=draw(st.integers(min_value=0, max_value=14))))


@settings(max_examples=300, deadline=None)
@given(
    stock=st.integers(min_value=0, max_value=15),
    loans=st.lists(holds(), max_size=8),
    closed=st.frozensets(st.integers(min_value=0, max_value=6), max_size=7),
    holidays=st.lists(periods(), max_size=3),
    first=days,
    span=st.integers(min_value=0, max_value=60),
    before=st.integers(min_value=0, max_value=4),
    after=st.integers(min_value=0, max_value=4),
)
def test_free_sets_match_a_day_by_day_count(
    stock, loans, closed, holidays, first, span, before, after
):
    desk = Desk(closed, tuple(holidays))
    last = first + timedelta(days=span)
    free = free_per_day(stock, loans, desk, first, last, before=before, after=after)
    assert len(free) == span + 1
    assert all(0 <= n <= stock for n in free)
    assert free == brute_force(stock, loans, closed, tuple(holidays), first, last, before, after)


@settings(max_examples=100, deadline=None)
@given(
    stock=st.integers(min_value=0, max_value=15),
    loans=st.lists(holds(), max_size=6),
    start=days,
    length=st.integers(min_value=0, max_value=20),
)
def test_a_new_loan_gets_at_most_the_fewest_free_sets_of_its_days(stock, loans, start, length):
    free = Availability(stock, tuple(loans), Desk(), before=1, after=2)
    end = start + timedelta(days=length)
    wanted = free.free_for(start, end)
    first = Desk().shift(start, -1)
    last = Desk().shift(end, 2)
    assert wanted == min(free.per_day(first, last))


def test_buffers_count_opening_days_not_calendar_days():
    # A loan ending on Friday with two opening days to check it: held until Tuesday.
    desk = Desk(frozenset({5, 6}))
    friday = date(2027, 1, 8)
    hold = Hold(3, date(2027, 1, 6), friday)
    free = free_per_day(3, [hold], desk, friday, friday + 5 * DAY, after=2)
    assert free == [0, 0, 0, 0, 0, 3]  # Fri, Sat, Sun, Mon, Tue held; Wednesday free


def test_holidays_stretch_the_buffer():
    monday = date(2027, 2, 15)
    desk = Desk(frozenset({5, 6}), ((monday, monday + 4 * DAY),))  # a week's holiday
    assert desk.shift(date(2027, 2, 12), 1) == date(2027, 2, 22)


def test_weeks_show_the_fewest_free_sets_of_each_week():
    monday = date(2027, 9, 27)
    hold = Hold(3, monday + 9 * DAY, monday + 10 * DAY)  # Wednesday-Thursday of week 40
    weeks = Availability(15, (hold,), Desk(), before=0, after=0).weeks(monday, 3)
    assert [(w.number, w.free, w.stock) for w in weeks] == [
        (39, 15, 15),
        (40, 12, 15),
        (41, 15, 15),
    ]


def test_a_desk_that_never_opens_does_not_hang():
    desk = Desk(frozenset(range(7)))
    assert desk.shift(START, 5) == START
    assert free_per_day(2, [Hold(1, START, START)], desk, START, START, before=3, after=3) == [1]
