"""Blueprint registration."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from onderwijsplatform.views import public

    app.register_blueprint(public.bp)
