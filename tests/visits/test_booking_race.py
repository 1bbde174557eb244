"""On PostgreSQL: coordinators booking the last places of one slot at once never overbook it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    HOLDING_STATES,
    Confirmation,
    Role,
    User,
    VisitBooking,
    VisitSlot,
)
from onderwijsplatform.services import visits
from onderwijsplatform.services.visits import BookingRefused, BookingValues
from tests.conftest import app_on_own_database
from tests.factories import make_school, make_user
from tests.staff.conftest import make_world
from tests.visits.conftest import NOW, make_programme, make_slot

pytestmark = [pytest.mark.postgres_only, pytest.mark.filterwarnings("ignore::ResourceWarning")]

ROUNDS = 20
BOOKERS = 8
# Each slot has room for 3 groups and 60 pupils; every booker asks for 25 pupils, so at
# most two can get in (pupils run out before groups), whoever is fastest.
CLASS = BookingValues(target_group="vmbo_onderbouw", pupils=25, escorts=2)


@pytest.fixture(scope="module")
def race_app() -> Iterator:
    """An app on a fresh database of its own, where commits are visible across threads."""
    with app_on_own_database("visit_race", {"pool_size": BOOKERS + 2}) as application:
        yield application


def _book(app, barrier, slot_id, user_id, results, errors):
    try:
        with app.app_context():
            actor = db.session.get(User, user_id)
            barrier.wait()
            try:
                visits.book(actor, slot_id, CLASS, NOW)
                db.session.commit()
                results.append("booked")
            except BookingRefused as refused:
                db.session.rollback()
                results.append(refused.message)
            finally:
                db.session.remove()
    except BaseException as exc:  # pragma: no cover - shown in the assertion
        errors.append(repr(exc))


def test_concurrent_bookings_never_exceed_a_slot(race_app):
    with race_app.app_context():
        world = make_world(db)
        programme = make_programme(db, world, confirmation=Confirmation.AUTOMATIC, groups_at_once=3)
        slot_ids = [
            make_slot(db, programme, days_ahead=14 + n, capacity_pupils=60, capacity_groups=3).id
            for n in range(ROUNDS)
        ]
        users = [
            make_user(Role.COORDINATOR, school=make_school(world.region)).id for _ in range(BOOKERS)
        ]
        db.session.commit()
        db.session.remove()

    errors: list[str] = []
    rounds = []
    for slot_id in slot_ids:
        results: list[str] = []
        barrier = threading.Barrier(BOOKERS)
        threads = [
            threading.Thread(target=_book, args=(race_app, barrier, slot_id, user, results, errors))
            for user in users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        rounds.append(results)

    assert errors == []
    with race_app.app_context():
        held = dict(
            db.session.execute(
                sa.select(VisitBooking.slot_id, sa.func.sum(VisitBooking.pupils))
                .where(VisitBooking.state.in_(HOLDING_STATES))
                .group_by(VisitBooking.slot_id)
            ).all()
        )
        capacity = dict(
            db.session.execute(sa.select(VisitSlot.id, VisitSlot.capacity_pupils)).all()
        )
        db.session.remove()
    booked = [r.count("booked") for r in rounds]
    refused = [len(r) - r.count("booked") for r in rounds]
    print(
        f"\nvisit race: {ROUNDS} rounds × {BOOKERS} bookers, "
        f"booked per round {sorted(set(booked))}, refused {sum(refused)}, "
        f"overbooked slots {sum(held.get(s, 0) > capacity[s] for s in slot_ids)}"
    )
    assert all(len(r) == BOOKERS for r in rounds)
    # Exactly the places that were free: two classes of 25 in 60 places, never three.
    assert booked == [2] * ROUNDS
    assert all(held[s] == 50 for s in slot_ids)
    assert {m for r in rounds for m in r} == {"booked", "no_room"}
