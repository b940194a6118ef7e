from typing import Any

from django.conf import settings
from django.http import HttpRequest


def sign_in(request: HttpRequest) -> dict[str, Any]:
    """Which ways in the deployment offers (the sign-in page and the header read them)."""
    return {"sso_enabled": settings.OIDC_ENABLED, "local_passwords": settings.LOCAL_PASSWORDS_ENABLED}
