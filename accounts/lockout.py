"""What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): JSON 429 on the API (the API's one
error body), a page elsewhere."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.rest import throttled_body


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    cooloff_s = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = cooloff_s // 60
    if request.path.startswith("/api/"):
        detail = _(
            "Too many failed sign-in attempts for this account from your address: try again in "
            "%(minutes)d minutes."
        ) % {"minutes": minutes}
        # The API's one error body (portal.rest), code "throttled", like any other 429 of the API.
        response: HttpResponse = JsonResponse(throttled_body(detail), status=429)
    else:
        response = render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(cooloff_s)
    return response
