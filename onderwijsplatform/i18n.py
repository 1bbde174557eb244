"""Languages: Dutch by default, English on request, chosen per session."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale

from onderwijsplatform.extensions import babel


def select_locale() -> str:
    """The session's choice, else Dutch: the platform is Dutch first."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang") if has_request_context() else None
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The language code of the current request, for templates and services."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    app.jinja_env.globals["current_locale"] = current_locale
