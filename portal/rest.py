"""What every API view shares: one error body, one exception handler, pagination, the JSON parser and the
OpenAPI error responses (the JSON parser is in portal.parsers: APIView reads the parser setting
when rest_framework.views is imported, so it cannot live in a module that imports it).

Every error answers ``{"detail": <one sentence>, "code": <machine code>, "errors": {<field>: [<message>]}}``;
``errors`` is empty unless the input was invalid. Services raise Django's ``ValidationError`` (400),
``PermissionDenied`` (403), ``ObjectDoesNotExist``/``Http404`` (404) and ``portal.errors.Conflict`` (409);
a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import Conflict

# --- Errors --------------------------------------------------------------------------------------


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action conflicts with the current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class ErrorOutput(serializers.Serializer):
    """The body of every API error."""

    detail = serializers.CharField(help_text="what went wrong, in one sentence")
    code = serializers.CharField(help_text="invalid, not_authenticated, permission_denied, not_found, …")
    # Named like Serializer.errors, deliberately: this serializer only describes the body in the schema
    # (it is never given data to validate), and the body's key is `errors`.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="invalid input only: messages per field (`non_field_errors` for the whole input; "
        "`a.b` and `a.0.b` for nested fields)",
    )


def _django_validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in error.messages]}


def as_api_exception(exc: Exception) -> exceptions.APIException | None:
    """The API error a service's exception means; None for a bug (the server error it is)."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_django_validation_detail(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args[:1])
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, Conflict):
        return ConflictError(*exc.args[:1])
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    return None


def field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as one flat mapping of field path → messages."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            for path, messages in field_errors(value, f"{prefix}.{key}" if prefix else str(key)).items():
                flat.setdefault(path, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            for path, messages in field_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                flat.setdefault(path, []).extend(messages)
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        return {
            "detail": str(exceptions.ValidationError.default_detail),
            "code": "invalid",
            "errors": field_errors(exc.detail),
        }
    codes = exc.get_codes()
    return {
        "detail": str(exc.detail),
        "code": codes if isinstance(codes, str) else exc.default_code,
        "errors": {},
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in the one shape; None lets a bug be a 500."""
    api_exception = as_api_exception(exc)
    if api_exception is None:
        return None
    response = drf_exception_handler(api_exception, context)  # headers: WWW-Authenticate, Retry-After
    if response is not None:
        response.data = error_body(api_exception)
    return response


def invalid(errors: dict[str, list[str]]) -> exceptions.ValidationError:
    """A 400 with these field errors, for checks a view makes outside a serializer."""
    return exceptions.ValidationError(errors)


def form_invalid(form: Any, rename: dict[str, str] | None = None) -> exceptions.ValidationError:
    """A 400 with a Django form's errors (a query read through a form), its fields named as the API names
    them (``rename``) and the form's own errors under ``non_field_errors``."""
    names = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(rename or {})}
    return invalid({names.get(field, field): list(messages) for field, messages in form.errors.items()})


def throttled_body(detail: str) -> dict[str, Any]:
    """The error body of a 429 answered outside DRF's views (django-axes' lockout of a sign-in)."""
    return error_body(exceptions.Throttled(detail=detail))


# --- Input ---------------------------------------------------------------------------------------


class SlugField(serializers.SlugRelatedField):
    """A reference by slug or name that refuses NUL characters with a field error (the database cannot
    compare them) instead of failing in the query."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="\\x00")
        if not isinstance(data, str | int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


# --- Lists ---------------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """Every list: ``?page=`` (from 1) and ``?page_size=`` (default 50, at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def paginated(
    view: APIView,
    request: Request,
    items: Sequence[Any] | Iterable[Any],
    serialize: Callable[[list[Any]], Any],
) -> Response:
    """One page of ``items`` with count/next/previous; ``serialize`` turns the page into JSON."""
    paginator = Pagination()
    page: list[Any] | None = paginator.paginate_queryset(items, request, view=view)  # type: ignore[arg-type]
    return paginator.get_paginated_response(serialize(list(page or [])))


# --- OpenAPI -------------------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` holds the messages per field.",
    "401": "Not signed in, or the token is invalid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object among those you may see, or no such page.",
    "409": "The object's current state does not allow this action.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not JSON.",
    "429": "Too many requests; retry after the time in the Retry-After header.",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the errors each operation can answer, in the one error shape."""

    def _error_statuses(self) -> set[str]:
        """401 wherever a credential is read (a bad token fails even where anyone may call); 400 where
        there is input; 403 where a permission applies; 404 on an object's path or a page; 413/415 with a
        body; 429 when throttled; and what the view declares per method in ``error_statuses`` (e.g. 409,
        or 429 for the sign-in lockout)."""
        writes = self.method in ("POST", "PUT", "PATCH")
        paginated = self.method == "GET" and bool(getattr(self.view, "pagination_class", None))
        codes = {"401"} if self.view.get_authenticators() else set()
        if writes or paginated or self.get_override_parameters():
            codes.add("400")
        if any(type(permission).__name__ != "AllowAny" for permission in self.view.get_permissions()):
            codes.add("403")
        if "{" in self.path or paginated:
            codes.add("404")
        if writes:
            codes |= {"413", "415"}
        if self.view.get_throttles():
            codes.add("429")
        declared: dict[str, tuple[str, ...]] = getattr(self.view, "error_statuses", {})
        return codes | set(declared.get(self.method, ()))

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self._error_statuses() - set(responses)):
            response = self._get_response_for_code(ErrorOutput, code, direction=direction)
            response["description"] = ERROR_DESCRIPTIONS[code]
            responses[code] = response
        for code, response in responses.items():
            # An error a view declares with a description only (extend_schema) has the one body too.
            if code.startswith(("4", "5")) and "content" not in response:
                body = self._get_response_for_code(ErrorOutput, code, direction=direction)
                responses[code] = {**body, "description": response.get("description") or body["description"]}
        return responses


# --- Errors outside the API views (an unknown /api/ path, a server error) --------------------------


def _error_page(status_code: int, api_error: exceptions.APIException) -> Callable[..., HttpResponse]:
    pages: dict[int, Callable[..., HttpResponse]] = {
        400: defaults.bad_request,
        403: defaults.permission_denied,
        404: defaults.page_not_found,
        500: defaults.server_error,
    }
    html = pages[status_code]

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path.startswith("/api/"):
            if isinstance(exception, RequestDataTooBig):  # a body read before the API view (Django: 400)
                return JsonResponse(
                    error_body(PayloadTooLarge()), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
                )
            return JsonResponse(error_body(api_error), status=status_code)
        return html(request, exception) if status_code != 500 else html(request)

    return view


class ServerError(exceptions.APIException):
    default_code = "error"


# portal/urls.py: handler400 … handler500. JSON under /api/, Django's pages elsewhere.
bad_request = _error_page(400, exceptions.ParseError(_("Bad request.")))
permission_denied = _error_page(403, exceptions.PermissionDenied())
page_not_found = _error_page(404, exceptions.NotFound())
server_error = _error_page(500, ServerError(_("Server error.")))
