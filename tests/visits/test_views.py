"""Visit pages through the test client: book, bad input next to the field, staff actions."""

from __future__ import annotations

import sqlalchemy as sa

from onderwijsplatform.models import BookingState, OutboxEmail, VisitBooking, VisitSlot
from tests.conftest import csrf_token_from, sign_in


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _form(vw, **overrides):
    return {
        "slot_id": str(vw.slot.id),
        "target_group": "po",
        "pupils": "24",
        "escorts": "3",
        "contact_name": "Juf Ans",
        **overrides,
    }


def test_a_coordinator_books_a_class_and_sees_it(client, db, vw):
    sign_in(client, vw.world.coordinator)
    page = client.get("/school/bezoeken").get_data(as_text=True)
    assert vw.programme.title in page
    assert "nog 2 groepen, 50 leerlingen" in page
    path = f"/school/bezoeken/{vw.programme.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(path, data={**_form(vw), "csrf_token": token})
    assert response.status_code == 302
    booking = db.session.scalar(sa.select(VisitBooking))
    assert booking.state is BookingState.PROVISIONAL
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Voorlopig" in shown
    listing = client.get(path).get_data(as_text=True)
    assert "nog 1 groep, 26 leerlingen" in listing


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, db, vw):
    sign_in(client, vw.world.coordinator)
    path = f"/school/bezoeken/{vw.programme.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    cases = [
        ({"escorts": "1"}, "minstens 3 begeleiders"),
        ({"pupils": "31", "escorts": "4"}, "hoogstens 30 leerlingen"),
        ({"pupils": "veel"}, "Vul een heel getal in"),
        ({"target_group": "havo_vwo"}, "Kies een van de mogelijkheden"),
        ({"slot_id": "999999"}, "Kies een van de mogelijkheden"),
        ({"slot_id": ""}, "Kies een tijdslot"),
        ({"pupils": "2147483648"}, "Vul een heel getal in"),
    ]
    for overrides, message in cases:
        response = client.post(path, data={**_form(vw, **overrides), "csrf_token": token})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, overrides
        assert message in text, overrides
        assert 'value="Juf Ans"' in text
    assert _count(db, VisitBooking) == 0
    assert _count(db, OutboxEmail) == 0


def test_another_region_s_programme_is_404_for_a_coordinator(client, db, vw, other_vw):
    sign_in(client, vw.world.coordinator)
    assert client.get(f"/school/bezoeken/{other_vw.programme.id}").status_code == 404


def test_the_school_cancels_its_booking(client, db, vw):
    sign_in(client, vw.world.coordinator)
    path = f"/school/bezoeken/{vw.programme.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    location = client.post(path, data={**_form(vw), "csrf_token": token}).headers["Location"]
    booking_id = int(location.rstrip("/").rsplit("/", 1)[1])
    empty = client.post(
        f"/school/bezoeken/boekingen/{booking_id}/annuleren", data={"csrf_token": token}
    )
    assert empty.status_code == 422
    assert "Geef een reden op" in empty.get_data(as_text=True)
    done = client.post(
        f"/school/bezoeken/boekingen/{booking_id}/annuleren",
        data={"csrf_token": token, "reason": "Zieke juf"},
    )
    assert done.status_code == 302
    assert db.session.get(VisitBooking, booking_id).state is BookingState.CANCELLED


def test_staff_create_a_programme_plan_slots_and_confirm(client, db, vw):
    sign_in(client, vw.world.staff)
    assert client.get("/staff/bezoeken").status_code == 200
    token = csrf_token_from(client.get("/staff/bezoeken/nieuw").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "host_id": str(vw.programme.host_id),
        "status": "active",
        "title": "Robotarmen programmeren",
        "target_groups": ["vmbo_onderbouw"],
        "escort_vmbo_onderbouw": "10",
        "place": "Assen",
        "min_pupils": "8",
        "max_pupils": "5",
        "groups_at_once": "1",
        "confirmation": "automatic",
        "staff_hours": "2,5",
    }
    refused = client.post("/staff/bezoeken/nieuw", data=data)
    assert refused.status_code == 422
    assert "Het maximum ligt onder het minimum" in refused.get_data(as_text=True)
    created = client.post("/staff/bezoeken/nieuw", data={**data, "max_pupils": "28"})
    assert created.status_code == 302
    page = created.headers["Location"]
    plan = {
        "csrf_token": token,
        "plan-first": "2027-03-29",
        "plan-last": "2027-04-16",
        "plan-weekdays": ["0", "3"],
        "plan-start": "09:30",
        "plan-end": "11:15",
    }
    planned = client.post(page + "/tijdsloten", data=plan, follow_redirects=True)
    assert planned.status_code == 200
    assert "6 tijdsloten gepland" in planned.get_data(as_text=True)
    assert _count(db, VisitSlot) == 7
    bad = client.post(page + "/tijdsloten", data={**plan, "plan-end": "08:00"})
    assert bad.status_code == 422
    assert "De eindtijd ligt niet na de begintijd" in bad.get_data(as_text=True)

    sign_in(client, vw.world.coordinator)
    booked = client.post(
        f"/school/bezoeken/{vw.programme.id}", data={**_form(vw), "csrf_token": token}
    )
    booking_id = int(booked.headers["Location"].rsplit("/", 1)[1])
    sign_in(client, vw.world.staff)
    overview = client.get("/staff/bezoeken").get_data(as_text=True)
    assert vw.world.school.name in overview
    detail = client.get(f"/staff/bezoeken/boekingen/{booking_id}")
    assert detail.status_code == 200
    confirm = client.post(
        f"/staff/bezoeken/boekingen/{booking_id}/bevestigen", data={"csrf_token": token}
    )
    assert confirm.status_code == 302
    assert db.session.get(VisitBooking, booking_id).state is BookingState.CONFIRMED
    day = client.get("/staff/bezoeken/dag?dag=2027-03-17").get_data(as_text=True)
    assert vw.world.school.name in day
    assert client.get("/staff/bezoeken/dag?dag=onzin").status_code == 200
