"""A region's team: its admin invites staff by email and switches people off."""

from __future__ import annotations

import re

import sqlalchemy as sa

from onderwijsplatform.models import AuditEvent, OutboxEmail, Role, User
from tests.conftest import csrf_token_from, sign_in
from tests.factories import delivered_text, make_user


def _admin(world):
    return make_user(Role.REGION_ADMIN, region_id=world.region.id, name="Petra Admin")


def _token(client):
    return csrf_token_from(client.get("/staff/regio/team").get_data(as_text=True))


def test_an_invitation_creates_the_account_and_mails_the_enrolment_link(client, db, world):
    sign_in(client, _admin(world))
    data = {"name": "Nina Nieuw", "email": "Nina@Regio.example", "role": "staff"}
    response = client.post("/staff/regio/team", data={**data, "csrf_token": _token(client)})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nina@regio.example"))
    assert (user.role, user.region_id, user.password_hash) == (Role.STAFF, world.region.id, None)
    mail = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.template == "staff_invite"))
    assert mail.to_addr == "nina@regio.example"
    assert "Petra Admin nodigt u uit voor het regioteam" in mail.body_text
    link = re.search(r"(/staff/aanmelden/\S+)", delivered_text(mail)).group(1)
    assert client.get(link).status_code == 200
    page = client.get("/staff/regio/team").get_data(as_text=True)
    assert "Nina Nieuw" in page
    assert "nog niet aangemeld" in page


def test_a_taken_address_is_explained_and_nothing_is_sent(client, db, world):
    sign_in(client, _admin(world))
    data = {"name": "Dubbel", "email": world.staff.email, "role": "region_admin"}
    response = client.post("/staff/regio/team", data={**data, "csrf_token": _token(client)})
    assert response.status_code == 422
    assert "Dit e-mailadres hoort al bij een ander account." in response.get_data(as_text=True)
    count = sa.select(sa.func.count(OutboxEmail.id)).where(OutboxEmail.template == "staff_invite")
    assert db.session.scalar(count) == 0


def test_switching_someone_off_ends_their_sessions_and_is_logged(client, db, world):
    admin = _admin(world)
    sign_in(client, admin)
    old_token = world.staff.session_token
    path = f"/staff/regio/team/{world.staff.id}/uitschakelen"
    assert client.post(path, data={"csrf_token": _token(client)}).status_code == 302
    db.session.expire_all()
    staff = db.session.get(User, world.staff.id)
    assert staff.is_active is False
    assert staff.session_token != old_token
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_id == staff.id))
    # Nobody switches themselves off.
    own = f"/staff/regio/team/{admin.id}/uitschakelen"
    assert client.post(own, data={"csrf_token": _token(client)}).status_code == 404


def test_plain_staff_do_not_manage_the_team(client, world):
    sign_in(client, world.staff)
    assert client.get("/staff/regio/team").status_code == 404
