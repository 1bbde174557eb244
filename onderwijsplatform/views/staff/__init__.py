"""The staff area: dashboard, moderation, introductions, ledger, exports, audit log, mail
and coordinator invitations, as one blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

# The routes register themselves on bp when their modules are imported.
from onderwijsplatform.views.staff import (  # noqa: E402
    audit,
    dashboard,
    exports,
    introductions,
    invitations,
    ledger,
    mail,
    moderation,
)

__all__ = [
    "audit",
    "bp",
    "dashboard",
    "exports",
    "introductions",
    "invitations",
    "ledger",
    "mail",
    "moderation",
]
