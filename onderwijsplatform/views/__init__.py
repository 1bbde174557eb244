"""Blueprint registration, one blueprint per feature."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from onderwijsplatform.views import intake, mail, public, self_service

    for module in (public, intake, self_service, mail):
        app.register_blueprint(module.bp)
