"""Blueprint registration, one blueprint per feature."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from onderwijsplatform.views import (
        auth,
        coordinator,
        intake,
        invitations,
        mail,
        outcomes,
        public,
        self_service,
        staff,
        staff_auth,
    )

    for module in (
        public,
        intake,
        self_service,
        auth,
        coordinator,
        invitations,
        staff_auth,
        staff,
        outcomes,
        mail,
    ):
        app.register_blueprint(module.bp)
