"""The audit log page: who approved, declined, merged, corrected or exported what."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.services import audit
from onderwijsplatform.views.staff.blueprint import bp


@bp.get("/logboek", endpoint="audit")
@staff_required
def audit_log():
    return render_template("staff/audit.html", events=audit.recent(current_user))
