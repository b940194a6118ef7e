"""The navigation's count of decisions waiting for the signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from governance import selectors

CACHE_ATTRIBUTE = "_decisions_waiting"


def decisions_waiting(request: HttpRequest) -> int:
    """The count for this request's user, computed once per request (the header and the home page
    share it); no query for anonymous users and employees (governance.selectors)."""
    cached: int | None = getattr(request, CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = selectors.decisions_waiting_count(request.user)
        setattr(request, CACHE_ATTRIBUTE, cached)
    return cached


def navigation(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """`nav_decisions_waiting`: a callable, so that a page that does not show the navigation (or shows
    it to nobody signed in) makes no query."""
    return {"nav_decisions_waiting": lambda: decisions_waiting(request)}
