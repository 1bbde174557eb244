"""Friendly error pages that never show internals."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from onderwijsplatform.extensions import db
from onderwijsplatform.services.errors import NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorPage:
    """What an error page says: its title and one sentence on what to do."""

    title: str
    message: str


PAGES = {
    400: ErrorPage(
        _l("Ongeldig verzoek"),
        _l("Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
    ),
    401: ErrorPage(_l("Inloggen nodig"), _l("Log in om deze pagina te zien.")),
    403: ErrorPage(_l("Geen toegang"), _l("U hebt geen toegang tot deze pagina.")),
    404: ErrorPage(
        _l("Pagina niet gevonden"),
        _l("Deze pagina bestaat niet (meer), of u hebt er geen toegang toe."),
    ),
    405: ErrorPage(_l("Niet toegestaan"), _l("Deze actie kan zo niet worden uitgevoerd.")),
    413: ErrorPage(
        _l("Te veel gegevens"),
        _l("Wat u verstuurde is te groot. Maak de tekst korter en probeer het opnieuw."),
    ),
    429: ErrorPage(
        _l("Even geduld"),
        _l("U hebt dit te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
    ),
    500: ErrorPage(
        _l("Er ging iets mis"),
        _l(
            "Er ging aan onze kant iets mis. Probeer het later opnieuw; "
            "het regioteam is op de hoogte."
        ),
    ),
}


def _render(code: int, *, csrf: bool = False):
    page = PAGES[code]
    if request_ctx.url_adapter is None:
        # The Host was refused before routing (TRUSTED_HOSTS): no link can be built, so
        # no page either; plain words instead of a second error.
        return f"{code} {page.title}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
    if request.path.startswith("/api/"):
        # The API answers in JSON, never with a page.
        return jsonify({"error": {"status": code, "message": str(page.title)}}), code
    return render_template("errors/page.html", page=page, csrf=csrf), code


def handle_http(error: HTTPException):
    code = error.code or 500
    if code not in PAGES:
        return error
    response = make_response(_render(code))
    # Keep what the error says in its headers, such as the methods a 405 allows.
    for key, value in error.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def handle_not_found(error: NotFound):
    # A service's NotFound (missing, foreign or out-of-range id) is the 404 page.
    return _render(404)


def handle_csrf(error: CSRFError):
    return _render(400, csrf=True)


def handle_unexpected(error: Exception):
    # Roll back first so the error page itself can still use the database.
    db.session.rollback()
    log.exception("unhandled error")
    return _render(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
