"""Whose training results a user may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from courses.models import Course, Enrollment, TaskAttempt

SCOPES = ("me", "team", "org")


def enrollments_in_scope(user: Any, course: Course, scope: str) -> QuerySet[Enrollment]:
    """me: your own · team: the departments you manage (admins: everyone) · org: everyone (admins only)."""
    if scope not in SCOPES:
        raise ValueError(scope)
    enrollments = Enrollment.objects.filter(course=course).select_related("user__department", "course")
    enrollments = enrollments.prefetch_related(
        Prefetch(
            "attempts", queryset=TaskAttempt.objects.select_related("task").prefetch_related("iterations")
        )
    )
    if scope == "me":
        return enrollments.filter(user=user)
    if scope == "org":
        if not user.is_org_admin:
            raise PermissionDenied
        return enrollments
    if user.is_org_admin:
        return enrollments
    if not user.is_manager:
        raise PermissionDenied
    return enrollments.filter(user__department__in=user.managed_departments.all())
