from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from courses import selectors as courses
from courses import services as training
from courses.models import Course, Enrollment
from estimator import selectors as estimator
from governance import selectors as governance
from governance.context_processors import decisions_waiting
from portal.http import AuthenticatedHttpRequest

# How many of each list the home page shows (each links to the full list).
HOME_ROWS = 5


@dataclass(frozen=True)
class CourseProgress:
    """One course the user is enrolled in: how far, and the link to what comes next."""

    enrollment: Enrollment
    phase: str
    completed_percent: int
    next_title: str
    next_kind: str  # "task", "module" or "certificate"
    next_url: str


def course_progress(enrollment: Enrollment) -> CourseProgress:
    progress = training.progress(enrollment)
    step = training.next_step(progress)
    slug = enrollment.course.slug
    if step is None:
        title, kind, url = "", "certificate", reverse("courses:certificate", args=[slug])
    elif step.kind == "module":
        title, kind = step.item.title, "module"
        url = reverse("courses:module", args=[slug, step.item.order])
    else:
        title, kind, url = step.item.title, "task", reverse("courses:task", args=[slug, step.item.pk])
    return CourseProgress(enrollment, progress.phase, progress.completed_percent, title, kind, url)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is the signed-in user's: their training and its next step, their use cases and what each
    needs next, the decisions waiting for them, their recent estimates; then what to do next."""
    user = request.user
    enrollments = [course_progress(e) for e in courses.enrollments_with_progress(user)]
    use_cases = list(governance.owned_use_cases(user)[: HOME_ROWS + 1])
    waiting = decisions_waiting(request)
    context = {
        "managed_departments": user.managed_departments.all(),
        "courses": enrollments,
        "first_course": None if enrollments else Course.objects.filter(published=True).first(),
        "use_cases": use_cases[:HOME_ROWS],
        "more_use_cases": len(use_cases) > HOME_ROWS,
        "decisions_waiting": waiting,
        "queue": list(governance.decision_queue(user)[:HOME_ROWS]) if waiting else [],
        "estimates": list(estimator.estimates_of(user)[:HOME_ROWS]),
    }
    return render(request, "portal/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers a signed-in user's choice for their e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
