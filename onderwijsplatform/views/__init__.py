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
        public,
        self_service,
    )

    for module in (public, intake, self_service, auth, coordinator, invitations, mail):
        app.register_blueprint(module.bp)
