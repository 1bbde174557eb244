"""``flask seed-demo``: the demo region around Assen."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from onderwijsplatform.transaction import unit_of_work


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when there are no organisations yet.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo region (idempotent) and print the demo logins."""
    from onderwijsplatform.services import demo, suggestions

    if if_empty and not demo.database_is_empty():
        click.echo("Database is not empty: demo data left as it is.")
    else:
        result = demo.seed()
        with unit_of_work():
            report = suggestions.refresh_all()
        click.echo(result.summary())
        click.echo(report.summary())
    for line in demo.login_lines():
        click.echo(line)
    _print_staff_enrolment(demo)


def _print_staff_enrolment(demo) -> None:
    """Staff also need an authenticator app: give each demo staff user a fresh link."""
    from onderwijsplatform.identity import staff_accounts
    from onderwijsplatform.links import external_url
    from onderwijsplatform.models import utcnow

    with unit_of_work():
        links = [
            (user.email, staff_accounts.enrol_link(user.email, now=utcnow()).raw_token)
            for user in demo.staff_without_second_factor()
        ]
    for email, token in links:
        click.echo(f"First staff sign-in ({email}): set a password and a second factor at")
        click.echo(f"  {external_url('auth.enrol', token=token)}")
