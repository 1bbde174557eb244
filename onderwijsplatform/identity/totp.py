"""Time-based one-time codes (TOTP) and recovery codes for staff accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any, cast

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from onderwijsplatform.extensions import db
from onderwijsplatform.models import User

RECOVERY_CODES = 10
STEP_SECONDS = 30
ISSUER = "Onderwijsplatform"


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG, made here: no external service sees the secret."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Fixed mm sizes overflow small screens; the viewBox keeps it scalable.
    return svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)


def matching_counter(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals ``code`` (this step or one either side), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for counter in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def verify_totp(user: User, code: str, now: datetime) -> bool:
    """True once per time step: a code that was used before is refused (AUTH-05). Flushes."""
    if not user.totp_secret:
        return False
    counter = matching_counter(user.totp_secret, code, now)
    if counter is None:
        return False
    # Compare-and-set, so two requests with the same code cannot both pass.
    last = User.totp_last_counter
    used = cast(
        CursorResult[Any],
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id, sa.or_(last.is_(None), last < counter))
            .values(totp_last_counter=counter)
            .execution_options(synchronize_session=False)
        ),
    )
    if used.rowcount != 1:
        return False
    db.session.refresh(user)
    return True


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Ten random codes to show once, and their hashes to store."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes, [_hash_code(_normalise_code(c)) for c in codes]


def use_recovery_code(user: User, code: str) -> bool:
    """True when ``code`` is one of the user's unused recovery codes; it is then spent."""
    normalised = _normalise_code(code)
    if len(normalised) != 10 or not normalised.isascii():
        return False
    digest = _hash_code(normalised)
    stored = list(user.recovery_codes or [])
    if digest not in stored:
        return False
    stored.remove(digest)
    user.recovery_codes = stored
    db.session.flush()
    return True
