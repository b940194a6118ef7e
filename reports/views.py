"""Targets, the management report (PDF), the CSRD / GHG Protocol export and the AI-literacy register."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.forms import add_service_errors
from portal.http import AuthenticatedHttpRequest
from portal.models import Department, User
from reports import exports, management
from reports import register as literacy
from reports import targets as target_services
from reports.forms import (
    ExportForm,
    RegisterFilterForm,
    RegisterSettingsForm,
    ReportForm,
    TargetForm,
    this_month_label,
)
from reports.pdf import render_pdf
from reports.services import report_settings, report_settings_update

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_dashboard(user: User) -> None:
    if not (user.is_org_admin or user.is_manager):
        raise PermissionDenied(
            _("Targets, the management report and the CSRD export are for managers and administrators.")
        )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: AuthenticatedHttpRequest) -> HttpResponse:
    """This year's targets in the user's scope with their progress; admins set them."""
    user = request.user
    _require_dashboard(user)
    today = timezone.localdate()
    form = TargetForm(request.POST or None, initial={"year": today.year}) if user.is_org_admin else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                target_services.target_set(user=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("reports:targets")
    progresses = target_services.targets_progress(user, today=today)
    return render(
        request,
        "reports/targets.html",
        {
            "form": form,
            "progresses": progresses,
            "off_pace": target_services.off_pace_departments(progresses),
            "all_targets": target_services.targets_in_scope(user),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    """GET asks for confirmation (the targets page links here), POST deletes (admins)."""
    target = get_object_or_404(target_services.targets_in_scope(request.user), pk=target_id)
    if request.method == "GET":
        if not request.user.is_org_admin:
            raise PermissionDenied(_("Administrators set and delete targets."))
        scope_name = target.department.name if target.department else _("the organisation")
        context = {
            "title": _("Delete a target"),
            "question": _("Delete the %(year)s target of %(scope)s?")
            % {"year": target.year, "scope": scope_name},
            "consequences": [
                _(
                    "Its progress leaves the dashboard and the reports, and its pace alerts stop. This cannot be undone."
                )
            ],
            "action_label": _("Delete the target"),
            "cancel_url": reverse("reports:targets"),
            "cancel_label": _("Keep it"),
        }
        return render(request, "portal/confirm.html", context)
    target_services.target_delete(user=request.user, target=target)
    return redirect("reports:targets")


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    report_form = None
    if user.is_org_admin or user.is_manager:
        report_form = ReportForm(
            user=user, initial={"period": this_month_label(), "language": get_language()}
        )
    return render(request, "reports/index.html", {"report_form": report_form})


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The CSRD / GHG Protocol export of a period (XLSX or CSV); without `format`, the page to choose it."""
    user = request.user
    _require_dashboard(user)
    form = ExportForm(request.GET or None, user=user)
    if not request.GET.get("format"):
        return render(request, "reports/export.html", {"form": form, "period_default": this_month_label()})
    if not form.is_valid():
        return render(request, "reports/export.html", {"form": form}, status=400)
    period = form.chosen_period()
    department = form.cleaned_data.get("department")
    data = exports.export_build(user, start=period.start, end=period.end, department=department)
    name = f"ghg-export-{period.label}{'-' + slugify(department.name) if department else ''}"
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(exports.export_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(exports.export_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The AI-literacy register: admins everyone, managers their departments, employees their own record."""
    user = request.user
    settings_form = None
    if user.is_org_admin:
        settings_form = RegisterSettingsForm(
            request.POST or None, initial={"refresher_months": report_settings().refresher_months}
        )
        if request.method == "POST" and settings_form.is_valid():
            report_settings_update(user=user, **settings_form.cleaned_data)
            return redirect("reports:register")
    elif request.method == "POST":
        raise PermissionDenied
    form = RegisterFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/register.html", {"form": form, "register": None}, status=400)
    department = form.cleaned_data.get("department") if form.is_bound else None
    data = literacy.register_build(user, department=department)
    chosen = form.cleaned_data.get("format") if form.is_bound else ""
    name = f"ai-literacy-register-{data.today.isoformat()}"
    if chosen == "csv":
        return _file(literacy.register_csv(data), "text/csv; charset=utf-8", f"{name}.csv")
    if chosen == "xlsx":
        return _file(literacy.register_xlsx(data), XLSX, f"{name}.xlsx")
    if chosen == "pdf":
        pdf = render_pdf(
            "reports/register_pdf.html", {"register": data, "scope_label": _register_scope(user, department)}
        )
        return _file(pdf, "application/pdf", f"{name}.pdf")
    return render(
        request, "reports/register.html", {"form": form, "register": data, "settings_form": settings_form}
    )


def _register_scope(user: User, department: Department | None) -> str:
    if department is not None:
        return department.name
    if user.is_org_admin:
        return str(_("The whole organisation"))
    if user.is_manager:
        return ", ".join(user.managed_departments.values_list("name", flat=True))
    return str(user)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def management_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The management report as PDF: a period (default this month), a department or all, FR or EN."""
    user = request.user
    _require_dashboard(user)
    form = ReportForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/index.html", {"report_form": form}, status=400)
    period = form.chosen_period()
    department = form.cleaned_data.get("department") if form.is_bound else None
    language = (form.cleaned_data.get("language") if form.is_bound else "") or get_language()
    pdf = management.report_pdf(user, period=period, department=department, language=language)
    suffix = f"-{slugify(department.name)}" if department else ""
    return _file(pdf, "application/pdf", f"management-report-{period.label}{suffix}-{language}.pdf")
