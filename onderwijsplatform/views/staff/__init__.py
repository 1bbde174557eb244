"""The staff area as one blueprint: dashboard, moderation, introductions, ledger, mail, more."""

from __future__ import annotations

# The routes register themselves on bp when their modules are imported.
from onderwijsplatform.views.staff import (
    audit,
    dashboard,
    exports,
    introductions,
    invitations,
    ledger,
    lending,
    mail,
    moderation,
    region,
    regions_admin,
    team,
    visit_bookings,
    visits,
)
from onderwijsplatform.views.staff.blueprint import bp

__all__ = [
    "audit",
    "bp",
    "dashboard",
    "exports",
    "introductions",
    "invitations",
    "ledger",
    "lending",
    "mail",
    "moderation",
    "region",
    "regions_admin",
    "team",
    "visit_bookings",
    "visits",
]
