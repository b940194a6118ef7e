"""Request hardening: forwarded headers only from trusted proxies; nothing authenticated kept in caches."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from accounts.client_ip import FORWARDED_HEADERS, client_ip, is_trusted_proxy


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: drop forwarded headers from untrusted peers, resolve the client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote = request.META.get("REMOTE_ADDR", "")
        if is_trusted_proxy(remote):
            request.META["REMOTE_ADDR"] = client_ip(request)
            request.META["PROXY_ADDR"] = remote
        else:
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and `private`) on every API response and every signed-in page.

    Below AuthenticationMiddleware; DRF sets `request.user` for token-authenticated API calls too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class SessionIdleTimeoutMiddleware:
    """Slide a signed-in session's expiry (SESSION_COOKIE_AGE = the idle timeout) on activity.

    At most one session write a minute instead of one per request (SESSION_SAVE_EVERY_REQUEST): the
    session then ends between SESSION_IDLE_TIMEOUT_MINUTES and one minute more after the last request.
    """

    REFRESH_EVERY_S = 60
    ACTIVE_AT_KEY = "_active_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now_s = int(time.time())
            if now_s - request.session.get(self.ACTIVE_AT_KEY, 0) >= self.REFRESH_EVERY_S:
                request.session[self.ACTIVE_AT_KEY] = now_s  # modified: saved with a fresh expiry
        return self.get_response(request)
