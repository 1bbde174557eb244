"""REL-02 on PostgreSQL: four staff approving the same introduction at once send one pair."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import Introduction, OutboxEmail, User, utcnow
from onderwijsplatform.services import introductions
from tests.conftest import app_on_own_database
from tests.staff.conftest import make_world

pytestmark = [pytest.mark.postgres_only, pytest.mark.filterwarnings("ignore::ResourceWarning")]

ROUNDS = 100
CLICKS = 4


@pytest.fixture(scope="module")
def race_app() -> Iterator:
    """An app on a fresh database of its own, where commits are visible across threads."""
    with app_on_own_database("staff_race") as application:
        yield application


def _click(app, barrier, intro_id, staff_ids, index, results, errors):
    try:
        with app.app_context():
            actor = db.session.get(User, staff_ids[index % len(staff_ids)])
            barrier.wait()
            try:
                introductions.approve(actor, intro_id, utcnow())
                db.session.commit()
                results.append("won")
            except introductions.AlreadyDecided as exc:
                db.session.rollback()
                results.append(f"lost:{exc.by}")
            finally:
                db.session.remove()
    except BaseException as exc:  # pragma: no cover - shown in the assertion
        errors.append(repr(exc))


def test_concurrent_approvals_send_exactly_one_pair(race_app):
    with race_app.app_context():
        world = make_world(db)
        second = User(
            email=f"tweede-{uuid.uuid4().hex[:6]}@sto.example",
            name="Tweede medewerker",
            role=world.staff.role,
            region_id=world.region.id,
        )
        db.session.add(second)
        db.session.commit()
        staff_ids = [world.staff.id, second.id]
        intro_ids = []
        for n in range(ROUNDS):
            offer = type(world.offer)(
                organisation_id=world.company.id,
                contact_id=world.contact.id,
                kinds=["gastles"],
                description=f"Aanbod {n}",
            )
            db.session.add(offer)
            db.session.flush()
            intro = Introduction(request_id=world.request.id, offer_id=offer.id)
            db.session.add(intro)
            db.session.flush()
            intro_ids.append(intro.id)
        db.session.commit()
        db.session.remove()

    errors: list[str] = []
    outcomes_per_round = []
    for intro_id in intro_ids:
        results: list[str] = []
        barrier = threading.Barrier(CLICKS)
        threads = [
            threading.Thread(
                target=_click, args=(race_app, barrier, intro_id, staff_ids, i, results, errors)
            )
            for i in range(CLICKS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        outcomes_per_round.append(results)

    assert errors == []
    assert all(sorted(r)[-1] == "won" and r.count("won") == 1 for r in outcomes_per_round)
    assert all(len(r) == CLICKS for r in outcomes_per_round)
    with race_app.app_context():
        rows = db.session.execute(
            sa.select(OutboxEmail.dedupe_key, sa.func.count()).group_by(OutboxEmail.dedupe_key)
        ).all()
        db.session.remove()
    counts = dict(rows)
    expected = {f"introduction:{i}:{side}" for i in intro_ids for side in ("company", "school")}
    assert set(counts) == expected
    assert set(counts.values()) == {1}
