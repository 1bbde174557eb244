"""Secrets at rest: encrypted under keys derived from SECRET_KEY, so a database alone reveals none.

Each kind of secret has its own purpose label and so its own key (HKDF-SHA256 over the
Flask ``SECRET_KEY``); ``SECRET_KEY_FALLBACKS`` still opens what an older key sealed, so a
key rotation does not strand queued emails.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


class CannotUnseal(ValueError):
    """The value was sealed under a key this app no longer has, or was changed."""


def _key(secret: str | bytes, purpose: str) -> Fernet:
    material = secret.encode("utf-8") if isinstance(secret, str) else secret
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"onderwijsplatform.sealed",
        info=purpose.encode("ascii"),
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys(purpose: str) -> MultiFernet:
    config = current_app.config
    secrets = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    return MultiFernet([_key(secret, purpose) for secret in secrets])


def seal(purpose: str, plain: str) -> str:
    """Encrypt and authenticate ``plain`` for ``purpose``; the result is ASCII."""
    return _keys(purpose).encrypt(plain.encode("utf-8")).decode("ascii")


def unseal(purpose: str, sealed: str) -> str:
    """Decrypt what ``seal(purpose, ...)`` returned; raises CannotUnseal otherwise."""
    try:
        return _keys(purpose).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise CannotUnseal(f"cannot open the sealed {purpose} value") from exc
