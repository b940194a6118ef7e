from django.http import HttpRequest, JsonResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    """The floor: a plain Django JSON view through the same middleware, doing nothing."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
