"""No input gives a 500: file parts, control characters and newlines on every route and form.

Walks the URL map like tests/test_routes.py and sends each route, as a visitor, a
coordinator and a region admin, a corpus of hostile requests (issue 16 item 5): every
field of the page's form as a multipart file part, control characters and line breaks
in every field, in ``next`` and in the query string, and in the headers.
"""

from __future__ import annotations

import io
import re

import pytest

from onderwijsplatform.models import Role
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_user
from tests.staff.conftest import make_world

pytestmark = pytest.mark.slow

_NAME = re.compile(r'name="([A-Za-z0-9_.-]+)"')
# Names that many forms use, for pages that cannot be opened with the ids we have.
COMMON = ("email", "password", "next", "name", "code", "comment", "hours", "materials", "reason")
HOSTILE = "/a\nb\r\x00\x01\x7f\u2028c"
HEADERS = {"Accept-Language": "nl\x01,en;q=\x7f", "User-Agent": "x\x00y", "Referer": "/a\x01b"}


def _values(world) -> dict[str, object]:
    return {
        "introduction_id": world.intro.id,
        "offer_id": world.offer.id,
        "organisation_id": world.company.id,
        "request_id": world.request.id,
        "user_id": world.coordinator.id,
        "lang": "nl",
        "token": "x" * 20,
        "side": "company",
        "fmt": "csv",
        "kind": "x",
        "move": "up",
        "code": world.region.code,
        "filename": "x.css",
    }


def _url(rule, values) -> str:
    arguments = {name: values.get(name, 1) for name in rule.arguments}
    return rule.build(arguments, append_unknown=False)[1]


def _corpus(client, app, values):
    """Send the corpus to every route; return (requests, [(what, status)] of server errors)."""
    sent, errors = 0, []
    # The language switch on every page carries a token, signed in or not.
    token = csrf_token_from(client.get("/privacy").get_data(as_text=True))

    def send(what, method, url, **kwargs):
        nonlocal sent
        sent += 1
        try:
            status = client.open(url, method=method, **kwargs).status_code
        except Exception as exc:  # an exception escaping the app is a 500 too
            errors.append((what, repr(exc)[:200]))
            return
        if status >= 500:
            errors.append((what, status))

    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        url = _url(rule, values)
        query = "?next=/a%0Ab&page=%00&jaar=%0D%0A&status=%01&q=%E2%80%A8"
        send((rule.rule, "GET query"), "GET", url + query, headers=HEADERS)
        if "POST" not in rule.methods:
            continue
        page = client.get(url)
        names = set(COMMON)
        if page.status_code == 200:
            names |= set(_NAME.findall(page.get_data(as_text=True)))
        names.discard("csrf_token")
        files = {name: (io.BytesIO(b"tekst"), "a.txt") for name in names}
        send(
            (rule.rule, "file parts"),
            "POST",
            url,
            data={"csrf_token": token, **files},
            content_type="multipart/form-data",
        )
        hostile = dict.fromkeys(names, HOSTILE)
        send((rule.rule, "control characters"), "POST", url, data={"csrf_token": token, **hostile})
        send(
            (rule.rule, "headers"), "POST", url + query, data={"csrf_token": token}, headers=HEADERS
        )
    return sent, errors


@pytest.mark.parametrize("actor", ["visitor", "coordinator", "region_admin"])
def test_no_input_gives_a_server_error(app, client, db, actor):
    world = make_world(db)
    if actor == "coordinator":
        sign_in(client, world.coordinator)
    elif actor == "region_admin":
        sign_in(client, make_user(Role.REGION_ADMIN, region_id=world.region.id))
    sent, errors = _corpus(client, app, _values(world))
    print(f"{actor}: {sent} requests, {len(errors)} server errors")
    assert sent > 150
    assert errors == [], "\n".join(map(str, errors))


def test_a_newline_in_next_is_refused_not_a_500(client):
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    response = client.post("/taal/nl", data={"csrf_token": token, "next": "/a\nb"})
    assert response.status_code == 302
    assert response.location.endswith("/")


def test_a_newline_in_next_after_signing_in_goes_home_not_a_500(client, db):
    from tests.factories import PASSWORD

    user = make_user(Role.COORDINATOR)
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD, "next": "/a\nb"}
    response = client.post("/inloggen", data=data)
    assert response.status_code == 302
    assert "\n" not in response.location
    assert "/school/" in response.location


def test_a_text_field_sent_as_a_file_is_a_plain_400(client):
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    data = {"csrf_token": token, "email": (io.BytesIO(b"a@b.nl"), "a.txt"), "password": "x"}
    response = client.post("/inloggen", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
