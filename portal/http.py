"""The requests views receive, typed: what the middleware adds and what a login check guarantees.

These classes are never instantiated: they are annotations. Django passes its own `HttpRequest` (DRF its
`Request`); the types say what is true of it by the time the view runs, so that `request.user` is a
portal `User` (not `User | AnonymousUser`) behind `login_required` or DRF's `IsAuthenticated`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from portal.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware (in every request's path) adds `htmx`."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view behind `login_required`: a signed-in portal user."""

    user: User


class AuthenticatedRequest(Request):
    """A DRF request to a view behind `IsAuthenticated` (every API view's default)."""

    user: User
