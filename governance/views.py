"""Governance pages: queues, registering, the use case with its matrix and levers, decisions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estimator import selectors as estimator_selectors
from estimator.labels import LEVER_LABELS
from estimator.models import AIModel
from governance import charts, notifications, selectors, services
from governance.forms import (
    BudgetChangeForm,
    DecisionForm,
    EstimatePrefillForm,
    RetireForm,
    UseCaseFilterForm,
    UseCaseForm,
)
from governance.models import UseCase
from portal.forms import add_service_errors, form_field
from portal.http import AuthenticatedHttpRequest

# What a new use case's form suggests: a small, capable model in a low-carbon region.
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_REGION = "europe-west9"

ACTIONS: dict[str, Callable[..., UseCase]] = {
    "submit": services.usecase_submit,
    "approve": services.usecase_approve,
    "request-changes": services.usecase_request_changes,
    "reject": services.usecase_reject,
    "retire": services.usecase_retire,
}


@login_required
@require_GET
def use_case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    limits = services.thresholds()
    queue = list(selectors.decision_queue(user)) if user.oversees_departments else []
    filters = UseCaseFilterForm(request.GET or None)
    use_cases = selectors.visible_use_cases(user).order_by("-updated_at")
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        use_cases = selectors.filtered(
            use_cases,
            limits=limits,
            status=data["status"],
            department=data["department"].pk if data["department"] else None,
            quadrant=data["quadrant"],
        )
    visible = list(use_cases)
    rows = [(use_case, services.quadrant(use_case, limits)) for use_case in visible]
    context = {
        "mine": [use_case for use_case in visible if use_case.owner_id == user.pk],
        "queue": queue,
        "overdue": selectors.overdue(queue),
        "rows": rows,
        "filters": filters,
        "matrix": charts.matrix([use_case for use_case in visible if use_case.footprint], limits),
    }
    return render(request, "governance/use_case_list.html", context)


# Without these, there is no footprint to preview (the other fields have defaults).
PREVIEW_REQUIRED = ("task_type", "model", "region", "requests_per_month", "iterations_per_task")


def _preview(form: UseCaseForm) -> dict[str, Any]:
    """The yearly footprint and matrix place of the form's usage profile, as submission will compute
    them (services.usecase_preview), or what is missing for it. Nothing is saved."""
    if not form.is_bound:
        if form.instance.pk is None:
            return {}
        fields = {name: getattr(form.instance, name) for name in services.PREVIEW_FIELDS}
        title = form.instance.title
    else:
        if form.searching:  # the model picker's search without JavaScript: nothing to preview yet
            return {}
        form.is_valid()
        data = form.cleaned_data
        missing = [
            name
            for name in services.PREVIEW_FIELDS
            if name in form.errors or (name in PREVIEW_REQUIRED and data.get(name) in (None, ""))
        ]
        if missing:
            return {"preview_missing": [str(form.fields[name].label) for name in missing]}
        fields = {name: data[name] for name in services.PREVIEW_FIELDS if data.get(name) is not None}
        title = data.get("title") or _("This use case")
    try:
        preview = services.usecase_preview(title=title, **fields)
    except ValidationError as error:
        return {"preview_errors": error.messages}
    limits = services.thresholds()
    return {
        "preview": preview,
        "preview_quadrant": services.quadrant(preview, limits),
        "preview_matrix": charts.matrix([preview], limits, highlight=preview.pk),
    }


def _prefill(
    request: AuthenticatedHttpRequest,
) -> tuple[dict[str, Any], list[str], EstimatePrefillForm | None]:
    """A new use case's initial values from an estimate (its inputs in the address, or a saved estimate
    of the user's by id: anybody else's is a 404), with notes and the odd values' errors."""
    params = {name: value for name, value in request.GET.items() if name in EstimatePrefillForm.base_fields}
    if not params:
        return {}, [], None
    prefill = EstimatePrefillForm(params)
    prefill.is_valid()
    if prefill.cleaned_data.get("estimate"):
        estimate = get_object_or_404(
            estimator_selectors.estimates_of(request.user), pk=prefill.cleaned_data["estimate"]
        )
        fields = EstimatePrefillForm.base_fields
        prefill = EstimatePrefillForm(
            {
                "kind": estimate.kind,
                "name": estimate.name,
                **{name: str(value) for name, value in estimate.inputs.items() if name in fields},
            }
        )
        prefill.is_valid()
    initial, notes = prefill.use_case_initial()
    return initial, notes, prefill


@login_required
@require_http_methods(["GET", "POST"])
def use_case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {
        "department": request.user.department_id,
        "iterations_per_task": 1,
        "model": AIModel.objects.filter(slug=DEFAULT_MODEL).values_list("pk", flat=True).first(),
        "region": DEFAULT_REGION,
    }
    # A title given in the address (the similar-use-case search without JavaScript) fills the form in
    # and shows the use cases like it.
    title = request.GET.get("title", "").strip() if request.method == "GET" else ""
    if title:
        initial["title"] = title
    # "Register a use case from this estimate": the estimate's inputs fill the usage profile in.
    from_estimate: dict[str, Any] = {}
    prefill_notes: list[str] = []
    prefill = None
    if request.method == "GET":
        from_estimate, prefill_notes, prefill = _prefill(request)
        initial |= from_estimate
    form = UseCaseForm(request.POST or None, initial=initial, user=request.user)
    models = form_field(form, "model", forms.ModelChoiceField).queryset
    if (
        "model" in from_estimate
        and models is not None
        and not models.filter(pk=from_estimate["model"]).exists()
    ):
        prefill_notes.append(
            _("The estimate's model is not among the models a use case can use: choose one.")
        )
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        try:
            use_case = services.usecase_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready for a decision."))
            return redirect("governance:detail", use_case_id=use_case.pk)
    similar = selectors.similar_use_cases(request.user, title) if title else []
    context = {
        "form": form,
        "use_case": None,
        "similar": similar,
        "prefill": prefill,
        "prefill_notes": prefill_notes,
        **_preview(form),
    }
    return render(request, "governance/use_case_form.html", context)


@login_required
@require_POST
def use_case_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The live preview beside the form, which htmx posts as it is typed (without JavaScript, the form's
    Preview button posts to the form's own page, use_case_create or use_case_edit). Nothing is saved."""
    form = UseCaseForm(request.POST, user=request.user)
    return render(request, "governance/use_case_form.html#preview", _preview(form))


@login_required
@require_GET
def use_case_similar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The use cases like the title being typed (an htmx fragment of the form page); without htmx, the
    registration page with that title and the use cases like it."""
    if not request.htmx:
        return redirect(
            f"{reverse('governance:create')}?{urlencode({'title': request.GET.get('title', '')})}"
        )
    exclude = request.GET.get("exclude")
    similar = selectors.similar_use_cases(
        request.user,
        request.GET.get("title", ""),
        exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
    )
    return render(request, "governance/use_case_form.html#similar", {"similar": similar})


def _visible(request: AuthenticatedHttpRequest, use_case_id: int) -> UseCase:
    return get_object_or_404(selectors.visible_use_cases(request.user), pk=use_case_id)


@login_required
@require_GET
def use_case_detail(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    use_case = _visible(request, use_case_id)
    user = request.user
    limits = services.thresholds()
    context = {
        "use_case": use_case,
        "budget": selectors.budget_progresses([use_case]).get(use_case.pk),
        "quadrant": services.quadrant(use_case, limits),
        "events": use_case.events.select_related("actor"),
        "levers": services.usecase_levers(use_case),
        "lever_labels": LEVER_LABELS,
        "matrix": charts.matrix([use_case], limits, highlight=use_case.pk) if use_case.footprint else None,
        **asdict(services.permissions(user, use_case)),
        "overdue": notifications.is_overdue(use_case),
        "deciders": notifications.deciders_of(use_case) if user.pk == use_case.owner_id else [],
        "decision_due_at": notifications.decision_due_at(use_case),
        "decision_days": settings.GOVERNANCE_DECISION_SLA_WORKING_DAYS,
        "decision_form": DecisionForm(use_case=use_case),
        "budget_form": BudgetChangeForm(use_case=use_case),
    }
    return render(request, "governance/use_case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def use_case_edit(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    use_case = _visible(request, use_case_id)
    if not services.can_edit(request.user, use_case):
        raise PermissionDenied
    form = UseCaseForm(request.POST or None, instance=use_case, user=request.user)
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        changed = {*form.changed_data, *form.cleared_fields}
        changes = {name: form.cleaned_data[name] for name in changed}
        try:
            use_case = services.usecase_update(
                use_case=UseCase.objects.get(pk=use_case.pk), actor=request.user, **changes
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.TransitionConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("governance:detail", use_case_id=use_case.pk)
        else:
            if use_case.status == UseCase.Status.SUBMITTED:
                messages.warning(
                    request, _("The use case changed after approval: it went back for a decision.")
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect("governance:detail", use_case_id=use_case.pk)
    context = {"form": form, "use_case": use_case, **_preview(form)}
    return render(request, "governance/use_case_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def use_case_transition(request: AuthenticatedHttpRequest, use_case_id: int, action: str) -> HttpResponse:
    """POST acts. GET is the retirement's confirmation page (the detail page links to it): retiring
    cannot be undone."""
    use_case = _visible(request, use_case_id)
    if action not in ACTIONS:
        raise PermissionDenied
    if request.method == "GET":
        if action != "retire":
            return HttpResponseNotAllowed(["POST"])
        return _retire_confirmation(request, use_case)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        # Nothing is decided on a comment that could not be kept whole.
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect("governance:detail", use_case_id=use_case.pk)
    params: dict[str, Any] = {}
    if action in ("approve", "request-changes", "reject", "retire"):
        params["comment"] = form.cleaned_data.get("comment", "")
    if action == "approve":
        params["conditions"] = form.cleaned_data.get("conditions", "")
        params["budget_kgco2e_per_year"] = form.cleaned_data.get("budget_kgco2e_per_year")
        params["budget_reason"] = form.cleaned_data.get("budget_reason", "")
    try:
        ACTIONS[action](use_case=use_case, actor=request.user, **params)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.TransitionConflict as conflict:
        messages.error(request, str(conflict))
    else:
        decided = UseCase.objects.select_related("department").get(pk=use_case.pk)
        due = notifications.decision_due_at(decided)
        if action == "submit" and due is not None:
            messages.success(request, _submitted_message(decided, due))
        else:
            messages.success(
                request,
                _("Done: the use case is now %(status)s.") % {"status": decided.get_status_display().lower()},
            )
    return redirect("governance:detail", use_case_id=use_case.pk)


def _submitted_message(use_case: UseCase, due: datetime.datetime) -> str:
    """Who decides a submitted use case, by name, and by when (the decision delay's end)."""
    deciders = ", ".join(map(str, notifications.deciders_of(use_case)))
    days = settings.GOVERNANCE_DECISION_SLA_WORKING_DAYS
    return ngettext(
        "Submitted: its deciders (%(deciders)s) decide by %(due)s, %(days)s working day from now. You "
        "get an e-mail with their decision.",
        "Submitted: its deciders (%(deciders)s) decide by %(due)s, %(days)s working days from now. You "
        "get an e-mail with their decision.",
        days,
    ) % {
        "deciders": deciders or _("the administrators"),
        "due": date_format(timezone.localtime(due), "DATE_FORMAT"),
        "days": days,
    }


@login_required
@require_POST
def use_case_budget_change(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    """A decider changes the budget of a use case in force, with a reason (governance.services)."""
    use_case = _visible(request, use_case_id)
    form = BudgetChangeForm(request.POST, use_case=use_case)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect(f"{reverse('governance:detail', args=[use_case.pk])}#budget")
    try:
        services.usecase_budget_change(
            use_case=use_case,
            actor=request.user,
            budget_kgco2e_per_year=form.cleaned_data["budget_kgco2e_per_year"],
            reason=form.cleaned_data["budget_reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.TransitionConflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("Budget changed."))
    return redirect(f"{reverse('governance:detail', args=[use_case.pk])}#budget")


def _retire_confirmation(request: AuthenticatedHttpRequest, use_case: UseCase) -> HttpResponse:
    if not services.can_retire(request.user, use_case):
        raise PermissionDenied(
            _("Only an approved use case (or one under review) is retired, by its owner or its deciders.")
        )
    context = {
        "title": _("Retire a use case"),
        "question": _("Retire “%(title)s”?") % {"title": use_case.title},
        "consequences": [
            _(
                "A retired use case is no longer approved: its budget and re-reviews stop, and it leaves the "
                "dashboard's estimated-vs-actual table. This cannot be undone: using it again takes a new "
                "use case and a new decision."
            )
        ],
        "form": RetireForm(),
        "action_label": _("Retire the use case"),
        "cancel_url": reverse("governance:detail", args=[use_case.pk]),
        "cancel_label": _("Keep it"),
    }
    return render(request, "portal/confirm.html", context)


@login_required
@require_POST
def use_case_join(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    use_case = _visible(request, use_case_id)
    services.usecase_join(use_case=use_case, user=request.user)
    messages.success(request, _("You joined “%(title)s”.") % {"title": use_case.title})
    return redirect("governance:detail", use_case_id=use_case.pk)
