"""Programmes and slots: repeating plans skip holidays, closed days and weekends."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderwijsplatform.models import RegionHoliday
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services import visit_programmes, visits
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed
from onderwijsplatform.services.visits import BookingValues
from tests.visits.conftest import NOW


def _plan(vw, first, last, weekdays=(0, 2), **kwargs):
    days = cal.plan_days(first, last, weekdays)
    return visit_programmes.add_slots(
        vw.world.staff, vw.programme, days, time(9, 0), time(11, 0), NOW, **kwargs
    )


def test_a_repeating_plan_skips_holidays_and_closed_days(db, vw):
    db.session.add(
        RegionHoliday(
            region_id=vw.world.region.id,
            name="Voorjaarsvakantie",
            starts_on=date(2027, 3, 22),
            ends_on=date(2027, 3, 26),
        )
    )
    vw.programme.closed = [{"from": "2027-04-05", "to": "2027-04-05"}]
    plan = _plan(vw, date(2027, 3, 15), date(2027, 4, 7))
    made = [cal.local_day(s.starts_at) for s in plan.created]
    assert made == [
        date(2027, 3, 15),
        date(2027, 3, 29),
        date(2027, 3, 31),
        date(2027, 4, 7),
    ]
    assert dict(plan.skipped) == {
        date(2027, 3, 17): "exists",  # the fixture's slot starts then too
        date(2027, 3, 22): "holiday",
        date(2027, 3, 24): "holiday",
        date(2027, 4, 5): "closed",
    }
    slot = plan.created[0]
    assert (slot.capacity_pupils, slot.capacity_groups) == (60, 2)  # 2 groups of at most 30
    assert cal.free_places(plan.created)[slot.id] == cal.Free(60, 2)


def test_a_single_slot_in_a_holiday_is_refused_with_the_reason(db, vw):
    day = date(2027, 3, 22)
    db.session.add(
        RegionHoliday(region_id=vw.world.region.id, name="Vakantie", starts_on=day, ends_on=day)
    )
    with pytest.raises(ValidationFailed) as refused:
        _plan(vw, day, day, weekdays=(day.weekday(),))
    assert (refused.value.field, refused.value.message) == ("first", "holiday")
    with pytest.raises(ValidationFailed) as refused:
        _plan(vw, date(2027, 3, 1), date(2027, 3, 1), weekdays=(0,))
    assert refused.value.message == "past"
    with pytest.raises(ValidationFailed) as refused:
        visit_programmes.add_slots(
            vw.world.staff, vw.programme, [date(2027, 3, 29)], time(11), time(9), NOW
        )
    assert refused.value.field == "end"


def test_a_booked_slot_cannot_be_removed_an_empty_one_can(db, vw):
    visits.book(vw.world.coordinator, vw.slot.id, BookingValues("po", 24, 3), NOW)
    with pytest.raises(InvalidTransition):
        visit_programmes.remove_slot(vw.world.staff, vw.slot.id, NOW)
    plan = _plan(vw, date(2027, 3, 29), date(2027, 3, 29), weekdays=(0,))
    visit_programmes.remove_slot(vw.world.staff, plan.created[0].id, NOW)
    assert [s.id for s in vw.programme.slots] == [vw.slot.id]


def test_staff_of_another_region_cannot_reach_programmes_or_slots(db, vw, other_vw):
    staff = other_vw.world.staff
    with pytest.raises(NotFound):
        visit_programmes.get(staff, vw.programme.id)
    with pytest.raises(NotFound):
        visit_programmes.remove_slot(staff, vw.slot.id, NOW)
    assert visit_programmes.listing(staff) == [other_vw.programme]


def test_max_below_min_is_refused(db, vw):
    values = {"min_pupils": 20, "max_pupils": 10, "pupils_per_escort": {}, "target_groups": []}
    with pytest.raises(ValidationFailed) as refused:
        visit_programmes.update(vw.world.staff, vw.programme, values, NOW)
    assert refused.value.field == "max_pupils"


@given(
    capacity=st.tuples(st.integers(1, 500), st.integers(1, 20)),
    taken=st.lists(st.integers(1, 60), max_size=30),
)
def test_free_room_never_goes_below_zero_and_adds_up(capacity, taken):
    pupils, groups = capacity
    free = cal.remaining(pupils, groups, taken)
    assert 0 <= free.pupils <= pupils
    assert 0 <= free.groups <= groups
    if sum(taken) <= pupils and len(taken) <= groups:
        assert free.pupils + sum(taken) == pupils
        assert free.groups + len(taken) == groups
    assert free.full == (free.pupils == 0 or free.groups == 0)
