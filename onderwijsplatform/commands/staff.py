"""``flask staff create`` and ``flask staff enrol-link``: staff accounts from the console."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from onderwijsplatform.identity import staff_accounts
from onderwijsplatform.links import external_url
from onderwijsplatform.models import utcnow
from onderwijsplatform.services.errors import NotFound, ValidationFailed
from onderwijsplatform.transaction import unit_of_work


@click.group("staff", help="Staff accounts: create them and send enrolment links.")
def staff_group() -> None:
    """Staff accounts."""


def _print_link(invitation) -> None:
    url = external_url("auth.enrol", token=invitation.raw_token)
    click.echo(
        f"{invitation.user.role.value} {invitation.user.email}: enrolment link (24 h, once):"
    )
    click.echo(url)


@staff_group.command("create")
@click.argument("email")
@click.option("--name", default=None, help="Full name shown in the audit log.")
@click.option("--admin", is_flag=True, help="A platform admin sees every region.")
@click.option("--region-admin", is_flag=True, help="Also keeps the region's settings.")
@click.option("--national-viewer", is_flag=True, help="Sees totals of every region, no people.")
@click.option("--region", "region_code", default=None, help="Region code (needed with >1 region).")
@with_appcontext
def create_command(
    email: str,
    name: str | None,
    admin: bool,
    region_admin: bool,
    national_viewer: bool,
    region_code: str | None,
) -> None:
    """Create a staff user without a password and print a one-time enrolment link."""
    try:
        with unit_of_work():
            invitation = staff_accounts.create_staff(
                email,
                name=name,
                admin=admin,
                region_admin=region_admin,
                national_viewer=national_viewer,
                region_code=region_code,
                now=utcnow(),
            )
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from None
    _print_link(invitation)


@staff_group.command("enrol-link")
@click.argument("email")
@with_appcontext
def enrol_link_command(email: str) -> None:
    """Print a fresh enrolment link (new password and authenticator) for a staff user."""
    try:
        with unit_of_work():
            invitation = staff_accounts.enrol_link(email, now=utcnow())
    except NotFound:
        raise click.ClickException(f"no staff user with address {email}") from None
    _print_link(invitation)
