"""Connection pages (admins) and the OpenTelemetry receiver (token per connection)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from portal.http import AuthenticatedHttpRequest
from portal.models import User
from usage.connectors import otlp, services
from usage.connectors.forms import BackfillForm, ConnectionForm, MappingRuleForm
from usage.connectors.http import ConnectorError
from usage.models import Connection, MappingRule, SyncRun

TOKEN_SESSION_KEY = "usage-connection-token"


def _require_admin(user: User) -> None:
    if not user.is_org_admin:
        raise PermissionDenied(_("Usage connections are for administrators."))


def _connection(request: AuthenticatedHttpRequest, connection_id: int) -> Connection:
    _require_admin(request.user)
    return get_object_or_404(Connection, pk=connection_id)


@login_required
@require_GET
def connection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request.user)
    connections = Connection.objects.all()
    latest: dict[int, SyncRun] = {}
    for run in SyncRun.objects.filter(connection__in=connections).order_by("connection_id", "-created_at"):
        latest.setdefault(run.connection_id, run)
    rows = [(connection, latest.get(connection.pk)) for connection in connections]
    return render(
        request,
        "usage/connection_list.html",
        {"rows": rows, "unattributed": services.unattributed_summary()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        connection, token = services.connection_create(
            created_by=request.user,
            name=data["name"],
            kind=data["kind"],
            base_url=data["base_url"],
            secret=data["secret"],
            default_region=data["default_region"],
            schedule_hours=data["schedule_hours"],
        )
        if token:
            request.session[TOKEN_SESSION_KEY] = {"connection": connection.pk, "token": token}
        messages.success(request, _("Connection saved."))
        return redirect("usage:connection", connection_id=connection.pk)
    return render(request, "usage/connection_form.html", {"form": form})


@login_required
@require_GET
def connection_detail(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    shown = request.session.get(TOKEN_SESSION_KEY)
    token = None
    if shown and shown.get("connection") == connection.pk:
        token = shown["token"]
        del request.session[TOKEN_SESSION_KEY]  # shown once
    unattributed = next(
        (entry for entry in services.unattributed_summary() if entry["connection_id"] == connection.pk), None
    )
    prefill = {key: request.GET[key] for key in ("field", "value") if key in request.GET}
    context = {
        "connection": connection,
        "token": token,
        "otlp_endpoint": request.build_absolute_uri("/otlp/v1/traces"),
        "rules": connection.rules.select_related("department", "use_case"),
        "runs": connection.runs.select_related("requested_by")[:50],
        "rule_form": MappingRuleForm(initial=prefill, connection=connection),
        "backfill_form": BackfillForm(),
        "unattributed": unattributed,
    }
    return render(request, "usage/connection_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        form.save()
        secret = form.cleaned_data.get("secret")
        if secret and connection.kind != Connection.Kind.OTLP:
            services.connection_set_secret(connection=connection, secret=secret)
        messages.success(request, _("Connection saved."))
        return redirect("usage:connection", connection_id=connection.pk)
    return render(request, "usage/connection_form.html", {"form": form, "connection": connection})


@login_required
@require_POST
def connection_new_token(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    if connection.kind != Connection.Kind.OTLP:
        raise PermissionDenied
    token = services.connection_set_secret(connection=connection, secret="")
    request.session[TOKEN_SESSION_KEY] = {"connection": connection.pk, "token": token}
    return redirect("usage:connection", connection_id=connection.pk)


@login_required
@require_POST
def connection_test(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    try:
        messages.success(request, services.connection_test(connection=connection))
    except ConnectorError as error:
        messages.error(request, _("The test failed: %(reason)s") % {"reason": error})
    return redirect("usage:connection", connection_id=connection.pk)


@login_required
@require_POST
def connection_sync(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    if connection.kind == Connection.Kind.OTLP:
        messages.error(request, _("An OpenTelemetry connection receives usage; there is nothing to fetch."))
        return redirect("usage:connection", connection_id=connection.pk)
    form = BackfillForm(request.POST) if "start_date" in request.POST else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("usage:connection", connection_id=connection.pk)
    services.sync_request(
        connection=connection,
        trigger=SyncRun.Trigger.BACKFILL if form is not None else SyncRun.Trigger.MANUAL,
        requested_by=request.user,
        start_date=form.cleaned_data["start_date"] if form is not None else None,
        end_date=form.cleaned_data.get("end_date") if form is not None else None,
    )
    messages.success(request, _("Sync queued: its result appears in the history below."))
    return redirect("usage:connection", connection_id=connection.pk)


@login_required
@require_POST
def rule_add(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = _connection(request, connection_id)
    form = MappingRuleForm(request.POST, connection=connection)
    if form.is_valid():
        data = form.cleaned_data
        services.rule_create(
            connection=connection,
            field=data["field"],
            value=data["value"],
            department=data["department"],
            use_case=data.get("use_case"),
            region=data.get("region", ""),
        )
        messages.success(request, _("Rule added: past usage was attributed again."))
        return redirect("usage:connection", connection_id=connection.pk)
    context = {
        "connection": connection,
        "otlp_endpoint": request.build_absolute_uri("/otlp/v1/traces"),
        "rules": connection.rules.select_related("department", "use_case"),
        "runs": connection.runs.select_related("requested_by")[:50],
        "rule_form": form,
        "backfill_form": BackfillForm(),
    }
    return render(request, "usage/connection_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rule_delete(request: AuthenticatedHttpRequest, connection_id: int, rule_id: int) -> HttpResponse:
    """GET asks for confirmation (the rules table links here), POST removes the rule."""
    connection = _connection(request, connection_id)
    rule = get_object_or_404(MappingRule, pk=rule_id, connection=connection)
    if request.method == "GET":
        context = {
            "title": _("Remove a mapping rule"),
            "question": _("Remove the rule “%(field)s = %(value)s”?")
            % {"field": rule.get_field_display(), "value": rule.value},
            "consequences": [
                _(
                    "The usage it matched is attributed again without it: to another rule that matches, "
                    "or to the connection's defaults."
                )
            ],
            "action_label": _("Remove the rule"),
            "cancel_url": reverse("usage:connection", args=[connection.pk]) + "#rules",
            "cancel_label": _("Keep it"),
        }
        return render(request, "portal/confirm.html", context)
    services.rule_delete(rule=rule)
    messages.success(request, _("Rule removed: past usage was attributed again."))
    return redirect("usage:connection", connection_id=connection.pk)


# --- OpenTelemetry receiver (OTLP/HTTP) ----------------------------------------------------------


def _otlp_answer(
    request: HttpRequest, status: int, message: str = "", rejected_spans: int = 0
) -> HttpResponse:
    """OTLP/HTTP answers in the request's encoding: an ExportTraceServiceResponse on success, empty or
    with a partial success saying how many spans were refused and why."""
    if status == 200:
        response = ExportTraceServiceResponse()
        if rejected_spans:
            response.partial_success.rejected_spans = rejected_spans
            response.partial_success.error_message = message
        if request.content_type == "application/x-protobuf":
            return HttpResponse(response.SerializeToString(), content_type="application/x-protobuf")
        return JsonResponse(json_format.MessageToDict(response), status=status)
    return JsonResponse({"message": message} if message else {}, status=status)


@csrf_exempt
@require_POST
def otlp_traces(request: HttpRequest) -> HttpResponse:
    """`POST /otlp/v1/traces` with `Authorization: Bearer <the connection's token>`."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    connection = services.connection_for_token(token)
    if connection is None:
        return _otlp_answer(
            request, 401, _("A valid connection token is required (Authorization: Bearer …).")
        )
    try:
        spans = otlp.genai_spans(request.body, request.content_type or "")
    except otlp.PayloadError as error:
        status = 415 if "application/x-protobuf or application/json" in str(error) else 400
        return _otlp_answer(request, status, str(error))
    ingest = services.otlp_ingest(connection=connection, spans=spans)
    if ingest.too_old:
        message = _(
            "%(count)s span(s) older than %(days)s days were not counted: the receiver keeps the keys that "
            "tell a retry from a first delivery that long. Import older usage as a file."
        ) % {"count": ingest.too_old, "days": settings.USAGE_OTLP_SPAN_RETENTION_DAYS}
        return _otlp_answer(request, 200, message, rejected_spans=ingest.too_old)
    return _otlp_answer(request, 200)
