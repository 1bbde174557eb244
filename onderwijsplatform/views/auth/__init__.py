"""Signing in and out, for coordinators and staff: one blueprint, two modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

# The routes register themselves on bp when their modules are imported.
from onderwijsplatform.views.auth import signin, staff  # noqa: E402

__all__ = ["bp", "signin", "staff"]
