from django.db.models import QuerySet

from accounts.models import ApiToken
from portal.models import User


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
