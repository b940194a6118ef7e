"""Keep tokens and their cache entries true to the account.

Signals, not services, on purpose: a password changes through the change and reset forms, the admin,
`changepassword` and the shell, and an account is deactivated through the admin or the shell; every
one of those paths must revoke the account's API tokens, so the rule sits where they all pass.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import services
from accounts.middleware import SessionIdleTimeoutMiddleware
from accounts.models import ApiToken
from portal.models import User

# Marked on the instance in pre_save, read in post_save: both see the same object's one save.
REVOKE_MARK = "_revoke_api_tokens"


@receiver(post_delete, sender=ApiToken)
def _forget_deleted_token(sender: type[ApiToken], instance: ApiToken, **kwargs: Any) -> None:
    services.token_cache_forget(digests=[instance.digest])


@receiver(pre_save, sender=User)
def _note_credential_change(
    sender: type[User], instance: User, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    setattr(instance, REVOKE_MARK, False)
    if instance.pk is None or (
        update_fields is not None and not {"password", "is_active"} & set(update_fields)
    ):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    setattr(
        instance,
        REVOKE_MARK,
        before["password"] != instance.password or (before["is_active"] and not instance.is_active),
    )


@receiver(post_save, sender=User)
def _revoke_or_refresh_tokens(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if getattr(instance, REVOKE_MARK, False):
        services.tokens_revoke_all(user=instance)
    # Cached entries hold the user as it was (role, department): drop them either way.
    digests = list(ApiToken.objects.filter(user=instance).values_list("digest", flat=True))
    if digests:
        services.token_cache_forget(digests=digests)


@receiver(user_logged_in)
def _start_idle_clock(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """A new session is written anyway: note its activity now, not on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleTimeoutMiddleware.ACTIVE_AT_KEY] = int(time.time())
