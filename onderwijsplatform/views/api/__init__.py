"""The read API for regional websites: regions and their public catalogue, as JSON."""

from __future__ import annotations

from onderwijsplatform.views.api import routes  # noqa: F401  (registers the routes)
from onderwijsplatform.views.api.blueprint import bp

__all__ = ["bp"]
