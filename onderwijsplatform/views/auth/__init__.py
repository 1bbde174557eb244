"""Signing in and out, for coordinators and staff: one blueprint, two modules."""

from __future__ import annotations

# The routes register themselves on bp when their modules are imported.
from onderwijsplatform.views.auth import signin, staff
from onderwijsplatform.views.auth.blueprint import bp

__all__ = ["bp", "signin", "staff"]
