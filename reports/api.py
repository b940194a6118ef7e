"""Reports API: targets (read and set), the CSRD / GHG export, the management report and the register.

Files come back as files (`GET` with `output`: DRF keeps `format` for its own content negotiation); every list is filtered to the caller's scope.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.http import AuthenticatedRequest
from portal.models import Department, User
from portal.rest import Pagination, form_invalid, invalid, paginated
from reports import exports, management, pace
from reports import register as literacy
from reports import targets as target_services
from reports.forms import ExportForm, RegisterFilterForm, ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_dashboard(user: User) -> None:
    if not (user.is_org_admin or user.is_manager):
        raise ApiPermissionDenied


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _progress(progress: pace.Progress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "to_date": dict(zip(("low", "central", "high"), progress.to_date, strict=True)),
        "pace": progress.pace,
        "off_pace": progress.off_pace,
        "range_spans_pace": progress.range_spans_pace,
        "forecast": dict(zip(("low", "central", "high"), progress.forecast, strict=True))
        if progress.forecast
        else None,
        "forecast_above_target": progress.forecast_above_target,
    }


class TargetInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False
    )
    emissions_kgco2e = serializers.FloatField()
    energy_kwh = serializers.FloatField(allow_null=True, required=False)


TARGET_OUTPUT = inline_serializer(
    "TargetProgress",
    {
        "id": serializers.IntegerField(),
        "year": serializers.IntegerField(),
        "department": serializers.IntegerField(allow_null=True),
        "label": serializers.CharField(),
        "emissions_kgco2e": serializers.FloatField(),
        "energy_kwh": serializers.FloatField(allow_null=True),
        "emissions": serializers.DictField(),
        "energy": serializers.DictField(allow_null=True),
    },
    many=True,
)


def _target_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.target.pk,
            "year": item.target.year,
            "department": item.target.department_id,
            "label": str(item.label),
            "emissions_kgco2e": item.target.emissions_kgco2e,
            "energy_kwh": item.target.energy_kwh,
            "emissions": _progress(item.emissions),
            "energy": _progress(item.energy),
        }
        for item in items
    ]


class TargetsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=TARGET_OUTPUT)
    def get(self, request: AuthenticatedRequest) -> Response:
        """This year's targets in your scope with their progress: year to date (low/central/high), pace,
        off pace, forecast (admins: all; managers: their departments)."""
        _require_dashboard(request.user)
        return paginated(self, request, target_services.targets_progress(request.user), _target_rows)

    @extend_schema(
        request=TargetInput,
        responses={201: inline_serializer("TargetSet", {"id": serializers.IntegerField()})},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Set (or replace) the target of a year and department (none: the organisation). Admins only."""
        if not request.user.is_org_admin:
            raise ApiPermissionDenied
        data = TargetInput(data=request.data)
        data.is_valid(raise_exception=True)
        target = target_services.target_set(
            user=request.user, **{"department": None, "energy_kwh": None, **data.validated_data}
        )
        return Response({"id": target.pk}, status=201)


PERIOD = OpenApiParameter(
    "period",
    str,
    description="2026-11 (a month), 2026-Q4 (a quarter), 2026 (a year) or 2025-12..2026-11 (a range of months); "
    "default: this month",
)
DEPARTMENT = OpenApiParameter(
    "department", int, description="one department in your scope (default: all of it)"
)


class GhgExportApi(APIView):
    @extend_schema(
        parameters=[PERIOD, DEPARTMENT, OpenApiParameter("output", str, enum=["xlsx", "csv"])],
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.BINARY},
    )
    def get(self, request: AuthenticatedRequest) -> HttpResponse | Response:
        """The CSRD / GHG Protocol export of a period as XLSX (with its methodology sheet) or CSV."""
        _require_dashboard(request.user)
        params = request.query_params.dict()
        form = ExportForm({**params, "format": params.pop("output", "xlsx")}, user=request.user)
        if not form.is_valid():
            raise form_invalid(form, rename={"format": "output"})
        period = form.chosen_period()
        department = form.cleaned_data.get("department")
        data = exports.export_build(request.user, start=period.start, end=period.end, department=department)
        name = f"ghg-export-{period.label}{'-' + slugify(department.name) if department else ''}"
        if form.cleaned_data["format"] == "csv":
            return _file(exports.export_csv(data), "text/csv; charset=utf-8", f"{name}.csv")
        return _file(exports.export_xlsx(data), XLSX, f"{name}.xlsx")


class ManagementReportApi(APIView):
    @extend_schema(
        parameters=[PERIOD, DEPARTMENT, OpenApiParameter("language", str, enum=["en", "fr"])],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: AuthenticatedRequest) -> HttpResponse | Response:
        """The management report of a period as PDF, for your scope or one of its departments."""
        _require_dashboard(request.user)
        form = ReportForm(request.query_params.dict() or None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise form_invalid(form)
        period = form.chosen_period()
        department = form.cleaned_data.get("department") if form.is_bound else None
        language = (form.cleaned_data.get("language") if form.is_bound else "") or get_language()
        pdf = management.report_pdf(request.user, period=period, department=department, language=language)
        return _file(pdf, "application/pdf", f"management-report-{period.label}-{language}.pdf")


class RegisterApi(APIView):
    @extend_schema(
        parameters=[DEPARTMENT, OpenApiParameter("output", str, enum=["json", "csv", "xlsx"])],
        responses={
            200: inline_serializer(
                "LiteracyRegister",
                {
                    "refresher_months": serializers.IntegerField(),
                    "coverage": serializers.ListField(child=serializers.DictField()),
                    "people": serializers.ListField(child=serializers.DictField()),
                },
            ),
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: AuthenticatedRequest) -> HttpResponse | Response:
        """The AI-literacy register (EU AI Act Art. 4): admins everyone, managers their departments,
        employees their own record."""
        params = request.query_params.dict()
        chosen = params.pop("output", "json")
        if chosen not in ("json", "csv", "xlsx"):
            raise invalid({"output": ["One of json, csv, xlsx."]})
        form = RegisterFilterForm(params, user=request.user)
        if not form.is_valid():
            raise form_invalid(form)
        data = literacy.register_build(request.user, department=form.cleaned_data.get("department"))
        name = f"ai-literacy-register-{data.today.isoformat()}"
        if chosen == "csv":
            return _file(literacy.register_csv(data), "text/csv; charset=utf-8", f"{name}.csv")
        if chosen == "xlsx":
            return _file(literacy.register_xlsx(data), XLSX, f"{name}.xlsx")
        _header, rows = literacy.register_table(data)
        keys = ["person", "username", "department", "course", "started", "completed", "modules_passed", "modules",
                "quiz_results", "iterations_change", "emissions_change", "refresher_due"]  # fmt: skip
        return Response(
            {
                "refresher_months": data.refresher_months,
                "coverage": [
                    {
                        "department": c.department,
                        "people": c.people,
                        "trained": c.trained,
                        "up_to_date": c.up_to_date,
                    }
                    for c in data.coverage
                ],
                "people": [dict(zip(keys, row, strict=True)) for row in rows],
            }
        )
