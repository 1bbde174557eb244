"""Loans: every transition of the state machine, and every refused reservation saves nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import (
    LendingApproval,
    Loan,
    LoanShortage,
    LoanState,
    OutboxEmail,
    RegionHoliday,
)
from onderwijsplatform.services import lending_availability as availability
from onderwijsplatform.services import loans
from onderwijsplatform.services.errors import InvalidTransition, NotFound, ValidationFailed
from tests.lending.conftest import NOW, make_desk, make_item

S = LoanState
WEEK_40 = date(2027, 10, 4)  # Monday of ISO week 40


def _wish(sets=3, start=WEEK_40, end=WEEK_40 + timedelta(days=18), **kw) -> loans.Reservation:
    return loans.Reservation(sets=sets, starts_on=start, ends_on=end, **kw)


def _mails(db) -> list[str]:
    return sorted(db.session.scalars(sa.select(OutboxEmail.dedupe_key)))


def _loans(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Loan.id)))


def test_reserving_an_automatic_item_approves_it_and_holds_the_sets(db, desk):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    assert loan.state is S.APPROVED
    assert loan.school_id == desk.coordinator.school_id
    assert _mails(db) == [f"loan:{loan.id}:approved"]
    weeks = availability.for_item(desk.item, NOW.date()).weeks(WEEK_40, 3)
    assert [(w.number, w.free) for w in weeks] == [(40, 12), (41, 12), (42, 12)]


def test_an_owner_approved_item_is_requested_then_approved_or_declined(db, desk):
    desk.item.approval = LendingApproval.OWNER
    first = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    second = loans.reserve(desk.second, desk.item.id, _wish(), NOW)
    assert first.state is S.REQUESTED
    assert second.state is S.REQUESTED
    loans.approve(desk.staff, first.id, NOW)
    loans.decline(desk.staff, second.id, "Alle sets zijn die weken bij de open dag.", NOW)
    assert (first.state, second.state) == (S.APPROVED, S.DECLINED)
    assert second.decline_reason.startswith("Alle sets")
    assert _mails(db) == sorted(
        [
            f"loan:{first.id}:requested",
            f"loan:{first.id}:approved",
            f"loan:{second.id}:requested",
            f"loan:{second.id}:declined",
        ]
    )
    with pytest.raises(InvalidTransition):
        loans.approve(desk.staff, second.id, NOW)
    with pytest.raises(ValidationFailed):
        loans.decline(desk.staff, first.id, "  ", NOW)


def test_check_out_needs_every_component_ticked(db, desk):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    ids = {c.id for c in desk.item.components}
    with pytest.raises(ValidationFailed) as refused:
        loans.check_out(desk.staff, loan.id, set(list(ids)[:1]), NOW)
    assert refused.value.field == "components"
    assert loan.state is S.APPROVED
    loans.check_out(desk.staff, loan.id, ids, NOW)
    assert loan.state is S.OUT
    assert loan.out_at == NOW
    with pytest.raises(InvalidTransition):
        loans.cancel(desk.coordinator, loan.id, NOW)


def _out(desk, sets=3):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(sets), NOW)
    return loans.check_out(desk.staff, loan.id, {c.id for c in desk.item.components}, NOW)


def test_a_full_check_in_frees_the_sets(db, desk):
    loan = _out(desk)
    loans.check_in(desk.staff, loan.id, 3, [], NOW)
    assert loan.state is S.RETURNED
    assert loan.sets_back == 3
    assert availability.for_item(desk.item, NOW.date()).free_for(WEEK_40, WEEK_40) == 15


def test_a_partial_check_in_keeps_shortages_until_settled(db, desk):
    loan = _out(desk)
    panel = desk.item.components[0]
    loans.check_in(desk.staff, loan.id, 2, [loans.Shortfall(panel.id, missing=1)], NOW)
    assert loan.state is S.RETURNED_PARTLY
    shortage = db.session.scalar(sa.select(LoanShortage))
    assert (shortage.component_name, shortage.missing, shortage.settled_at) == (
        "zonnepaneel",
        1,
        None,
    )
    # The set that came back incomplete stays held, with no end date.
    free = availability.for_item(desk.item, NOW.date())
    assert free.free_for(date(2028, 6, 5), date(2028, 6, 9)) == 14
    loans.settle(desk.staff, loan.id, NOW)
    assert loan.state is S.RETURNED
    assert shortage.settled_at == NOW
    assert (
        availability.for_item(desk.item, NOW.date()).free_for(date(2028, 6, 5), date(2028, 6, 9))
        == 15
    )
    with pytest.raises(InvalidTransition):
        loans.settle(desk.staff, loan.id, NOW)


def test_check_in_refuses_more_than_was_lent(db, desk):
    loan = _out(desk)
    panel = desk.item.components[0]
    with pytest.raises(ValidationFailed) as too_many_sets:
        loans.check_in(desk.staff, loan.id, 4, [], NOW)
    assert too_many_sets.value.field == "sets_back"
    with pytest.raises(ValidationFailed) as too_many_parts:
        loans.check_in(
            desk.staff, loan.id, 3, [loans.Shortfall(panel.id, missing=5, damaged=2)], NOW
        )
    assert too_many_parts.value.field == f"component-{panel.id}"
    with pytest.raises(ValidationFailed):
        loans.check_in(desk.staff, loan.id, 3, [loans.Shortfall(panel.id, missing=-1)], NOW)
    assert loan.state is S.OUT
    assert loan.shortages == []


def test_lost_sets_leave_the_stock(db, desk):
    loan = _out(desk, sets=2)
    loans.mark_lost(desk.staff, loan.id, NOW)
    assert loan.state is S.LOST
    assert desk.item.quantity == 13
    with pytest.raises(InvalidTransition):
        loans.check_in(desk.staff, loan.id, 2, [], NOW)


def test_the_school_cancels_before_pick_up(db, desk):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    loans.cancel(desk.coordinator, loan.id, NOW)
    assert loan.state is S.CANCELLED
    with pytest.raises(InvalidTransition):
        loans.cancel(desk.coordinator, loan.id, NOW)


def test_every_illegal_move_is_refused(db, desk):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    with pytest.raises(InvalidTransition):
        loans.check_in(desk.staff, loan.id, 3, [], NOW)  # not out yet
    with pytest.raises(InvalidTransition):
        loans.settle(desk.staff, loan.id, NOW)
    with pytest.raises(InvalidTransition):
        loans.mark_lost(desk.staff, loan.id, NOW)
    with pytest.raises(InvalidTransition):
        loans.approve(desk.staff, loan.id, NOW)  # approved already


@pytest.mark.parametrize(
    ("wish", "field", "reason"),
    [
        (_wish(sets=16), "sets", "free:15"),
        (_wish(sets=0), "sets", "at least one set"),
        (_wish(start=date(2027, 9, 1), end=date(2027, 9, 10)), "starts_on", "in the past"),
        (_wish(start=date(2027, 9, 7), end=date(2027, 9, 20)), "starts_on", "lead:2027-09-09"),
        (_wish(start=date(2027, 10, 2)), "starts_on", "closed"),  # a Saturday
        (_wish(end=WEEK_40 + timedelta(days=50)), "ends_on", "too long"),
        (_wish(end=date(2027, 10, 17)), "ends_on", "closed"),  # a Sunday
        (_wish(end=WEEK_40 - timedelta(days=1)), "ends_on", "before start"),
        (_wish(sets=6), "sets", "school:5"),
    ],
)
def test_bad_reservations_save_nothing_and_send_nothing(db, desk, wish, field, reason):
    with pytest.raises(ValidationFailed) as refused:
        loans.reserve(desk.coordinator, desk.item.id, wish, NOW)
    assert (refused.value.field, refused.value.message) == (field, reason)
    assert _loans(db) == 0
    assert _mails(db) == []


def test_a_holiday_is_a_closed_day(db, desk):
    db.session.add(
        RegionHoliday(
            region_id=desk.region.id,
            name="Herfstvakantie",
            starts_on=date(2027, 10, 18),
            ends_on=date(2027, 10, 22),
        )
    )
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        loans.reserve(desk.coordinator, desk.item.id, _wish(start=date(2027, 10, 19)), NOW)
    assert refused.value.message == "closed"


def test_a_fixed_exchange_day_is_kept(db, desk):
    desk.item.exchange_weekday = 2  # Wednesday
    with pytest.raises(ValidationFailed) as refused:
        loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    assert (refused.value.field, refused.value.message) == ("starts_on", "weekday")
    wednesday = date(2027, 10, 6)
    loan = loans.reserve(
        desk.coordinator, desk.item.id, _wish(start=wednesday, end=wednesday + timedelta(21)), NOW
    )
    assert loan.state is S.APPROVED


def test_the_school_limit_counts_what_it_holds_already(db, desk):
    loans.reserve(desk.coordinator, desk.item.id, _wish(sets=4), NOW)
    with pytest.raises(ValidationFailed) as refused:
        loans.reserve(desk.coordinator, desk.item.id, _wish(sets=2), NOW)
    assert refused.value.message == "school:1"
    assert loans.reserve(desk.second, desk.item.id, _wish(sets=5), NOW).sets == 5


def test_an_item_out_now_can_be_reserved_for_later(db, desk):
    small = make_item(db, desk.region, title="3D-printer", quantity=1, max_sets_per_school=1)
    now_loan = loans.reserve(
        desk.coordinator, small.id, _wish(1, date(2027, 9, 13), date(2027, 9, 24)), NOW
    )
    loans.check_out(desk.staff, now_loan.id, {c.id for c in small.components}, NOW)
    with pytest.raises(ValidationFailed) as overlapping:
        loans.reserve(desk.second, small.id, _wish(1, date(2027, 9, 29), date(2027, 10, 8)), NOW)
    # Friday's return is checked on Monday and Tuesday, the next loan prepared on Wednesday.
    assert overlapping.value.message == "free:0"
    later = loans.reserve(
        desk.second, small.id, _wish(1, date(2027, 9, 30), date(2027, 10, 8)), NOW
    )
    assert later.state is S.APPROVED


def test_another_regions_item_and_loan_are_not_found(db, desk):
    other = make_desk(db)
    with pytest.raises(NotFound):
        loans.reserve(desk.coordinator, other.item.id, _wish(), NOW)
    loan = loans.reserve(other.coordinator, other.item.id, _wish(), NOW)
    with pytest.raises(NotFound):
        loans.approve(desk.staff, loan.id, NOW)
    with pytest.raises(NotFound):
        loans.cancel(desk.second, loan.id, NOW)  # same role, another school


def test_the_day_list_shows_the_coming_pick_ups_and_returns(db, desk):
    loan = loans.reserve(desk.coordinator, desk.item.id, _wish(), NOW)
    out = loans.reserve(desk.second, desk.item.id, _wish(), NOW)
    loans.check_out(desk.staff, out.id, {c.id for c in desk.item.components}, NOW)
    friday = datetime(2027, 10, 1, 8, 0, tzinfo=UTC)
    days = loans.day_list(desk.staff, friday)
    assert [d.day.weekday() for d in days] == [4, 0, 1, 2, 3]  # Friday, then Monday on
    monday = days[1]
    assert monday.day == WEEK_40
    assert monday.pickups == [loan]
    assert monday.returns == []
    returns = loans.day_list(desk.staff, datetime(2027, 10, 20, 8, 0, tzinfo=UTC))
    assert [d.returns for d in returns if d.returns] == [[out]]


def test_stock_cannot_drop_below_what_loans_hold(db, desk):
    from onderwijsplatform.services import lending

    loans.reserve(desk.coordinator, desk.item.id, _wish(sets=5), NOW)
    loans.reserve(desk.second, desk.item.id, _wish(sets=4), NOW)
    values = {name: getattr(desk.item, name) for name in lending.FIELDS}
    with pytest.raises(ValidationFailed) as refused:
        lending.update(desk.staff, desk.item, {**values, "quantity": 8}, [("multimeter", 1)], NOW)
    assert (refused.value.field, refused.value.message) == ("quantity", "held:9")
    assert desk.item.quantity == 15
    lending.update(desk.staff, desk.item, {**values, "quantity": 9}, [("multimeter", 1)], NOW)
    assert desk.item.quantity == 9
    assert [c.name for c in desk.item.components] == ["multimeter"]
