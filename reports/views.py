"""Targets, the management report (PDF), the CSRD / GHG Protocol export and the AI-literacy register."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estimator.forms import add_service_errors
from reports import targets as target_services
from reports.forms import TargetForm


def _require_dashboard(user: Any) -> None:
    if not (user.is_org_admin or user.is_manager):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
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
@require_POST
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    target = get_object_or_404(target_services.targets_in_scope(request.user), pk=target_id)
    target_services.target_delete(user=request.user, target=target)
    return redirect("reports:targets")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {})
