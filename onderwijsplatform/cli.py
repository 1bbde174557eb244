"""Flask commands: demo data, exchange-format import and export."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from onderwijsplatform.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo region (idempotent) and print the demo logins."""
    from onderwijsplatform.services import demo

    result = demo.seed()
    db.session.commit()
    click.echo(result.summary())
    for line in result.logins():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
