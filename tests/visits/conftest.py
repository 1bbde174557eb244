"""Visit test data: a region's cast (tests.staff.conftest) plus a Technolab with a programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from onderwijsplatform.models import (
    Confirmation,
    OrganisationType,
    ProgrammeStatus,
    VisitProgramme,
    VisitSlot,
)
from onderwijsplatform.services import visit_calendar as cal
from tests.factories import make_company, make_contact
from tests.staff.conftest import World, make_world

# A Wednesday in term time; slots are planned in the weeks after it.
NOW = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)


@dataclass
class VisitWorld:
    """A region's cast with a Technolab programme and one slot in two weeks, Wednesday 9–11."""

    world: World
    programme: VisitProgramme
    slot: VisitSlot


def make_programme(db, world: World, **overrides) -> VisitProgramme:
    lab = make_company(world.region, type=OrganisationType.INSTITUTION, name="Techlab Eelde")
    make_contact(lab, email=f"lab{lab.id}@techlab.example")
    values = {
        "region_id": world.region.id,
        "host_id": lab.id,
        "contact_id": lab.contacts[0].id,
        "status": ProgrammeStatus.ACTIVE,
        "title": "Drones bouwen en vliegen",
        "description": "Een dagdeel in het Techlab.",
        "kinds": ["doe_activiteit"],
        "target_groups": ["po", "vmbo_onderbouw"],
        "address": "Vennweg 1",
        "place": "Eelde",
        "min_pupils": 10,
        "max_pupils": 30,
        "groups_at_once": 2,
        "pupils_per_escort": {"po": 8},
        "change_days": 5,
        "cancel_days": 7,
        "confirmation": Confirmation.BY_HOST,
        "staff_hours": Decimal("3.5"),
        **overrides,
    }
    programme = VisitProgramme(**values)
    db.session.add(programme)
    db.session.flush()
    return programme


def make_slot(db, programme: VisitProgramme, days_ahead: int = 14, **overrides) -> VisitSlot:
    day = cal.local_day(NOW) + timedelta(days=days_ahead)
    values = {
        "programme_id": programme.id,
        "starts_at": cal.at(day, time(9, 0)),
        "ends_at": cal.at(day, time(11, 0)),
        "capacity_pupils": 50,
        "capacity_groups": 2,
        **overrides,
    }
    slot = VisitSlot(**values)
    db.session.add(slot)
    db.session.flush()
    return slot


def make_visit_world(db) -> VisitWorld:
    world = make_world(db)
    programme = make_programme(db, world)
    return VisitWorld(world, programme, make_slot(db, programme))


@pytest.fixture
def vw(db) -> VisitWorld:
    return make_visit_world(db)


@pytest.fixture
def other_vw(db) -> VisitWorld:
    return make_visit_world(db)
