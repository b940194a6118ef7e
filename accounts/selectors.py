from typing import Any

from django.db.models import QuerySet

from accounts.models import ApiToken


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
