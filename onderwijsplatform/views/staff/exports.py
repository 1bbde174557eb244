"""Downloads of the yearly progress report (CSV per table, XLSX with every table)."""

from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import reports, spreadsheets
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp
from onderwijsplatform.views.staff.ledger import chosen_year


@bp.get("/export/<kind>.<fmt>")
@staff_required
def export(kind: str, fmt: str):
    # A download changes nothing but the audit log, which must record every export.
    if fmt not in spreadsheets.MEDIA_TYPES or kind not in reports.COLUMNS:
        abort(404)
    with unit_of_work():
        name, data = reports.export(current_user, kind, fmt, chosen_year(), utcnow())
    return Response(
        data,
        mimetype=spreadsheets.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
