"""Token authentication with expiring tokens that does not query the database on every API request.

A token (accounts.models.ApiToken) is looked up by the SHA-256 digest of the presented key; the token
and its user are cached for `TOKEN_CACHE_SECONDS` (never past the token's expiry) in Django's cache
(Redis when REDIS_CACHE_URL is set, so shared by every process; otherwise per process). Revoking a
token, changing a password and deactivating a user delete the cache entries (accounts/signals.py): at
once where the cache is shared, within the TTL elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts import services
from accounts.models import ApiToken
from portal.models import User


class CachedTokenAuthentication(TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        digest = services.token_digest(key)
        token = cache.get(services.token_cache_key(digest))
        if token is None:
            token = ApiToken.objects.select_related("user").filter(digest=digest).first()
            if token is None:
                raise exceptions.AuthenticationFailed(_("Invalid token."))
            if not token.is_expired:
                token.last_used_at = timezone.now()
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
                remaining_s = int((token.expires_at - timezone.now()).total_seconds())
                timeout_s = max(1, min(settings.TOKEN_CACHE_SECONDS, remaining_s))
                cache.set(services.token_cache_key(digest), token, timeout_s)  # with its user
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("Token expired: create a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
