"""``flask import-data`` and ``flask export-data``: the exchange format in and out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from matching.exchange import ExchangeError, load_offers, load_requests, write_json
from onderwijsplatform.models import OfferStatus, RequestStatus
from onderwijsplatform.services import exchange_files
from onderwijsplatform.transaction import unit_of_work


def _fail(message: str) -> NoReturn:
    # One line, no traceback: what an operator needs to fix the file.
    click.echo(message.replace("\n", " "), err=True)
    raise SystemExit(1)


def _check_size(path: str) -> None:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        _fail(f"{path}: cannot read file: {exc.strerror or exc}")
    if size > limit:
        _fail(f"{path}: file is larger than {limit} bytes")


@click.command("import-data")
@click.option("--offers", "offers_path", type=click.Path(dir_okay=False), help="offers.json")
@click.option("--requests", "requests_path", type=click.Path(dir_okay=False), help="requests.json")
@click.option("--region", "region_code", help="Region code to import into.")
@with_appcontext
def import_data_command(
    offers_path: str | None, requests_path: str | None, region_code: str | None
) -> None:
    """Import offers and/or requests, upserting by id; all or nothing."""
    if not offers_path and not requests_path:
        _fail("import-data: give --offers FILE and/or --requests FILE")
    try:
        with unit_of_work():
            # Read and validate both files before touching the database.
            offers = requests = None
            if offers_path:
                _check_size(offers_path)
                offers = (offers_path, load_offers(offers_path))
            if requests_path:
                _check_size(requests_path)
                requests = (requests_path, load_requests(requests_path))
            report = exchange_files.ImportReport()
            region = exchange_files.choose_region(region_code)
            if offers is not None:
                path, offer_records = offers
                exchange_files.import_offers(offer_records, region=region, file=path, report=report)
            if requests is not None:
                path, request_records = requests
                exchange_files.import_requests(
                    request_records, region=region, file=path, report=report
                )
    except ExchangeError as exc:
        _fail(str(exc))
    except exchange_files.RegionNotFound as exc:
        _fail(f"import-data: {exc}")
    except SQLAlchemyError as exc:
        _fail(
            f"import-data: the database refused the import ({type(exc).__name__}); nothing written"
        )
    except (MemoryError, RecursionError) as exc:
        _fail(f"import-data: input too large or too deep ({type(exc).__name__}); nothing written")
    click.echo(report.summary())


@click.command("export-data")
@click.option("--offers", "offers_path", type=click.Path(dir_okay=False), help="offers.json")
@click.option("--requests", "requests_path", type=click.Path(dir_okay=False), help="requests.json")
@click.option("--all", "everything", is_flag=True, help="Every status, not only active/open.")
@with_appcontext
def export_data_command(
    offers_path: str | None, requests_path: str | None, everything: bool
) -> None:
    """Write active offers and/or open requests in the exchange format."""
    if not offers_path and not requests_path:
        _fail("export-data: give --offers FILE and/or --requests FILE")
    written = []
    try:
        if offers_path:
            offer_statuses = tuple(OfferStatus) if everything else (OfferStatus.ACTIVE,)
            records = exchange_files.export_offers(statuses=offer_statuses)
            write_json(Path(offers_path), records)
            written.append(f"{len(records)} offers to {offers_path}")
        if requests_path:
            request_statuses = tuple(RequestStatus) if everything else (RequestStatus.OPEN,)
            records = exchange_files.export_requests(statuses=request_statuses)
            write_json(Path(requests_path), records)
            written.append(f"{len(records)} requests to {requests_path}")
    except OSError as exc:
        _fail(f"export-data: cannot write file: {exc.strerror or exc}")
    click.echo("Exported " + " and ".join(written) + ".")
