"""Token authentication that does not query the database on every API request.

A token's user is cached for `TOKEN_CACHE_SECONDS` in Django's cache (Redis when REDIS_CACHE_URL is set,
so shared by every process; otherwise per process). Deleting a token or deactivating a user clears its
entry through the signals below, at once where the cache is shared, within the TTL elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def _cache_key(key: str) -> str:
    return f"auth-token:{key}"


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        cached = cache.get(_cache_key(key))
        if cached is None:
            user, token = super().authenticate_credentials(key)
            cache.set(_cache_key(key), (user, token), settings.TOKEN_CACHE_SECONDS)
            return user, token
        user, token = cached
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token


@receiver(post_delete, sender=Token)
def _forget_deleted_token(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    cache.delete(_cache_key(instance.key))


@receiver(post_save, sender=get_user_model())
def _forget_tokens_of_changed_user(sender: type, instance: Any, **kwargs: Any) -> None:
    for key in Token.objects.filter(user=instance).values_list("key", flat=True):
        cache.delete(_cache_key(key))
