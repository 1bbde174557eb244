"""Registers the flask commands; each feature keeps its commands in ``commands/``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from onderwijsplatform.commands import demo, exchange, jobs, matches, outbox, regions, staff

    app.cli.add_command(demo.seed_demo_command)
    app.cli.add_command(exchange.import_data_command)
    app.cli.add_command(exchange.export_data_command)
    app.cli.add_command(matches.matches_group)
    app.cli.add_command(jobs.jobs_group)
    app.cli.add_command(outbox.outbox_group)
    app.cli.add_command(regions.regions_group)
    app.cli.add_command(staff.staff_group)
