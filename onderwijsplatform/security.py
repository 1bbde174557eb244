"""Security headers on every response, a same-site check for the next URL, no file parts."""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """True only for a same-site relative path (no scheme, host or backslash tricks).

    Control characters and line breaks are refused too: a redirect cannot carry them
    (the Location header would be a 500), and no page of ours has them in its path.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or not target.isprintable() or len(target) > 2000:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# Pages a region's own website may show in an iframe: the catalogue, nothing else.
EMBEDDABLE = frozenset({"regions.embed"})
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def _set_headers(response: Response) -> Response:
    headers = response.headers
    if request.endpoint in EMBEDDABLE:
        headers.setdefault("Content-Security-Policy", EMBED_CSP)
    else:
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.view_args and "token" in request.view_args:
        # The token is in the URL: never send it on to any other page or site (AUTH-02).
        headers["Referrer-Policy"] = "no-referrer"
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    # Decided by the public URL too: behind a proxy that does not pass X-Forwarded-Proto
    # (or one gunicorn does not trust) the request looks like plain http.
    if request.is_secure or current_app.config["PUBLIC_URL"].startswith("https://"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.method == "POST" or request.endpoint not in (None, "static", "bootstrap.static"):
        headers.setdefault("Cache-Control", "no-store")
    return response


def _refuse_file_parts() -> None:
    # No form of ours takes a file. A text field sent as a multipart file part would reach
    # WTForms as a FileStorage object (len() of it is a 500): refuse it up front, plainly.
    if request.mimetype == "multipart/form-data" and request.files:
        abort(400)


def init_app(app: Flask) -> None:
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        # Trust exactly as many X-Forwarded-* entries as there are proxies, no more.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.before_request(_refuse_file_parts)
    app.after_request(_set_headers)
