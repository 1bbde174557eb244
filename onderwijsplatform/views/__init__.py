"""Blueprint registration, one blueprint per feature."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from onderwijsplatform.views import mail, public

    for module in (public, mail):
        app.register_blueprint(module.bp)
