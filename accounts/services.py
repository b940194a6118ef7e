"""API tokens: create, rotate, revoke; and the rate limit on password-reset requests."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from portal.models import User

KEY_PREFIX = "fap_"  # recognisable by secret scanners; the rest is 256 random bits


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_cache_key(digest: str) -> str:
    return f"auth-token:{digest}"


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `API_TOKEN_TTL_DAYS`; returns the row and the key (shown once).

    The user's expired tokens are deleted on the way: they can no longer be used.
    """
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip() or "API",
            prefix=key[: len(KEY_PREFIX) + 6],
            digest=token_digest(key),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
    return token, key


def token_rotate(*, token: ApiToken) -> tuple[ApiToken, str]:
    """Replace `token` by a new one with the same name and a full lifetime; the old key stops working."""
    with transaction.atomic():
        new_token, key = token_create(user=token.user, name=token.name)
        token.delete()
    return new_token, key


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of `user`'s tokens; False when `user` has no such token."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def tokens_revoke_all(*, user: User) -> int:
    """Delete every token of `user` (password changed or reset, account deactivated)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


def token_cache_forget(*, digests: list[str]) -> None:
    cache.delete_many([token_cache_key(digest) for digest in digests])


def password_reset_allowed(*, client_ip: str, email: str) -> tuple[bool, bool]:
    """Count a password-reset request; returns (address within its limit, account within its limit).

    Fixed one-hour windows in the cache, one counter per client address and one per e-mail address.
    """
    window_s = 3600
    address_key = f"password-reset:ip:{client_ip}"
    account_key = "password-reset:email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    counts = []
    for key in (address_key, account_key):
        cache.add(key, 0, window_s)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window_s)
            counts.append(1)
    return (
        counts[0] <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        counts[1] <= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT,
    )
