"""Booking service: every state change, the checks of a booking, deadlines and the mails."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import icalendar
import pytest
import sqlalchemy as sa

from onderwijsplatform.models import (
    BookingState,
    Confirmation,
    OutboxEmail,
    ProgrammeStatus,
    RegionHoliday,
    Role,
)
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services import visits
from onderwijsplatform.services.errors import InvalidTransition, NotFound
from onderwijsplatform.services.visits import BookingRefused, BookingValues
from tests.factories import make_school, make_user
from tests.visits.conftest import NOW, make_slot

CLASS = BookingValues(target_group="po", pupils=24, escorts=3, contact_name="Juf Ans")


def _mails(db) -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def _book(vw, values=CLASS, *, user=None, slot=None, now=NOW):
    return visits.book(user or vw.world.coordinator, (slot or vw.slot).id, values, now)


def test_a_booking_waits_for_the_host_and_mails_both_sides(db, vw):
    booking = _book(vw)
    assert booking.state is BookingState.PROVISIONAL
    assert booking.school_id == vw.world.school.id
    mails = {(m.template, m.to_addr) for m in _mails(db)}
    assert ("visit_received", vw.world.coordinator.email) in mails
    assert ("visit_to_confirm", vw.programme.contact.email) in mails
    assert all(m.ics is None for m in _mails(db))
    assert cal.free_in(vw.slot) == cal.Free(pupils=26, groups=1)


def test_automatic_confirmation_sends_the_invitation_at_once(db, vw):
    vw.programme.confirmation = Confirmation.AUTOMATIC
    booking = _book(vw)
    assert booking.state is BookingState.CONFIRMED
    mails = _mails(db)
    assert {m.template for m in mails} == {"visit_confirmed"}
    event = icalendar.Calendar.from_ical(mails[0].ics).walk("VEVENT")[0]
    assert str(event["UID"]) == f"visit-{booking.id}@onderwijsplatform"
    assert event.decoded("DTSTART") == vw.slot.starts_at


def test_staff_confirm_then_the_visit_takes_place(db, vw):
    booking = _book(vw)
    visits.confirm(vw.world.staff, booking.id, NOW)
    assert booking.state is BookingState.CONFIRMED
    assert "visit_confirmed" in {m.template for m in _mails(db)}
    after = vw.slot.ends_at
    visits.record(vw.world.staff, booking.id, True, 22, None, after)
    assert booking.state is BookingState.TOOK_PLACE
    assert (booking.pupils_reached, booking.host_hours) == (22, Decimal("3.5"))
    rate = vw.world.region.hour_rate_cents
    assert visits.contribution_cents(booking) == int(Decimal("3.5") * rate)


def test_a_no_show_counts_nothing(db, vw):
    booking = _book(vw)
    visits.confirm(vw.world.staff, booking.id, NOW)
    visits.record(vw.world.staff, booking.id, False, None, None, vw.slot.ends_at)
    assert booking.state is BookingState.NO_SHOW
    assert visits.contribution_cents(booking) == 0
    # A no-show keeps its places: the slot is over, and the record must stay as it was.
    assert cal.free_in(vw.slot).groups == 1


def test_the_visit_cannot_be_recorded_before_it_starts(db, vw):
    booking = _book(vw)
    visits.confirm(vw.world.staff, booking.id, NOW)
    with pytest.raises(BookingRefused) as refused:
        visits.record(vw.world.staff, booking.id, True, 20, None, NOW)
    assert refused.value.field == "pupils_reached"


def test_decline_frees_the_places_and_tells_the_school_why(db, vw):
    booking = _book(vw)
    visits.decline(vw.world.staff, booking.id, "Techlab gesloten", NOW)
    assert booking.state is BookingState.DECLINED
    assert cal.free_in(vw.slot) == cal.Free(pupils=50, groups=2)
    declined = [m for m in _mails(db) if m.template == "visit_declined"]
    assert [m.to_addr for m in declined] == [vw.world.coordinator.email]
    assert "Techlab gesloten" in declined[0].body_text
    with pytest.raises(InvalidTransition):
        visits.confirm(vw.world.staff, booking.id, NOW)


def test_cancelling_one_booking_leaves_the_other_alone(db, vw):
    first = _book(vw)
    second_school = make_user(Role.COORDINATOR, school=make_school(vw.world.region))
    second = _book(vw, BookingValues("vmbo_onderbouw", 20, 1), user=second_school)
    visits.confirm(vw.world.staff, first.id, NOW)
    visits.cancel(vw.world.coordinator, first.id, "Bus niet beschikbaar", NOW)
    assert first.state is BookingState.CANCELLED
    assert first.cancelled_by == "school"
    assert second.state is BookingState.PROVISIONAL
    assert cal.free_in(vw.slot) == cal.Free(pupils=30, groups=1)
    cancel = [m for m in _mails(db) if m.template == "visit_cancelled" and m.ics]
    assert {m.to_addr for m in cancel} == {vw.world.coordinator.email, vw.programme.contact.email}
    calendar = icalendar.Calendar.from_ical(cancel[0].ics)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"visit-{first.id}@onderwijsplatform"
    assert int(event["SEQUENCE"]) == 1


def test_the_school_cannot_cancel_after_the_deadline_but_staff_can(db, vw):
    booking = _book(vw)
    late = NOW + timedelta(days=8)  # Thursday: 4 school days left before Wednesday's visit
    with pytest.raises(BookingRefused) as refused:
        visits.cancel(vw.world.coordinator, booking.id, "x", late)
    assert (refused.value.field, refused.value.message) == ("reason", "deadline")
    assert refused.value.params == {"days": 7}
    visits.cancel(vw.world.staff, booking.id, "Storing", late)
    assert booking.cancelled_by == "host"


def test_change_until_the_deadline_with_a_new_sequence(db, vw):
    vw.programme.confirmation = Confirmation.AUTOMATIC
    booking = _book(vw)
    visits.change(vw.world.coordinator, booking.id, 28, 4, NOW)
    assert (booking.pupils, booking.escorts, booking.sequence) == (28, 4, 1)
    changed = [m for m in _mails(db) if m.template == "visit_changed"]
    event = icalendar.Calendar.from_ical(changed[0].ics).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    with pytest.raises(BookingRefused) as refused:
        visits.change(vw.world.coordinator, booking.id, 20, 3, NOW + timedelta(days=8))
    assert refused.value.message == "deadline"
    assert booking.pupils == 28


def test_a_change_may_keep_its_own_places_but_not_take_more_than_free(db, vw):
    booking = _book(vw)
    other = make_user(Role.COORDINATOR, school=make_school(vw.world.region))
    _book(vw, BookingValues("vmbo_onderbouw", 24, 0), user=other)
    visits.change(vw.world.coordinator, booking.id, 26, 4, NOW)  # 50 − 24 = 26 for this class
    with pytest.raises(BookingRefused) as refused:
        visits.change(vw.world.coordinator, booking.id, 27, 4, NOW)
    assert (refused.value.message, refused.value.params) == ("no_room", {"free": 26})


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (BookingValues("po", 31, 4), "pupils", "too_many"),
        (BookingValues("po", 9, 2), "pupils", "too_few"),
        (BookingValues("po", 24, 2), "escorts", "escorts"),
        (BookingValues("havo_vwo", 24, 3), "target_group", "target_group"),
    ],
)
def test_bad_classes_are_refused_with_the_field_and_nothing_is_saved(db, vw, values, field, code):
    with pytest.raises(BookingRefused) as refused:
        _book(vw, values)
    assert (refused.value.field, refused.value.message) == (field, code)
    assert cal.free_in(vw.slot) == cal.Free(50, 2)
    assert _mails(db) == []


def test_more_pupils_than_free_and_a_full_slot(db, vw):
    _book(vw, BookingValues("vmbo_onderbouw", 30, 0))
    with pytest.raises(BookingRefused) as refused:
        _book(vw, BookingValues("po", 24, 3))
    assert (refused.value.field, refused.value.params) == ("pupils", {"free": 20})
    other = make_user(Role.COORDINATOR, school=make_school(vw.world.region))
    _book(vw, BookingValues("po", 16, 2), user=other)
    with pytest.raises(BookingRefused) as refused:
        _book(vw, BookingValues("po", 10, 2))
    assert (refused.value.field, refused.value.message) == ("slot_id", "full")


def test_slots_in_the_past_of_another_region_or_closed_are_refused(db, vw, other_vw):
    cases = [
        (vw.slot, vw.slot.starts_at, "past"),
        (other_vw.slot, NOW, "unknown"),
    ]
    for slot, now, code in cases:
        with pytest.raises(BookingRefused) as refused:
            _book(vw, slot=slot, now=now)
        assert (refused.value.field, refused.value.message) == ("slot_id", code)
    vw.programme.status = ProgrammeStatus.PAUSED
    with pytest.raises(BookingRefused) as refused:
        _book(vw)
    assert refused.value.message == "not_open"
    with pytest.raises(BookingRefused) as refused:
        visits.book(vw.world.coordinator, 2**40, CLASS, NOW)
    assert refused.value.message == "unknown"
    assert _mails(db) == []


def test_a_slot_in_a_holiday_added_later_cannot_be_booked(db, vw):
    day = cal.local_day(vw.slot.starts_at)
    db.session.add(
        RegionHoliday(region_id=vw.world.region.id, name="Extra", starts_on=day, ends_on=day)
    )
    db.session.flush()
    with pytest.raises(BookingRefused) as refused:
        _book(vw)
    assert refused.value.message == "holiday"


def test_staff_cannot_book_and_a_coordinator_cannot_confirm(db, vw):
    with pytest.raises(BookingRefused):
        visits.book(vw.world.staff, vw.slot.id, CLASS, NOW)
    booking = _book(vw)
    with pytest.raises(NotFound):
        visits.confirm(vw.world.coordinator, booking.id, NOW)


def test_another_school_or_region_cannot_see_a_booking(db, vw, other_vw):
    booking = _book(vw)
    stranger = make_user(Role.COORDINATOR, school=make_school(vw.world.region))
    for actor in (stranger, other_vw.world.staff, other_vw.world.coordinator):
        with pytest.raises(NotFound):
            visits.get(actor, booking.id)
    with pytest.raises(NotFound):
        visits.cancel(stranger, booking.id, "x", NOW)


def test_the_day_list_shows_the_region_s_visits_of_one_day(db, vw, other_vw):
    booking = _book(vw)
    _book(other_vw)
    later = make_slot(db, vw.programme, days_ahead=15)
    _book(vw, slot=later)
    day = cal.local_day(vw.slot.starts_at)
    assert visits.listing(vw.world.staff, day=day) == [booking]
    assert len(visits.listing(vw.world.staff)) == 2
    assert visits.listing(vw.world.staff, day=date(2027, 1, 1)) == []


def test_school_days_skip_weekends_and_holidays():
    wednesday = date(2027, 3, 3)
    assert cal.school_days_left(wednesday, wednesday + timedelta(days=7), []) == 5
    holiday = [(date(2027, 3, 8), date(2027, 3, 9))]
    assert cal.school_days_left(wednesday, wednesday + timedelta(days=7), holiday) == 3
    friday, monday = date(2027, 3, 5), date(2027, 3, 8)
    assert cal.school_days_left(friday, monday, []) == 1
    assert cal.at(wednesday, time(9)).hour == 8  # CET is UTC+1 in March
