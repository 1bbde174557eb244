"""Blueprint registration, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from onderwijsplatform.views import (
        api,
        auth,
        coordinator,
        intake,
        lending,
        national,
        outcomes,
        public,
        regions,
        self_service,
        staff,
        visits,
    )

    for module in (
        public,
        regions,
        intake,
        self_service,
        auth,
        coordinator,
        lending,
        staff,
        national,
        outcomes,
        visits,
        api,
    ):
        app.register_blueprint(module.bp)
