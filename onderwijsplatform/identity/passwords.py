"""Password hashing with the configured method (scrypt by default)."""

from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

# The one password policy of every account, staff and coordinators alike: a length, no
# composition rules. The forms say it to people; staff_accounts checks it again.
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def hash_password(password: str) -> str:
    """Hash ``password`` with ``PASSWORD_HASH_METHOD``; tests may choose a cheaper one."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for accounts without a password."""
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)
