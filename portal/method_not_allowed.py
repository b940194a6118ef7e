"""A 405 answered in the site's layout (JSON under /api/) instead of the blank page of Django's
`require_POST` and friends: "Method not allowed" is otherwise the only error without a page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions

from portal.rest import error_body


class MethodNotAllowedPageMiddleware:
    """After the view: a bodiless 405 becomes the 405 page (or the API's error body), Allow kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        method = request.method or ""
        page: HttpResponse
        if request.path.startswith("/api/"):
            page = JsonResponse(error_body(exceptions.MethodNotAllowed(method)), status=405)
        else:
            page = render(request, "405.html", {"method": method}, status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
