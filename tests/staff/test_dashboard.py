"""The dashboard: region-scoped filter menus, and filters that narrow the figures."""

from __future__ import annotations

from onderwijsplatform.models import utcnow
from onderwijsplatform.school_years import school_year_of
from onderwijsplatform.services import dashboard
from tests.conftest import sign_in
from tests.factories import make_request


def test_filter_menus_list_only_the_staff_members_region(client, world, other):
    sign_in(client, world.staff)
    html = client.get("/staff/").get_data(as_text=True)
    assert world.school.name in html
    assert world.company.name in html
    assert other.school.name not in html
    assert other.company.name not in html


def test_school_filter_narrows_the_figures(world):
    year = school_year_of(utcnow().date())
    make_request(world.school, created_by_id=world.coordinator.id)
    everything = dashboard.figures(world.staff, year, dashboard.Filters())
    other_school = dashboard.figures(world.staff, year, dashboard.Filters(school_id=-1))
    own_school = dashboard.figures(world.staff, year, dashboard.Filters(school_id=world.school.id))
    assert everything.requests == own_school.requests == 2
    assert other_school.requests == 0


def test_dashboard_page_with_filters_renders(client, world):
    sign_in(client, world.staff)
    response = client.get(
        f"/staff/?school={world.school.id}&bedrijf={world.company.id}&soort=gastles"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<option value="{world.school.id}" selected>' in html
