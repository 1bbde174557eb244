"""The staff blueprint object, which every module of the staff area registers its routes on."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
