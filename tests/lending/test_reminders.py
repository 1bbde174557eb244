"""Loan reminders: before pick-up, before the due date, and overdue every N opening days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from onderwijsplatform.models import OutboxEmail
from onderwijsplatform.services import lending_reminders, loans
from tests.lending.conftest import NOW


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)


def _keys(db) -> list[str]:
    return sorted(db.session.scalars(sa.select(OutboxEmail.dedupe_key)))


def _out(desk, coordinator, start, end):
    loan = loans.reserve(coordinator, desk.item.id, loans.Reservation(2, start, end), NOW)
    return loans.check_out(desk.staff, loan.id, {c.id for c in desk.item.components}, NOW)


def test_pick_up_and_due_reminders_go_once(db, desk):
    start, end = date(2027, 10, 4), date(2027, 10, 22)
    loan = loans.reserve(desk.coordinator, desk.item.id, loans.Reservation(2, start, end), NOW)
    lending_reminders.send_reminders(_at(date(2027, 9, 29)))  # three opening days ahead: no
    assert f"loan:{loan.id}:pickup" not in _keys(db)
    lending_reminders.send_reminders(_at(date(2027, 9, 30)))
    lending_reminders.send_reminders(_at(date(2027, 10, 1)))
    assert _keys(db).count(f"loan:{loan.id}:pickup") == 1
    loans.check_out(desk.staff, loan.id, {c.id for c in desk.item.components}, NOW)
    lending_reminders.send_reminders(_at(date(2027, 10, 20)))
    lending_reminders.send_reminders(_at(date(2027, 10, 21)))
    assert _keys(db).count(f"loan:{loan.id}:due") == 1


def test_overdue_reminders_repeat_every_three_opening_days_until_returned(db, desk):
    loan = _out(desk, desk.second, date(2027, 10, 4), date(2027, 10, 15))  # ends on a Friday
    day = date(2027, 10, 16)
    for _ in range(14):
        lending_reminders.send_reminders(_at(day))
        day += timedelta(days=1)
    overdue = [k.rsplit(":", 1)[1] for k in _keys(db) if ":overdue:" in k]
    # Monday 18th first (not the weekend), then every third opening day.
    assert overdue == ["2027-10-18", "2027-10-21", "2027-10-26", "2027-10-29"]
    loans.check_in(desk.staff, loan.id, 2, [], NOW)
    lending_reminders.send_reminders(_at(date(2027, 11, 3)))
    assert len([k for k in _keys(db) if ":overdue:" in k]) == 4


def test_the_overdue_email_names_the_item_and_date(db, desk):
    _out(desk, desk.second, date(2027, 10, 4), date(2027, 10, 15))
    lending_reminders.send_reminders(_at(date(2027, 10, 18)))
    mail = db.session.scalar(
        sa.select(OutboxEmail).where(OutboxEmail.dedupe_key.contains("overdue"))
    )
    assert mail.to_addr == desk.second.email
    assert "Leskist Zonne-energie" in mail.subject
    assert "15 oktober 2027" in mail.subject
    assert "/school/uitlenen/reserveringen#lening-" in mail.body_text
