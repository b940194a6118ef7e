"""REST API of the training: courses with my progress, and measured results by scope."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.validators import slug_re
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import selectors, services
from courses.models import Course
from courses.statistics import PairedChange
from portal.http import AuthenticatedRequest
from portal.rest import Pagination, invalid, paginated


class CourseOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    modules = serializers.IntegerField()
    enrolled = serializers.BooleanField()
    phase = serializers.CharField(allow_null=True, help_text="before, modules, after or done")
    progress_percent = serializers.IntegerField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class CoursesApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CourseOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """Published courses, with your progress in each."""
        courses = Course.objects.filter(published=True).prefetch_related("modules")
        return paginated(self, request, courses, lambda page: self._rows(request, page))

    @staticmethod
    def _rows(request: AuthenticatedRequest, courses: list[Course]) -> Any:
        enrollments = {e.course_id: e for e in selectors.enrollments_with_progress(request.user)}
        rows = []
        for course in courses:
            enrollment = enrollments.get(course.pk)
            state = services.progress(enrollment) if enrollment else None
            rows.append(
                {
                    "slug": course.slug,
                    "title": course.title,
                    "summary": course.localized_summary,
                    "modules": len(course.modules.all()),
                    "enrolled": enrollment is not None,
                    "phase": state.phase if state else None,
                    "progress_percent": state.completed_percent if state else None,
                    "completed_at": enrollment.completed_at if enrollment else None,
                }
            )
        return CourseOutput(rows, many=True).data


def _change(change: PairedChange) -> dict[str, Any]:
    return {
        "n": change.n,
        "before_mean": change.before.mean,
        "before_median": change.before.median,
        "after_mean": change.after.mean,
        "after_median": change.after.median,
        "mean_change": change.mean_change,
        "ci95_low": change.ci_low,
        "ci95_high": change.ci_high,
    }


class ResultsApi(APIView):
    error_statuses = {"GET": ("404",)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=list(selectors.SCOPES),
                description="me (default); team: managers and admins; org: admins",
            ),
            OpenApiParameter("course", str, description="course slug (default: the first published course)"),
        ],
        responses=inline_serializer(
            "TrainingResults",
            {
                "course": serializers.CharField(),
                "scope": serializers.CharField(),
                "learners": serializers.IntegerField(),
                "changes": serializers.DictField(
                    help_text="per metric: n, before/after mean and median, mean change, 95 % interval (null below n = 5)"
                ),
                "tasks_per_employee_per_year": serializers.IntegerField(),
                "avoided_kgco2e_per_year": serializers.FloatField(allow_null=True),
                "avoided_kgco2e_per_learner_per_year": serializers.FloatField(allow_null=True),
                "me": serializers.DictField(required=False, help_text="scope=me: your before and after"),
            },
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The training's measured effect: before vs after, paired per learner."""
        scope = request.query_params.get("scope", "me")
        if scope not in selectors.SCOPES:
            raise invalid({"scope": [f"One of {', '.join(selectors.SCOPES)}."]})
        slug = request.query_params.get("course")
        if slug is not None and not slug_re.fullmatch(slug):
            raise invalid({"course": ["A course slug."]})
        courses = Course.objects.filter(published=True)
        course = get_object_or_404(courses, slug=slug) if slug else courses.first()
        if course is None:
            raise NotFound(_("No published course."))
        enrollments = list(selectors.enrollments_in_scope(request.user, course, scope))
        result = services.cohort_result(enrollments)
        body: dict[str, Any] = {
            "course": course.slug,
            "scope": scope,
            "learners": len(result.learners),
            "changes": {metric: _change(change) for metric, change in result.changes.items()},
            "tasks_per_employee_per_year": result.tasks_per_employee_per_year,
            "avoided_kgco2e_per_year": result.avoided_kgco2e_per_year,
            "avoided_kgco2e_per_learner_per_year": result.avoided_kgco2e_per_learner_per_year,
        }
        if scope == "me" and result.learners:
            body["me"] = {
                "before": asdict(result.learners[0].before),
                "after": asdict(result.learners[0].after),
            }
        return Response(body)
