"""Booking a visit: a school books a class into a slot; the host confirms, both may cancel.

Places are never given twice: every booking or change of a slot first locks the slot's row
(``SELECT … FOR UPDATE`` on PostgreSQL), then counts its free room again inside that
transaction, so bookings of one slot take turns. Cancelling or declining one booking frees
its own places and touches no other booking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    BookingState,
    Confirmation,
    ProgrammeStatus,
    Role,
    User,
    VisitBooking,
    VisitProgramme,
    VisitSlot,
)
from onderwijsplatform.services import audit, visit_mail
from onderwijsplatform.services import visit_calendar as cal
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed

S = BookingState


class BookingRefused(ValidationFailed):
    """A booking or change that breaks a rule; ``params`` fill in the message's numbers."""

    def __init__(self, field: str, code: str, **params: int) -> None:
        super().__init__(field, code)
        self.params = params


@dataclass(frozen=True)
class BookingValues:
    """What a coordinator fills in for a class."""

    target_group: str
    pupils: int
    escorts: int
    contact_name: str | None = None
    contact_phone: str | None = None
    note: str | None = None


def required_escorts(programme: VisitProgramme, target_group: str, pupils: int) -> int:
    """The adults a class needs: one per so many pupils for its target group (else none)."""
    per = programme.pupils_per_escort.get(target_group)
    return math.ceil(pupils / per) if per else 0


def _locked_slot(slot_id: int) -> VisitSlot | None:
    # The row lock makes bookings of one slot take turns; populate_existing reloads the
    # row if this session had it already. SQLite (tests) has one writer anyway.
    return db.session.scalar(
        sa.select(VisitSlot)
        .where(VisitSlot.id == slot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _check_slot(actor: User, slot: VisitSlot | None, now: datetime) -> VisitSlot:
    if slot is None or slot.programme.region_id != actor.region_id:
        raise BookingRefused("slot_id", "unknown")
    if slot.programme.status is not ProgrammeStatus.ACTIVE:
        raise BookingRefused("slot_id", "not_open")
    if slot.starts_at <= now:
        raise BookingRefused("slot_id", "past")
    if cal.within(cal.local_day(slot.starts_at), cal.holidays(slot.programme.region_id)):
        raise BookingRefused("slot_id", "holiday")
    return slot


def _check_class(
    programme: VisitProgramme, values: BookingValues, free: cal.Free, held: int = 0
) -> None:
    """The class fits the programme and the slot's free room (plus ``held``, its own)."""
    if programme.target_groups and values.target_group not in programme.target_groups:
        raise BookingRefused("target_group", "target_group")
    if values.pupils < programme.min_pupils:
        raise BookingRefused("pupils", "too_few", min=programme.min_pupils)
    if values.pupils > programme.max_pupils:
        raise BookingRefused("pupils", "too_many", max=programme.max_pupils)
    if values.pupils > free.pupils + held:
        raise BookingRefused("pupils", "no_room", free=free.pupils + held)
    needed = required_escorts(programme, values.target_group, values.pupils)
    if values.escorts < needed:
        raise BookingRefused("escorts", "escorts", needed=needed)


def book(actor: User, slot_id: int, values: BookingValues, now: datetime) -> VisitBooking:
    """Book one class of the coordinator's school into a slot of their region.

    Provisional when the programme waits for the host, else confirmed; the mails are
    queued in the same transaction. Raises BookingRefused naming the field at fault:
    slot_id (unknown or of another region, not open, past, holiday, full), target_group,
    pupils, escorts.
    """
    if actor.role is not Role.COORDINATOR or actor.school_id is None:
        raise BookingRefused("slot_id", "not_a_school")
    if not 0 < slot_id <= scope.ID_MAX:
        raise BookingRefused("slot_id", "unknown")
    slot = _check_slot(actor, _locked_slot(slot_id), now)
    free = cal.free_in(slot)
    if free.groups <= 0 or free.pupils <= 0:
        raise BookingRefused("slot_id", "full")
    programme = slot.programme
    _check_class(programme, values, free)
    automatic = programme.confirmation is Confirmation.AUTOMATIC
    booking = VisitBooking(
        slot_id=slot.id,
        school_id=actor.school_id,
        coordinator_id=actor.id,
        state=S.CONFIRMED if automatic else S.PROVISIONAL,
        target_group=values.target_group,
        pupils=values.pupils,
        escorts=values.escorts,
        contact_name=values.contact_name,
        contact_phone=values.contact_phone,
        note=values.note,
        decided_at=now if automatic else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    db.session.refresh(booking)
    visit_mail.booked(booking, now)
    return booking


# --------------------------------------------------------------------------- loading


def get(actor: User, booking_id: int) -> VisitBooking:
    """A booking the actor may see: staff their region's, a coordinator their school's."""
    if actor.role is Role.COORDINATOR:
        own = VisitBooking.school_id == actor.school_id
        return scope.get(actor, VisitBooking, booking_id, own)
    return scope.get(actor, VisitBooking, booking_id)


_LOADS = (
    selectinload(VisitBooking.slot).selectinload(VisitSlot.programme),
    selectinload(VisitBooking.school),
)


def for_school(school_id: int) -> list[VisitBooking]:
    """A school's bookings, soonest visit first."""
    return list(
        db.session.scalars(
            sa.select(VisitBooking)
            .join(VisitSlot, VisitBooking.slot_id == VisitSlot.id)
            .where(VisitBooking.school_id == school_id)
            .options(*_LOADS)
            .order_by(VisitSlot.starts_at, VisitBooking.id)
        )
    )


def listing(
    actor: User, *, states: tuple[BookingState, ...] = (), day: date | None = None
) -> list[VisitBooking]:
    """The region's bookings in ``states`` (all if none), on one local ``day`` if given."""
    query = (
        sa.select(VisitBooking)
        .join(VisitSlot, VisitBooking.slot_id == VisitSlot.id)
        .where(scope.visible(actor, VisitBooking))
        .options(*_LOADS)
        .order_by(VisitSlot.starts_at, VisitBooking.id)
    )
    if states:
        query = query.where(VisitBooking.state.in_(states))
    if day is not None:
        midnight = datetime.min.time()
        query = query.where(
            VisitSlot.starts_at >= cal.at(day, midnight),
            VisitSlot.starts_at < cal.at(day + timedelta(days=1), midnight),
        )
    return list(db.session.scalars(query))


# --------------------------------------------------------------------------- changes


def _move(booking: VisitBooking, new: BookingState, now: datetime) -> None:
    if not booking.can_become(new):
        raise InvalidTransition(f"{booking.state.value} -> {new.value}")
    booking.state = new
    booking.updated_at = now


def confirm(actor: User, booking_id: int, now: datetime) -> VisitBooking:
    """Staff confirm a provisional booking for the host. Raises NotFound, InvalidTransition."""
    booking = _staff_booking(actor, booking_id)
    _move(booking, S.CONFIRMED, now)
    booking.decided_at = now
    db.session.flush()
    visit_mail.confirmed(booking, now)
    audit.record(actor, "visit.confirm", booking, {}, now)
    return booking


def decline(actor: User, booking_id: int, reason: str, now: datetime) -> VisitBooking:
    """Staff decline a provisional booking with a reason; its places are free again."""
    booking = _staff_booking(actor, booking_id)
    _move(booking, S.DECLINED, now)
    booking.decided_at, booking.reason = now, reason
    db.session.flush()
    visit_mail.declined(booking, now)
    audit.record(actor, "visit.decline", booking, {"reason": reason}, now)
    return booking


def _staff_booking(actor: User, booking_id: int) -> VisitBooking:
    if not actor.is_staff:
        raise NotFound()
    return get(actor, booking_id)


def _deadline(booking: VisitBooking, days: int, field: str, now: datetime) -> None:
    visit_day = cal.local_day(booking.slot.starts_at)
    holiday_periods = cal.holidays(booking.slot.programme.region_id)
    if booking.slot.starts_at <= now:
        raise BookingRefused(field, "started")
    if cal.school_days_left(cal.local_day(now), visit_day, holiday_periods) < days:
        raise BookingRefused(field, "deadline", days=days)


def change(actor: User, booking_id: int, pupils: int, escorts: int, now: datetime) -> VisitBooking:
    """The school changes its numbers until the change deadline (in school days).

    Raises NotFound, InvalidTransition (a closed booking), or BookingRefused: pupils
    (deadline, too few or many, no room), escorts.
    """
    booking = get(actor, booking_id)
    if booking.state not in (S.PROVISIONAL, S.CONFIRMED):
        raise InvalidTransition(booking.state.value)
    slot = _locked_slot(booking.slot_id) or booking.slot  # the lock; the row always exists
    programme = slot.programme
    _deadline(booking, programme.change_days, "pupils", now)
    values = BookingValues(booking.target_group, pupils, escorts)
    _check_class(programme, values, cal.free_in(slot), held=booking.pupils)
    booking.pupils, booking.escorts = pupils, escorts
    booking.sequence += 1
    booking.updated_at = now
    db.session.flush()
    visit_mail.changed(booking, now)
    return booking


def cancel(actor: User, booking_id: int, reason: str, now: datetime) -> VisitBooking:
    """Cancel one booking: the school until its cancellation deadline, staff until the visit.

    Only this booking changes; its places are free again. Raises NotFound,
    InvalidTransition, or BookingRefused("reason") after the deadline.
    """
    booking = get(actor, booking_id)
    was_confirmed = booking.state is S.CONFIRMED
    if not booking.can_become(S.CANCELLED):
        raise InvalidTransition(booking.state.value)
    by_school = actor.role is Role.COORDINATOR
    if by_school:
        _deadline(booking, booking.slot.programme.cancel_days, "reason", now)
    elif booking.slot.starts_at <= now:
        raise BookingRefused("reason", "started")
    _move(booking, S.CANCELLED, now)
    booking.reason, booking.cancelled_by = reason, "school" if by_school else "host"
    booking.sequence += 1
    db.session.flush()
    visit_mail.cancelled(booking, was_confirmed, now)
    audit.record(actor, "visit.cancel", booking, {"by": booking.cancelled_by}, now)
    return booking


def record(
    actor: User,
    booking_id: int,
    took_place: bool,
    pupils_reached: int | None,
    host_hours: Decimal | None,
    now: datetime,
) -> VisitBooking:
    """After the visit: it took place (with pupils reached and the host's hours) or no-show.

    Raises NotFound, InvalidTransition (not confirmed), BookingRefused("pupils_reached")
    before the visit has started.
    """
    booking = _staff_booking(actor, booking_id)
    if booking.slot.starts_at > now:
        raise BookingRefused("pupils_reached", "not_yet")
    _move(booking, S.TOOK_PLACE if took_place else S.NO_SHOW, now)
    programme = booking.slot.programme
    if took_place:
        booking.pupils_reached = booking.pupils if pupils_reached is None else pupils_reached
        booking.host_hours = programme.staff_hours if host_hours is None else host_hours
    else:
        booking.pupils_reached, booking.host_hours = 0, Decimal(0)
    booking.recorded_at, booking.recorded_by_id = now, actor.id
    db.session.flush()
    details = {"took_place": took_place, "pupils": booking.pupils_reached}
    audit.record(actor, "visit.record", booking, details, now)
    return booking


def contribution_cents(booking: VisitBooking) -> int:
    """The ledger hook: a visit that took place is worth the host's hours × the region's rate.

    The co-financing ledger (services/reports.py) does not count visits yet; it can sum
    this over ``listing(actor, states=(TOOK_PLACE,))`` when it does.
    """
    if booking.state is not S.TOOK_PLACE or booking.host_hours is None:
        return 0
    return int(booking.host_hours * booking.slot.programme.region.hour_rate_cents)
