"""The org-wide emissions pages: the dashboard (with its training and what-if panels) and usage imports."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estimator import levers as lever_rules
from estimator import services as estimator_services
from estimator.labels import LEVER_LABELS
from portal import scope
from portal.exports import csv_writer
from portal.http import AuthenticatedHttpRequest
from portal.models import User
from reports import targets as target_services
from usage import dashboard as dashboard_data
from usage import services as usage
from usage.connectors import services as connectors
from usage.forms import DashboardFilterForm, UsageImportForm, WhatIfForm
from usage.models import UsageImport, UsageImportEvent


def _require_dashboard(user: User) -> None:
    if not scope.oversees_departments(user):
        raise PermissionDenied(
            _("The emissions dashboard is for managers (their departments' usage) and administrators.")
        )


def _require_admin(user: User) -> None:
    if not user.is_org_admin:
        raise PermissionDenied(_("Usage imports are for administrators."))


TABLES = ("month", *dashboard_data.BREAKDOWNS)  # the charts' tables, loaded when asked (dashboard_table)


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where the organisation's GenAI emissions come from: read from monthly rollups only."""
    user = request.user
    _require_dashboard(user)
    export = request.GET.get("export")
    if export in TABLES:
        filters = DashboardFilterForm(request.GET, user=user)
        rows = dashboard_data.filtered_rows(user, **filters.selection())
        return _csv_export(export, dashboard_data.grouped(rows, export))
    context = _dashboard_context(request)
    template = "usage/dashboard.html#dashboard-body" if request.htmx else "usage/dashboard.html"
    return render(request, template, context)


def _dashboard_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """The whole dashboard page's context, for the period and filters asked (the panels loaded later, the
    training's effect and the what-if, are empty: their own views fill them)."""
    user = request.user
    filters = DashboardFilterForm(request.GET or None, user=user)
    selection = filters.selection()
    rows, previous_rows = dashboard_data.period_and_previous_rows(user, **selection)
    kpis = dashboard_data.period_kpis(
        user,
        rows,
        previous_rows,
        start=selection["start"],
        end=selection["end"],
        department=selection["department"],
    )
    total = dashboard_data.Totals()
    for row in rows:
        total.add(row)
    trend = dashboard_data.grouped(rows, "month")
    breakdowns = [(name, dashboard_data.grouped(rows, name)) for name in dashboard_data.BREAKDOWNS]
    start, end = selection["start"], selection["end"]
    return {
        "filters": filters,
        "presets": filters.presets(),
        "start": start,
        "end": end,
        "kpis": kpis,
        "total": total,
        "trend": trend,
        "trend_chart": dashboard_data.emissions_chart(_("Emissions by month"), "month", trend),
        "breakdowns": [
            (name, groups, dashboard_data.emissions_chart(name, name, groups[: dashboard_data.CHART_BARS]))
            for name, groups in breakdowns
        ],
        "estimated_vs_actual": dashboard_data.estimated_vs_actual(user),
        "today": timezone.localdate(),
        "progresses": target_services.targets_progress(user, department=selection["department"]),
        "query": filters.query(),
        # The management report and the CSRD / GHG export of the period and departments shown (the
        # reports take no model or region filter); reports.forms reads the range.
        "report_query": urlencode(
            {
                "period": f"{start:%Y-%m}..{end:%Y-%m}",
                **({"department": selection["department"]} if selection["department"] else {}),
            }
        ),
        "reports_all_models": bool(selection["model"] or selection["region"]),
        "whatif_form": WhatIfForm(prefix="whatif"),
        # Usage no mapping rule gives a department has no place in the rollups: admins see how much.
        "unattributed": connectors.unattributed_summary() if user.is_org_admin else [],
    }


def _csv_export(name: str, groups: list[tuple[Any, dashboard_data.Totals]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="emissions-by-{name}.csv"'
    writer = csv_writer(response)
    bounds = ("low", "central", "high")
    writer.writerow(
        [name, "requests", "input_tokens", "output_tokens", "images"]
        + [
            f"{measure}_{bound}"
            for measure in ("energy_kwh", "emissions_kgco2e", "water_l")
            for bound in bounds
        ]
    )
    for label, totals in groups:
        values = totals.as_dict()
        writer.writerow(
            [
                label if label is not None else dashboard_data.group_label(name, None),
                values["requests"],
                values["input_tokens"],
                values["output_tokens"],
                values["images"],
            ]
            + [
                values[measure][bound]
                for measure in ("energy_kwh", "emissions_kgco2e", "water_l")
                for bound in bounds
            ]
        )
    return response


@login_required
@require_GET
def dashboard_table(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    """One chart's table (its text alternative: the trend by month or a breakdown), loaded when asked to keep the page light:
    the table for htmx, the whole page with it when the browser runs no JavaScript and followed the link.
    The same filters and rows as the dashboard's."""
    user = request.user
    _require_dashboard(user)
    if name not in TABLES:
        raise Http404
    filters = DashboardFilterForm(request.GET or None, user=user)
    if request.htmx:
        rows = dashboard_data.filtered_rows(user, **filters.selection())
        groups = dashboard_data.grouped(rows, name)
        context = {"name": name, "groups": groups, "query": filters.query(), "focus": True}
        return render(request, "usage/dashboard.html#breakdown-table", context)
    return render(request, "usage/dashboard.html", {**_dashboard_context(request), "table_shown": name})


@login_required
@require_GET
def dashboard_training(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The training effect panel: loaded once after the page (it computes per-task footprints), or the
    whole page with it when the browser runs no JavaScript and followed the panel's link."""
    _require_dashboard(request.user)
    result, untrained = dashboard_data.training_effect(request.user)
    panel = {"training_loaded": True, "training": result, "untrained_share": untrained}
    if request.htmx:
        return render(request, "usage/dashboard.html#training-panel", panel)
    return render(request, "usage/dashboard.html", {**_dashboard_context(request), **panel})


@login_required
@require_GET
def dashboard_what_if(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The four levers applied to the organisation's own usage in the period shown: the panel for htmx,
    the whole page otherwise (the form works without JavaScript)."""
    user = request.user
    _require_dashboard(user)
    form = WhatIfForm(request.GET, prefix="whatif")
    filters = DashboardFilterForm(request.GET, user=user)
    selection = filters.selection()
    context: dict[str, Any] = {"whatif_form": form, "whatif": None, "lever_labels": LEVER_LABELS}
    if form.is_valid():
        rows = dashboard_data.filtered_rows(user, start=selection["start"], end=selection["end"])
        result, untrained = dashboard_data.training_effect(user)
        change = result.changes["iterations_per_task"].relative_change if result else None
        levers = dashboard_data.WhatIf(
            region=form.cleaned_data["region"] or None,
            output_cap=form.cleaned_data["output_cap_percent"] / 100,
            iteration_change=(change or 0.0) if form.cleaned_data["train_remaining"] else 0.0,
            untrained_share=untrained,
            small_model_share=form.cleaned_data["small_model_percent"] / 100,
        )
        context |= {
            "whatif": dashboard_data.what_if(rows, levers),
            "iteration_change": change,
            "untrained_share": untrained,
            "small_model": estimator_services.reference_data().models[lever_rules.SMALL_TEXT_MODEL],
            "large_model_active_params_b": lever_rules.LARGE_MODEL_ACTIVE_PARAMS_B,
        }
    if request.htmx:
        return render(request, "usage/dashboard.html#whatif-panel", context)
    return render(request, "usage/dashboard.html", {**_dashboard_context(request), **context})


@login_required
@require_http_methods(["GET", "POST"])
def usage_import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = UsageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        usage_import = usage.usage_import_create(uploaded_by=request.user, upload=upload)
        return redirect("usage:import", import_id=usage_import.pk)
    imports = UsageImport.objects.select_related("uploaded_by")[:10]
    return render(
        request, "usage/usage_import.html", {"form": form, "imports": imports, "columns": usage.COLUMNS}
    )


HISTORY_PAGE_SIZE = 50


@login_required
@require_GET
def usage_import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The import history (admins): who, when, which file, how many rows, and the result, newest first."""
    _require_admin(request.user)
    imports = UsageImport.objects.select_related("uploaded_by", "undone_by")
    page = Paginator(imports, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "usage/usage_import_list.html", {"page": page})


@login_required
@require_GET
def usage_import_detail(request: AuthenticatedHttpRequest, import_id: int) -> HttpResponse:
    """An import's progress (htmx polls the fragment until it is finished) and its report."""
    _require_admin(request.user)
    usage_import = get_object_or_404(UsageImport.objects.select_related("undone_by"), pk=import_id)
    template = (
        "usage/usage_import_detail.html#import-status" if request.htmx else "usage/usage_import_detail.html"
    )
    events = UsageImportEvent.objects.filter(usage_import=usage_import).select_related("actor")
    return render(
        request,
        template,
        {
            "usage_import": usage_import,
            "stalled": usage.usage_import_stalled(usage_import),
            "events": events,
        },
    )


@login_required
@require_POST
def usage_import_retry(request: AuthenticatedHttpRequest, import_id: int) -> HttpResponse:
    """Queue a failed or stalled import again (admins)."""
    _require_admin(request.user)
    usage_import = get_object_or_404(UsageImport, pk=import_id)
    try:
        usage.usage_import_retry(usage_import=usage_import, actor=request.user)
        messages.success(request, _("The import is queued again."))
    except usage.ImportConflict as conflict:
        messages.error(request, str(conflict))
    return redirect("usage:import", import_id=import_id)


@login_required
@require_http_methods(["GET", "POST"])
def usage_import_cancel(request: AuthenticatedHttpRequest, import_id: int) -> HttpResponse:
    """Stop an import that has not finished (admins); nothing of it is imported. GET asks first."""
    _require_admin(request.user)
    usage_import = get_object_or_404(UsageImport, pk=import_id)
    if request.method == "GET":
        context = {
            "title": _("Cancel an import"),
            "question": _("Cancel the import of “%(name)s”?") % {"name": usage_import.file_name},
            "consequences": [
                _("Nothing of this file is imported. To import it later, upload it again."),
            ],
            "action_label": _("Cancel the import"),
            "cancel_url": reverse("usage:import", args=[usage_import.pk]),
            "cancel_label": _("Let it run"),
        }
        return render(request, "portal/confirm.html", context)
    try:
        usage.usage_import_cancel(usage_import=usage_import, actor=request.user)
        messages.success(request, _("The import is cancelled."))
    except usage.ImportConflict as conflict:
        messages.error(request, str(conflict))
    return redirect("usage:import", import_id=import_id)


@login_required
@require_http_methods(["GET", "POST"])
def usage_import_undo(request: AuthenticatedHttpRequest, import_id: int) -> HttpResponse:
    """Undo a whole import (admins): GET asks for confirmation and says what goes, POST removes it."""
    _require_admin(request.user)
    usage_import = get_object_or_404(UsageImport.objects.select_related("uploaded_by"), pk=import_id)
    if request.method == "POST":
        try:
            usage.usage_import_undo(usage_import=usage_import, actor=request.user)
        except usage.ImportConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request,
                _("The import is undone: %(count)s records removed. The dashboard is being updated.")
                % {"count": usage_import.removed_rows},
            )
        return redirect("usage:import", import_id=import_id)
    if not usage_import.undoable:
        messages.error(request, usage.usage_import_undo_refusal(usage_import))
        return redirect("usage:import", import_id=import_id)
    return render(
        request,
        "usage/usage_import_undo.html",
        {"usage_import": usage_import, "preview": usage.usage_import_undo_preview(usage_import)},
    )


@login_required
@require_GET
def usage_csv_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request.user)
    response = HttpResponse(usage.csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="usage-template.csv"'
    return response
