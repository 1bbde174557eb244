"""``flask matches rebuild``: recompute every stored suggestion."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from onderwijsplatform.transaction import unit_of_work


@click.group("matches")
def matches_group() -> None:
    """Suggested matches between requests and offers."""


@matches_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute the suggestions of every open request from the active offers."""
    from onderwijsplatform.services import suggestions

    started = time.perf_counter()
    with unit_of_work():
        report = suggestions.refresh_all()
    click.echo(f"{report.summary()} ({time.perf_counter() - started:.1f} s)")
