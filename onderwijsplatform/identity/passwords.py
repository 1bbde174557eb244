"""Password hashing with the configured method (scrypt by default)."""

from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from onderwijsplatform.services.errors import ValidationFailed

# The one password policy of every account, staff and coordinators alike: a length, no
# composition rules. The forms say it to people; check_rules checks it again.
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def check_rules(password: str) -> None:
    """Length only, no composition rules (AUTH-05). Raises ValidationFailed."""
    if len(password) < PASSWORD_MIN:
        raise ValidationFailed("password", "too_short")
    if len(password) > PASSWORD_MAX:
        raise ValidationFailed("password", "too_long")


def hash_password(password: str) -> str:
    """Hash ``password`` with ``PASSWORD_HASH_METHOD``; tests may choose a cheaper one."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for accounts without a password."""
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)
