"""Loans: a school reserves sets, the desk approves, hands out, takes back (partly) and settles.

The state machine is LOAN_TRANSITIONS; every change goes through ``_move``. Reservations
of one item serialise on the item's row (SELECT … FOR UPDATE on PostgreSQL) and check
the free sets again inside that lock, so sets are never lent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Handover,
    LendingApproval,
    LendingItem,
    Loan,
    LoanShortage,
    LoanState,
    Role,
    User,
)
from onderwijsplatform.services import audit, lending, lending_mail
from onderwijsplatform.services import lending_availability as availability
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed

S = LoanState


today = availability.today


@dataclass(frozen=True)
class Reservation:
    """What a coordinator asks for."""

    sets: int
    starts_on: date
    ends_on: date
    handover: Handover = Handover.PICKUP
    note: str = ""


def _validate(item: LendingItem, wish: Reservation, day: date, desk: availability.Desk) -> None:
    # The order is the order of the form: the first refused field gets the message.
    if wish.sets < 1:
        raise ValidationFailed("sets", "at least one set")
    if wish.starts_on < day:
        raise ValidationFailed("starts_on", "in the past")
    earliest = desk.shift(day, item.lead_days)
    if wish.starts_on < earliest:
        raise ValidationFailed("starts_on", f"lead:{earliest.isoformat()}")
    if not desk.is_open(wish.starts_on):
        raise ValidationFailed("starts_on", "closed")
    if item.exchange_weekday is not None and wish.starts_on.weekday() != item.exchange_weekday:
        raise ValidationFailed("starts_on", "weekday")
    if wish.ends_on < wish.starts_on:
        raise ValidationFailed("ends_on", "before start")
    if (wish.ends_on - wish.starts_on).days + 1 > item.max_loan_days:
        raise ValidationFailed("ends_on", "too long")
    if not desk.is_open(wish.ends_on):
        raise ValidationFailed("ends_on", "closed")
    if item.exchange_weekday is not None and wish.ends_on.weekday() != item.exchange_weekday:
        raise ValidationFailed("ends_on", "weekday")


def _lock(item: LendingItem) -> None:
    # Reservations of one item queue here until the one before commits (no-op on SQLite,
    # where a writer holds the whole database anyway).
    db.session.execute(sa.select(LendingItem.id).where(LendingItem.id == item.id).with_for_update())


def reserve(actor: User, item_id: int, wish: Reservation, now: datetime) -> Loan:
    """A coordinator reserves sets of an item of their region for their school.

    Raises NotFound (foreign item) or ValidationFailed(field, reason) for too many sets,
    dates in the past or too soon, a loan longer than allowed, a closed day, or more than
    one school may hold; nothing is saved then.
    """
    if actor.role is not Role.COORDINATOR or actor.school_id is None:
        raise InvalidTransition("only a school's coordinator reserves")
    item = lending.get(actor, item_id)
    if not item.active:
        raise ValidationFailed("sets", "inactive")
    day = today(now)
    desk = availability.desk_of(item.region_id)
    _validate(item, wish, day, desk)
    _lock(item)
    free = availability.for_item(item, day, desk=desk).free_for(wish.starts_on, wish.ends_on)
    if wish.sets > free:
        raise ValidationFailed("sets", f"free:{free}")
    held = lending.held_by_school(item.id, actor.school_id, wish.starts_on, wish.ends_on)
    if held + wish.sets > item.max_sets_per_school:
        raise ValidationFailed("sets", f"school:{max(item.max_sets_per_school - held, 0)}")
    automatic = item.approval is LendingApproval.AUTO
    loan = Loan(
        item_id=item.id,
        school_id=actor.school_id,
        coordinator_id=actor.id,
        sets=wish.sets,
        starts_on=wish.starts_on,
        ends_on=wish.ends_on,
        handover=wish.handover,
        note=wish.note,
        state=S.APPROVED if automatic else S.REQUESTED,
        decided_at=now if automatic else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(loan)
    db.session.flush()
    lending_mail.reserved(loan, now)
    audit.record(actor, "loan.reserve", loan, {"sets": loan.sets}, now)
    return loan


def get(actor: User, loan_id: int) -> Loan:
    """One loan of the actor's region (staff) or of their school (a coordinator)."""
    if actor.role is Role.COORDINATOR:
        return scope.load(Loan, loan_id, Loan.school_id == actor.school_id)
    return scope.get(actor, Loan, loan_id)


def _locked(actor: User, loan_id: int) -> Loan:
    loan = get(actor, loan_id)
    # Two desk clicks at once: the second sees the first one's state and is refused.
    db.session.execute(
        sa.select(Loan)
        .where(Loan.id == loan.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return loan


def _move(actor: User, loan: Loan, new: LoanState, now: datetime, **details) -> Loan:
    if not loan.can_become(new):
        raise InvalidTransition(f"{loan.state.value} -> {new.value}")
    old = loan.state
    loan.state = new
    loan.updated_at = now
    db.session.flush()
    audit.record(actor, f"loan.{new.value}", loan, {"from": old.value, **details}, now)
    return loan


def approve(actor: User, loan_id: int, now: datetime) -> Loan:
    """The owner (the region's desk) approves a request; the coordinator gets an email."""
    loan = _locked(actor, loan_id)
    _move(actor, loan, S.APPROVED, now)
    loan.decided_at = now
    lending_mail.approved(loan, now)
    return loan


def decline(actor: User, loan_id: int, reason: str, now: datetime) -> Loan:
    """Decline a request with a reason for the coordinator (by email)."""
    if not reason.strip():
        raise ValidationFailed("reason", "empty")
    loan = _locked(actor, loan_id)
    _move(actor, loan, S.DECLINED, now, reason=reason)
    loan.decided_at, loan.decline_reason = now, reason
    lending_mail.declined(loan, now)
    return loan


def cancel(actor: User, loan_id: int, now: datetime) -> Loan:
    """The school or the desk cancels before pick-up; the sets are free again."""
    return _move(actor, _locked(actor, loan_id), S.CANCELLED, now)


def check_out(actor: User, loan_id: int, checked: set[int], now: datetime) -> Loan:
    """Hand the sets out once every component on the list has been checked.

    ``checked`` holds the ids of the components the desk ticked; a missing one is a
    ValidationFailed("components").
    """
    loan = _locked(actor, loan_id)
    if not loan.can_become(S.OUT):
        raise InvalidTransition(f"{loan.state.value} -> out")
    if {c.id for c in loan.item.components} - checked:
        raise ValidationFailed("components", "unchecked")
    loan.out_at = now
    return _move(actor, loan, S.OUT, now)


@dataclass(frozen=True)
class Shortfall:
    """How many of one component came back missing or damaged."""

    component_id: int
    missing: int = 0
    damaged: int = 0


def check_in(
    actor: User, loan_id: int, sets_back: int, shortfalls: list[Shortfall], now: datetime
) -> Loan:
    """Take the sets back, fully or partly, recording missing and damaged components.

    Raises ValidationFailed("sets_back") for more sets than lent or fewer than none, and
    ValidationFailed("component-<id>") for a count below zero or above what was lent.
    """
    loan = _locked(actor, loan_id)
    if not loan.can_become(S.RETURNED):
        raise InvalidTransition(f"{loan.state.value} -> returned")
    if not 0 <= sets_back <= loan.sets:
        raise ValidationFailed("sets_back", "range")
    components = {c.id: c for c in loan.item.components}
    for short in shortfalls:
        component = components.get(short.component_id)
        if component is None:
            raise ValidationFailed("components", "unknown")
        lent = component.count * loan.sets
        if short.missing < 0 or short.damaged < 0 or short.missing + short.damaged > lent:
            raise ValidationFailed(f"component-{component.id}", f"range:{lent}")
        if short.missing or short.damaged:
            loan.shortages.append(
                LoanShortage(
                    component_id=component.id,
                    component_name=component.name,
                    missing=short.missing,
                    damaged=short.damaged,
                    created_at=now,
                    updated_at=now,
                )
            )
    loan.returned_at = now
    loan.sets_back = sets_back
    complete = sets_back == loan.sets and not loan.shortages
    return _move(actor, loan, S.RETURNED if complete else S.RETURNED_PARTLY, now, back=sets_back)


def settle(actor: User, loan_id: int, now: datetime) -> Loan:
    """The shortages are made good: the loan is returned in full and its sets free again."""
    loan = _locked(actor, loan_id)
    if loan.state is not S.RETURNED_PARTLY:
        raise InvalidTransition(f"{loan.state.value} -> returned")
    for shortage in loan.shortages:
        shortage.settled_at = shortage.settled_at or now
    loan.sets_back = loan.sets
    return _move(actor, loan, S.RETURNED, now, settled=True)


def mark_lost(actor: User, loan_id: int, now: datetime) -> Loan:
    """Sets that will not come back: the loan ends and the stock goes down by what is gone."""
    loan = _locked(actor, loan_id)
    if not loan.can_become(S.LOST):
        raise InvalidTransition(f"{loan.state.value} -> lost")
    gone = loan.sets - (loan.sets_back or 0)
    item = loan.item
    item.quantity = max(item.quantity - gone, 0)
    return _move(actor, loan, S.LOST, now, gone=gone)


_LOADS = (
    selectinload(Loan.item).selectinload(LendingItem.components),
    selectinload(Loan.school),
    selectinload(Loan.coordinator),
    selectinload(Loan.shortages),
)


def for_school(school_id: int) -> list[Loan]:
    """A school's loans, newest start first."""
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.school_id == school_id)
            .options(*_LOADS)
            .order_by(Loan.starts_on.desc(), Loan.id.desc())
        )
    )


def desk_listing(actor: User, states: tuple[LoanState, ...]) -> list[Loan]:
    """The region's loans in ``states``, soonest start first."""
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.state.in_(states), scope.visible(actor, Loan))
            .options(*_LOADS)
            .order_by(Loan.starts_on, Loan.id)
        )
    )


def overdue(actor: User | None, now: datetime) -> list[Loan]:
    """Loans out past their end date, oldest end first."""
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.state == S.OUT, Loan.ends_on < today(now), scope.visible(actor, Loan))
            .options(*_LOADS)
            .order_by(Loan.ends_on, Loan.id)
        )
    )


@dataclass(frozen=True)
class DeskDay:
    """One opening day of the desk: the loans to hand out and the ones due back."""

    day: date
    pickups: list[Loan]
    returns: list[Loan]


def day_list(actor: User, now: datetime, opening_days: int = 5) -> list[DeskDay]:
    """The coming opening days with their pick-ups and returns, to prepare in one batch."""
    desk = availability.desk_of(actor.region_id)
    first = desk.next_open(today(now))
    last = desk.shift(first, opening_days - 1)
    rows = db.session.scalars(
        sa.select(Loan)
        .where(scope.visible(actor, Loan))
        .where(
            sa.or_(
                sa.and_(Loan.state == S.APPROVED, Loan.starts_on.between(first, last)),
                sa.and_(Loan.state == S.OUT, Loan.ends_on.between(first, last)),
            )
        )
        .options(*_LOADS)
        .order_by(Loan.id)
    ).all()
    days, day = [], first
    while day <= last:
        if desk.is_open(day):
            pickups = [r for r in rows if r.state is S.APPROVED and r.starts_on == day]
            returns = [r for r in rows if r.state is S.OUT and r.ends_on == day]
            days.append(DeskDay(day, pickups, returns))
        day += timedelta(days=1)
    return days


def default_period(item: LendingItem, now: datetime) -> tuple[date, date]:
    """The dates a form offers first: the earliest allowed start and the usual length."""
    desk = availability.desk_of(item.region_id)
    weekday = item.exchange_weekday
    start = desk.shift(today(now), item.lead_days)
    for _ in range(400):  # bounded: a desk may be closed on the exchange day itself
        if desk.is_open(start) and (weekday is None or start.weekday() == weekday):
            break
        start += timedelta(days=1)
    if weekday is None:
        return start, desk.next_open(start + timedelta(days=item.loan_days - 1))
    weeks = max(min(item.loan_days, item.max_loan_days - 1) // 7, 1)
    return start, start + timedelta(weeks=weeks)
