"""The usage API: send usage records (admins), read the footprint summary (admins and managers), the
import history and the undo of an import (admins)."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.http import AuthenticatedRequest
from portal.rest import Pagination, form_invalid, invalid, paginated
from usage import dashboard
from usage import services as usage
from usage.forms import DashboardFilterForm
from usage.models import UsageImport, UsageImportEvent


class UsageRecordsApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "UsageRecord",
            {
                "date": serializers.DateField(),
                "department": serializers.CharField(help_text="department name"),
                "use_case": serializers.IntegerField(required=False, allow_null=True),
                "model": serializers.CharField(help_text="catalogue slug"),
                "region": serializers.CharField(help_text="GCP region or ISO3 country"),
                "requests": serializers.IntegerField(min_value=1),
                "input_tokens": serializers.IntegerField(required=False),
                "output_tokens": serializers.IntegerField(required=False),
                "images": serializers.IntegerField(required=False),
                "image_width": serializers.IntegerField(required=False),
                "image_height": serializers.IntegerField(required=False),
                "source": serializers.CharField(),
                "external_id": serializers.CharField(
                    help_text="unique per source: sending it again counts once"
                ),
            },
            many=True,
        ),
        responses={
            201: inline_serializer(
                "UsageIngest",
                {
                    "received": serializers.IntegerField(),
                    "inserted": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                },
            ),
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Send up to 10,000 usage records (admins). All are checked; if any is bad, none goes in: the
        400's `errors` are keyed `<record index>.<field>` (`records` for the call as a whole)."""
        if not request.user.is_org_admin:
            raise PermissionDenied
        if not isinstance(request.data, list):
            raise invalid({"records": ["Send a JSON list of records."]})
        result = usage.usage_ingest(records=request.data)
        if result.errors:
            errors: dict[str, list[str]] = {}
            for error in result.errors:
                key = (
                    "records"
                    if error.line < 0
                    else ".".join(str(part) for part in (error.line, error.column) if part != "")
                )
                errors.setdefault(key, []).append(error.reason)
            raise invalid(errors)
        return Response(
            {"received": result.received, "inserted": result.inserted, "duplicates": result.duplicates},
            status=201,
        )


class UsageSummaryApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=list(dashboard.GROUP_KEYS), required=True),
            OpenApiParameter(
                "from", str, description="first month, YYYY-MM (default: 11 months before `to`)"
            ),
            OpenApiParameter("to", str, description="last month, YYYY-MM (default: this month)"),
        ],
        responses=inline_serializer(
            "UsageSummaryRow",
            {
                "group": serializers.CharField(
                    help_text="the value of the group key (also under its own name)"
                ),
                "requests": serializers.IntegerField(),
                "input_tokens": serializers.IntegerField(),
                "output_tokens": serializers.IntegerField(),
                "images": serializers.IntegerField(),
                "energy_kwh": serializers.DictField(),
                "emissions_kgco2e": serializers.DictField(),
                "water_l": serializers.DictField(),
            },
            many=True,
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """Usage and footprint per month, department, model, region or use case (admins: all; managers: their departments)."""
        group_by = request.query_params.get("group_by")
        if group_by not in dashboard.GROUP_KEYS:
            raise invalid({"group_by": [f"One of {', '.join(dashboard.GROUP_KEYS)}."]})
        form = DashboardFilterForm(
            {"start": request.query_params.get("from", ""), "end": request.query_params.get("to", "")}
        )
        if not form.is_valid():
            raise form_invalid(form, rename={"start": "from", "end": "to"})
        rows = dashboard.filtered_rows(request.user, start=form.period()[0], end=form.period()[1])
        body = []
        for key, totals in dashboard.grouped(rows, group_by):
            value = key.strftime("%Y-%m") if group_by == "month" else key
            body.append({group_by: value, "group": value, **totals.as_dict()})
        return paginated(self, request, body, lambda page: page)


# --- Import history ------------------------------------------------------------------------------


class UsageImportOut(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    undone_by = serializers.CharField(source="undone_by.username", default=None, read_only=True)
    percent = serializers.IntegerField(read_only=True)
    undoable = serializers.BooleanField(read_only=True)

    class Meta:
        model = UsageImport
        fields = [
            "id", "file_name", "uploaded_by", "created_at", "status", "percent", "total_rows",
            "inserted_rows", "duplicate_rows", "error_count", "message", "finished_at", "undoable",
            "undone_at", "undone_by", "removed_rows",
        ]  # fmt: skip


class UsageImportEventOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = UsageImportEvent
        fields = ["at", "actor", "action", "records_removed", "months"]


class RowErrorOut(serializers.Serializer):
    line = serializers.IntegerField(help_text="the row's line in the CSV file, or its row in the sheet")
    column = serializers.CharField()
    reason = serializers.CharField()


class UsageImportDetailOut(UsageImportOut):
    problems = RowErrorOut(
        source="errors", many=True, read_only=True, help_text="the first problems found (at most 1,000)"
    )
    events = UsageImportEventOut(many=True, read_only=True, help_text="retries, cancellation, undo")

    class Meta(UsageImportOut.Meta):
        fields = [*UsageImportOut.Meta.fields, "problems", "events"]


def _admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_org_admin:
        raise PermissionDenied


def _import_detail(import_id: int) -> dict[str, Any]:
    usage_import = get_object_or_404(
        UsageImport.objects.select_related("uploaded_by", "undone_by").prefetch_related("events__actor"),
        pk=import_id,
    )
    return dict(UsageImportDetailOut(usage_import).data)


class UsageImportListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=UsageImportOut(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The import history, newest first (admins): who, when, which file, how many rows, the result."""
        _admin(request)
        imports = UsageImport.objects.select_related("uploaded_by", "undone_by")
        return paginated(self, request, imports, lambda page: UsageImportOut(page, many=True).data)


class UsageImportDetailApi(APIView):
    @extend_schema(responses=UsageImportDetailOut)
    def get(self, request: AuthenticatedRequest, import_id: int) -> Response:
        """One import (admins), with its problems and its audit events."""
        _admin(request)
        return Response(_import_detail(import_id))


class UsageImportUndoApi(APIView):
    error_statuses = {"POST": ("409",)}

    @extend_schema(request=None, responses=UsageImportDetailOut)
    def post(self, request: AuthenticatedRequest, import_id: int) -> Response:
        """Undo a finished import (admins): the records it added are removed in one transaction, the
        rollups of their months are recomputed in the background, the import stays (status `undone`)
        with an audit event. Once only: 409 (nothing changed) for an import not finished, one that
        added no records, or one already undone."""
        _admin(request)
        usage.usage_import_undo(usage_import=get_object_or_404(UsageImport, pk=import_id), actor=request.user)
        return Response(_import_detail(import_id))
