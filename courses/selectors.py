"""Whose training results a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from courses.models import Course, Enrollment, TaskAttempt
from portal import scope
from portal.models import User

SCOPES = ("me", "team", "org")


def default_scope(user: User) -> str:
    """The widest scope the user has: the organisation for admins, their departments for the others."""
    return "org" if scope.sees_everything(user) else "team"


def enrollments_with_progress(user: User) -> QuerySet[Enrollment]:
    """A learner's enrollments with what `services.progress` reads, in a fixed number of queries."""
    return (
        Enrollment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related("course__tasks", "course__modules", "attempts", "quiz_results")
    )


def enrollments_in_scope(user: User, course: Course, scope_name: str) -> QuerySet[Enrollment]:
    """me: your own · team: the departments you manage (admins: everyone) · org: everyone (admins only)."""
    if scope_name not in SCOPES:
        raise ValueError(scope_name)
    enrollments = Enrollment.objects.filter(course=course).select_related("user__department", "course")
    enrollments = enrollments.prefetch_related(
        Prefetch(
            "attempts", queryset=TaskAttempt.objects.select_related("task").prefetch_related("iterations")
        )
    )
    if scope_name == "me":
        return enrollments.filter(user=user)
    if scope_name == "org" and not scope.sees_everything(user):
        raise PermissionDenied
    if not scope.oversees_departments(user):
        raise PermissionDenied
    return scope.in_visible_departments(enrollments, user, field="user__department")
