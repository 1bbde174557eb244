"""The Onderwijsplatform Flask application: create_app() builds it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config → extensions → blueprints → errors → CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    from onderwijsplatform.config import load_config

    load_config(app, test_config)

    from onderwijsplatform import cli, database, errors, formatting, i18n, labels, scope, security
    from onderwijsplatform.extensions import bootstrap, csrf, db, limiter, mail, migrate
    from onderwijsplatform.identity import sessions

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    labels.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    scope.init_app(app)

    from onderwijsplatform.views import register_blueprints

    register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    # Templates link to features only once their blueprint is registered.
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    return app
