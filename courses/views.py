"""Courses pages: the course and its steps, the practice workspace, modules and quizzes, results."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import markdown
import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import llm, selectors, services
from courses.forms import (
    FinishForm,
    ManualImageIterationForm,
    ManualTextIterationForm,
    PromptForm,
    QuizForm,
    ScopeForm,
)
from courses.models import Course, Enrollment, PracticeTask, TaskAttempt
from portal.exports import csv_writer
from portal.forms import add_service_errors
from portal.http import AuthenticatedHttpRequest


def render_markdown(text: str) -> str:
    """Admins write lessons in Markdown; what reaches the page is sanitised HTML."""
    return mark_safe(nh3.clean(markdown.markdown(text)))


def _course(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, published=True)


class NotEnrolled(Http404):
    """A course's inner page asked by someone not enrolled: a 404 for actions, the course page for reading."""


def _enrollment(request: AuthenticatedHttpRequest, course: Course) -> Enrollment:
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    if enrollment is None:
        raise NotEnrolled(_("You are not enrolled in this course."))
    return enrollment


def _course_page_if_not_enrolled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Opening a module, a task, one's results or certificate before starting the course leads to the
    course's page, which says to start it (a link shared by a colleague was a 404)."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, slug, *args, **kwargs)
        except NotEnrolled:
            if request.method != "GET":
                raise
            messages.info(request, _("Start the course first: this page follows your progress in it."))
            return redirect("courses:detail", slug=slug)

    return wrapped


@login_required
@require_GET
def course_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    courses = list(Course.objects.filter(published=True))
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=request.user)}
    rows = [(course, enrollments.get(course.pk)) for course in courses]
    return render(request, "courses/course_list.html", {"rows": rows})


@login_required
@require_GET
def course_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(slug)
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    context = {
        "course": course,
        "enrollment": enrollment,
        "progress": services.progress(enrollment) if enrollment else None,
        "modules": course.modules.all(),
    }
    return render(request, "courses/course_detail.html", context)


@login_required
@require_POST
def course_enroll(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(slug)
    services.course_enroll(user=request.user, course=course)
    messages.success(
        request, _("You are enrolled. Start with the practice tasks: they measure where you start from.")
    )
    return redirect("courses:detail", slug=course.slug)


def _iteration_form(task: PracticeTask, data: QueryDict | None = None) -> PromptForm:
    if task.kind == PracticeTask.Kind.IMAGE:
        return ManualImageIterationForm(data)
    if services.training_settings().endpoint_configured:
        return PromptForm(data)
    return ManualTextIterationForm(data)


@login_required
@require_http_methods(["GET", "POST"])
@_course_page_if_not_enrolled
def task_workspace(request: AuthenticatedHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """One practice task: each prompt sent (or logged) is one iteration, until the checklist is met."""
    course = _course(slug)
    enrollment = _enrollment(request, course)
    task = get_object_or_404(PracticeTask, pk=task_id, course=course)
    if request.method == "GET":
        # Reading writes nothing: the attempt starts with its first iteration (or when it is finished).
        try:
            attempt = services.attempt_find(enrollment=enrollment, task=task)
        except PermissionDenied as not_open:
            # Not open yet (the final tasks wait for the modules): the course page shows what comes first.
            messages.info(request, " ".join(map(str, not_open.args)))
            return redirect("courses:detail", slug=course.slug)
        return render(
            request, "courses/task_workspace.html", _workspace(task, attempt, _iteration_form(task))
        )
    attempt = services.attempt_start(enrollment=enrollment, task=task)
    form = _iteration_form(task, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(form, ManualTextIterationForm | ManualImageIterationForm):
                services.iteration_log(attempt=attempt, **data)
            else:
                services.iteration_generate(attempt=attempt, prompt=data["prompt"])
        except llm.GenerationError as error:
            messages.error(request, _("No answer, and no iteration counted: %(reason)s.") % {"reason": error})
            return render(request, "courses/task_workspace.html", _workspace(task, attempt, form), status=200)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("courses:task", slug=slug, task_id=task.pk)
    return render(request, "courses/task_workspace.html", _workspace(task, attempt, form))


def _workspace(task: PracticeTask, attempt: TaskAttempt | None, form: PromptForm) -> dict[str, object]:
    return {
        "attempt": attempt,
        "task": task,
        "course": task.course,
        "iterations": attempt.iterations.all() if attempt else [],
        "form": form,
        "finish_form": FinishForm(task=task),
        "endpoint": services.training_settings().endpoint_configured and task.kind == PracticeTask.Kind.TEXT,
    }


@login_required
@require_POST
def task_finish(request: AuthenticatedHttpRequest, slug: str, task_id: int) -> HttpResponse:
    course = _course(slug)
    enrollment = _enrollment(request, course)
    task = get_object_or_404(PracticeTask, pk=task_id, course=course)
    attempt = services.attempt_start(enrollment=enrollment, task=task)
    form = FinishForm(request.POST, task=attempt.task)
    form.is_valid()
    # giving up is its own confirmed step (task_give_up)
    return _attempt_record(
        request, slug, attempt, outcome=TaskAttempt.Outcome.MET, checked=form.cleaned_data.get("checked", [])
    )


def _attempt_record(
    request: AuthenticatedHttpRequest,
    slug: str,
    attempt: TaskAttempt,
    *,
    outcome: str,
    checked: list[int] | None = None,
) -> HttpResponse:
    """End an attempt with this outcome, then back to the course (or to the task, saying why not)."""
    try:
        services.attempt_finish(attempt=attempt, outcome=outcome, checked=checked or [])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:task", slug=slug, task_id=attempt.task_id)
    messages.success(request, _("Task recorded."))
    return redirect("courses:detail", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
@_course_page_if_not_enrolled
def task_give_up(request: AuthenticatedHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """GET asks for confirmation (the task's page links here), POST records the task as given up: it cannot
    be taken up again and leaves the learner's measured results."""
    course = _course(slug)
    enrollment = _enrollment(request, course)
    task = get_object_or_404(PracticeTask, pk=task_id, course=course)
    try:
        attempt = services.attempt_find(enrollment=enrollment, task=task)
    except PermissionDenied as not_open:
        messages.info(request, " ".join(map(str, not_open.args)))
        return redirect("courses:detail", slug=course.slug)
    if attempt is not None and attempt.outcome != TaskAttempt.Outcome.IN_PROGRESS:
        return redirect("courses:task", slug=slug, task_id=task.pk)
    if request.method == "GET":
        context = {
            "title": _("Give up a task"),
            "question": _("Give up “%(task)s”?") % {"task": task.title},
            "consequences": [
                _(
                    "The task is recorded as given up: it cannot be taken up again and does not count in your "
                    "measured results."
                )
            ],
            "action_label": _("Give up the task"),
            "cancel_url": reverse("courses:task", args=[course.slug, task.pk]),
            "cancel_label": _("Keep working on it"),
        }
        return render(request, "portal/confirm.html", context)
    try:
        attempt = services.attempt_start(enrollment=enrollment, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:task", slug=slug, task_id=task_id)
    return _attempt_record(request, slug, attempt, outcome=TaskAttempt.Outcome.GAVE_UP)


@login_required
@require_http_methods(["GET", "POST"])
@_course_page_if_not_enrolled
def module_page(request: AuthenticatedHttpRequest, slug: str, order: int) -> HttpResponse:
    course = _course(slug)
    enrollment = _enrollment(request, course)
    module = get_object_or_404(course.modules, order=order)
    if services.progress(enrollment).phase == "before":
        # Not an error page: the course page, where the practice tasks to do first are.
        messages.info(request, _("Do the practice tasks first: they measure where you start from."))
        return redirect("courses:detail", slug=course.slug)
    form = QuizForm(request.POST or None, module=module, order_seed=enrollment.pk)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = services.quiz_submit(enrollment=enrollment, module=module, answers=form.answers())
    questions = [
        (form[f"q{question.pk}"], outcome.feedback.get(question.pk) if outcome else None)
        for question in module.questions.all()
    ]
    next_module = course.modules.filter(order__gt=module.order).first()
    context = {
        "course": course,
        "module": module,
        "body": render_markdown(module.localized("body")),
        "form": form,
        "questions": questions,
        "outcome": outcome,
        "next_module": next_module,
    }
    return render(request, "courses/module_page.html", context)


@login_required
@require_GET
@_course_page_if_not_enrolled
def my_results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(slug)
    enrollment = _enrollment(request, course)
    context = {
        "course": course,
        "enrollment": enrollment,
        "result": services.learner_result(enrollment),
        "progress": services.progress(enrollment),
    }
    return render(request, "courses/my_results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_course_page_if_not_enrolled
def certificate(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(slug)
    enrollment = _enrollment(request, course)
    if enrollment.completed_at is None:
        messages.info(request, _("The certificate comes when the course is complete: here is what is left."))
        return redirect("courses:detail", slug=course.slug)
    if request.method == "POST":
        services.share_results_set(enrollment=enrollment, share=request.POST.get("share") == "on")
        return redirect("courses:certificate", slug=slug)
    context = {"course": course, "enrollment": enrollment, "result": services.learner_result(enrollment)}
    return render(request, "courses/certificate.html", context)


def _cohort(request: AuthenticatedHttpRequest, slug: str) -> tuple[Course, str, services.CohortResult]:
    course = _course(slug)
    form = ScopeForm(request.GET)
    scope = (form.cleaned_data["scope"] if form.is_valid() else "") or selectors.default_scope(request.user)
    enrollments = list(selectors.enrollments_in_scope(request.user, course, scope))
    return course, scope, services.cohort_result(enrollments)


@login_required
@require_GET
def cohort_results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Managers (their departments) and admins (the organisation): the training's measured effect."""
    course, scope, result = _cohort(request, slug)
    rows = [
        (_("Prompts per task"), result.changes["iterations_per_task"], ""),
        (_("Output tokens per text task"), result.changes["output_tokens_per_text_task"], ""),
        (_("Images per image task"), result.changes["images_per_image_task"], ""),
        (_("Emissions per task (gCO2e)"), result.changes["emissions_g_per_task"], "g"),
    ]
    context = {
        "course": course,
        "scope": scope,
        "result": result,
        "rows": rows,
        "form": ScopeForm(initial={"scope": scope}),
    }
    return render(request, "courses/cohort_results.html", context)


@login_required
@require_GET
def cohort_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course, scope, result = _cohort(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-{scope}-results.csv"'
    writer = csv_writer(response)
    columns = ["tasks_met", "tasks_ended", *services.METRICS]
    writer.writerow(
        [
            "learner",
            "department",
            "first_set",
            *[f"before_{c}" for c in columns],
            *[f"after_{c}" for c in columns],
        ]
    )
    for learner in result.learners:
        enrollment = learner.enrollment
        writer.writerow(
            [
                enrollment.user.username,
                enrollment.user.department,
                enrollment.first_set,
                *[getattr(learner.before, c) for c in columns],
                *[getattr(learner.after, c) for c in columns],
            ]
        )
    return response
