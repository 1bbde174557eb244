"""``flask regions create`` and ``flask regions list``."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.models import HolidayZone, Region, RequestStatus, Role, User
from tests.factories import make_company, make_offer, make_request, make_school


def test_create_then_list_with_figures(runner, db):
    result = runner.invoke(
        args=[
            "regions",
            "create",
            "twente",
            "STO Twente",
            "--zone",
            "noord",
            "--hour-rate",
            "55,50",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("twente\tSTO Twente")
    region = db.session.scalar(sa.select(Region).where(Region.code == "twente"))
    assert (region.holiday_zone, region.hour_rate_cents) == (HolidayZone.NOORD, 5550)
    school = make_school(region)
    make_school(region)
    make_request(school)
    make_request(school, status=RequestStatus.CLOSED)
    make_offer(make_company(region))
    listed = runner.invoke(args=["regions", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    twente = next(line for line in lines if line.startswith("twente\t"))
    assert twente == "twente\tSTO Twente\t1 active offers\t2 schools\t1 open requests"


def test_bad_input_is_one_clear_line_and_a_non_zero_exit(runner, db):
    runner.invoke(args=["regions", "create", "assen", "STO Assen"])
    cases = [
        (["assen", "Nog een"], "regions create: code: region 'assen' exists already"),
        (["Twente!", "STO Twente"], "regions create: code: use 1-40 lower-case"),
        (["drenthe", "   "], "regions create: name: give a name"),
        (["drenthe", "STO Drenthe", "--hour-rate", "veel"], "not an amount in euros"),
        (["drenthe", "STO Drenthe", "--zone", "oost"], "Invalid value for '--zone'"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["regions", "create", *args])
        assert result.exit_code != 0, args
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    assert (
        db.session.scalar(sa.select(sa.func.count(Region.id)).where(Region.code == "drenthe")) == 0
    )


def test_staff_create_makes_a_region_admin(runner, db):
    runner.invoke(args=["regions", "create", "twente", "STO Twente"])
    result = runner.invoke(
        args=["staff", "create", "beheer@twente.example", "--region-admin", "--region", "twente"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("region_admin beheer@twente.example")
    user = db.session.scalar(sa.select(User).where(User.email == "beheer@twente.example"))
    assert (user.role, user.region.code) == (Role.REGION_ADMIN, "twente")
    assert user.is_staff


def test_staff_create_makes_a_national_viewer_and_refuses_two_roles(runner, db):
    runner.invoke(args=["regions", "create", "twente", "STO Twente"])
    ok = runner.invoke(args=["staff", "create", "dus@sto.example", "--national-viewer"])
    assert ok.exit_code == 0, ok.output
    user = db.session.scalar(sa.select(User).where(User.email == "dus@sto.example"))
    assert user.role is Role.NATIONAL_VIEWER
    both = runner.invoke(args=["staff", "create", "x@sto.example", "--admin", "--national-viewer"])
    assert both.exit_code != 0
    assert "choose one of admin, region admin or national viewer" in both.output
    assert db.session.scalar(sa.select(User.id).where(User.email == "x@sto.example")) is None
