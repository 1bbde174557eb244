"""Friendly error pages that never show internals."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from onderwijsplatform.extensions import db
from onderwijsplatform.services.errors import NotFound

log = logging.getLogger(__name__)

PAGES = {400, 401, 403, 404, 405, 413, 429, 500}


def _render(code: int):
    return render_template(f"errors/{code}.html"), code


def handle_http(error: HTTPException):
    code = error.code or 500
    if code not in PAGES:
        return error
    return _render(code)


def handle_not_found(error: NotFound):
    # A service's NotFound (missing, foreign or out-of-range id) is the 404 page.
    return _render(404)


def handle_csrf(error: CSRFError):
    return render_template("errors/400.html", csrf=True), 400


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
