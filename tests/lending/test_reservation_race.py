"""On PostgreSQL: coordinators reserving the last sets of an item at once get only what is free."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Loan, LoanState, Role, User
from onderwijsplatform.services import loans
from onderwijsplatform.services.errors import ValidationFailed
from tests.conftest import app_on_own_database
from tests.factories import make_region, make_school, make_user
from tests.lending.conftest import NOW, make_item

pytestmark = [pytest.mark.postgres_only, pytest.mark.filterwarnings("ignore::ResourceWarning")]

ROUNDS = 12
SCHOOLS = 16
# Overlapping periods in weeks 40-42: every reservation competes for the same sets.
PERIODS = [
    (date(2027, 10, 4), date(2027, 10, 22)),
    (date(2027, 10, 6), date(2027, 10, 15)),
    (date(2027, 10, 11), date(2027, 10, 29)),
]


@pytest.fixture(scope="module")
def race_app() -> Iterator:
    """An app on a fresh database of its own, where commits are visible across threads."""
    with app_on_own_database("lending_race", {"pool_size": SCHOOLS + 4}) as application:
        yield application


def _reserve(app, barrier, user_id, item_id, sets, period, results, errors):
    try:
        with app.app_context():
            actor = db.session.get(User, user_id)
            barrier.wait(timeout=60)
            try:
                loans.reserve(actor, item_id, loans.Reservation(sets, *period), NOW)
                db.session.commit()
                results.append(sets)
            except ValidationFailed as refused:
                db.session.rollback()
                results.append(refused.message)
            finally:
                db.session.remove()
    except BaseException as exc:  # pragma: no cover - shown in the assertion
        errors.append(repr(exc))


def test_concurrent_reservations_never_lend_a_set_twice(race_app):
    with race_app.app_context():
        region = make_region()
        coordinators = [
            make_user(Role.COORDINATOR, school=make_school(region)).id for _ in range(SCHOOLS)
        ]
        stocks = [(n % 5) + 3 for n in range(ROUNDS)]  # 3 to 7 sets
        items = [
            make_item(db, region, title=f"Kist {n}", quantity=stock, max_sets_per_school=3).id
            for n, stock in enumerate(stocks)
        ]
        db.session.commit()
        db.session.remove()

    errors: list[str] = []
    granted = []
    for round_, item_id in enumerate(items):
        results: list = []
        barrier = threading.Barrier(SCHOOLS)
        threads = [
            threading.Thread(
                target=_reserve,
                args=(
                    race_app,
                    barrier,
                    user_id,
                    item_id,
                    1 + (i + round_) % 2,  # one or two sets each
                    PERIODS[i % len(PERIODS)],
                    results,
                    errors,
                ),
            )
            for i, user_id in enumerate(coordinators)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        granted.append(results)

    assert errors == []
    with race_app.app_context():
        held = dict(
            db.session.execute(
                sa.select(Loan.item_id, sa.func.sum(Loan.sets))
                .where(Loan.state == LoanState.APPROVED)
                .group_by(Loan.item_id)
            ).all()
        )
        db.session.remove()
    for item_id, stock, results in zip(items, stocks, granted, strict=True):
        assert len(results) == SCHOOLS
        won = sum(r for r in results if isinstance(r, int))
        # Every period overlaps every other, so together they may hold the stock, no more;
        # and a refusal only happens when the free sets ran out.
        assert won == held[item_id] <= stock
        assert all(r.startswith("free:") for r in results if isinstance(r, str))
        assert stock - won < 2, (stock, results)
    print(f"\nreservation race: {ROUNDS} rounds x {SCHOOLS} coordinators, no set lent twice")
