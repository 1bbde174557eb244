"""The auth blueprint object, which every module of the auth area registers its routes on."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
