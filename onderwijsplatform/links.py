"""Absolute links for emails, built from the configured public URL, never the request Host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException


def external_url(endpoint: str, **values: Any) -> str:
    """Build an absolute URL for ``endpoint`` on ``PUBLIC_URL`` (works outside requests too)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def carries_token(url: str) -> bool:
    """True when ``url`` is one of our pages whose route takes a ``<token>``: a sign-in link.

    Every single-use link (login, password reset, invitation, self-service, outcome form)
    is such a route, so this is how the outbox knows which links to keep out of storage.
    """
    base = urlsplit(current_app.config["PUBLIC_URL"])
    parts = urlsplit(url)
    prefix = (base.path or "/").rstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return False
    if not parts.path.startswith(prefix + "/"):
        return False
    adapter = current_app.url_map.bind(base.netloc, script_name=prefix or "/")
    try:
        _endpoint, arguments = adapter.match(parts.path[len(prefix) :] or "/", method="GET")
    except HTTPException:  # not found, another method, or a redirect to the canonical URL
        return False
    return "token" in arguments
