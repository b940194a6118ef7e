"""Connection credentials, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

The keys come from `USAGE_CONNECTOR_KEYS` (comma-separated Fernet keys: the first encrypts, all decrypt,
so a key can be rotated). Without it, in development only, a key is derived from `SECRET_KEY`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.USAGE_CONNECTOR_KEYS if key.strip()]
    if not keys:
        if not settings.DEBUG and not getattr(settings, "USAGE_CONNECTOR_KEYS_FROM_SECRET_KEY", False):
            raise ImproperlyConfigured("Set USAGE_CONNECTOR_KEYS to store connection credentials.")
        derived = hashlib.sha256(b"frugal-usage-connectors:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "USAGE_CONNECTOR_KEYS: each key is 32 url-safe base64-encoded bytes."
        ) from None


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str | None:
    """The secret, or None if no configured key opens it (a key was removed)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def new_ingest_token() -> tuple[str, str]:
    """A token for an OpenTelemetry connection: (the token, shown once; its SHA-256, stored)."""
    token = "fap_otlp_" + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
