"""``flask regions create`` and ``flask regions list``: the STO regions from the console."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import click
from flask.cli import with_appcontext

from onderwijsplatform.models import HolidayZone
from onderwijsplatform.services import regions
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.transaction import unit_of_work

ZONES = [zone.value for zone in HolidayZone]


@click.group("regions", help="The STO regions: create one, or list them with their figures.")
def regions_group() -> None:
    """Regions."""


def _cents(text: str) -> int:
    try:
        euros = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"not an amount in euros: {text!r}") from None
    if not euros.is_finite() or not 0 <= euros <= 1000:
        raise click.BadParameter(f"give an hour rate from 0 to 1000 euros, not {text!r}")
    return int(euros * 100)


@regions_group.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--zone", type=click.Choice(ZONES), help="School-holiday zone.")
@click.option("--hour-rate", "hour_rate", default="60", show_default=True, help="Euros per hour.")
@with_appcontext
def create_command(code: str, name: str, zone: str | None, hour_rate: str) -> None:
    """Create the region CODE (used in its URLs) called NAME."""
    cents = _cents(hour_rate)
    try:
        with unit_of_work():
            region = regions.create(
                code, name, zone=HolidayZone(zone) if zone else None, hour_rate_cents=cents
            )
    except ValidationFailed as exc:
        raise click.ClickException(f"regions create: {exc.field}: {exc.message}") from None
    click.echo(f"{region.code}\t{region.name}: created")


@regions_group.command("list")
@with_appcontext
def list_command() -> None:
    """One line per region: code, name, active offers, schools and open requests."""
    for row in regions.listing():
        click.echo(
            f"{row.region.code}\t{row.region.name}\t{row.active_offers} active offers"
            f"\t{row.schools} schools\t{row.open_requests} open requests"
        )
