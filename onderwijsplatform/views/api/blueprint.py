"""The API blueprint: JSON under /api/v1, open to every origin for GET, rate limited."""

from __future__ import annotations

from flask import Blueprint, Response, request

from onderwijsplatform.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only: no state to forge, and no session is used
limiter.limit("120 per minute")(bp)


@bp.after_request
def _public_and_cacheable(response: Response) -> Response:
    # Any regional website may read the API from its visitors' browsers.
    response.headers["Access-Control-Allow-Origin"] = "*"
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        response.headers["Cache-Control"] = "public, max-age=300"
        response.add_etag()
        response.make_conditional(request)
    return response
