"""REST API of governance: use cases, their transitions and their audit events.

400: bad input (field errors) · 403: a forbidden action on a use case you can see · 404: a use case you
cannot see · 409: an action the current status does not allow, or a race lost to someone faster. The
services raise them; portal.rest.exception_handler answers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from estimator.models import AIModel
from governance import selectors, services
from governance.budgets import BudgetProgress
from governance.models import NOTE_MAX_CHARS, UseCase, UseCaseEvent
from portal.http import AuthenticatedRequest
from portal.models import Department
from portal.rest import Pagination, SlugField, paginated


class UseCaseSerializer(serializers.ModelSerializer):
    model = SlugField(slug_field="slug", queryset=AIModel.objects.all())
    department = SlugField(slug_field="name", queryset=Department.objects.all(), required=False)
    owner = serializers.CharField(source="owner.username", read_only=True)
    quadrant = serializers.SerializerMethodField(
        help_text="go, optimise, reconsider or stop; null before submission"
    )
    footprint = serializers.JSONField(
        read_only=True, help_text="the estimator's JSON for one year, kept at submission"
    )

    class Meta:
        model = UseCase
        fields = [
            "id",
            *services.EDITABLE_FIELDS,
            "status",
            "conditions",
            "footprint",
            "estimator_version",
            "quadrant",
            "budget_kgco2e_per_year",
            "budget_reason",
            "owner",
            "submitted_at",
            "decided_at",
            "review_due_on",
        ]
        read_only_fields = [
            "id",
            "status",
            "conditions",
            "estimator_version",
            "budget_kgco2e_per_year",
            "budget_reason",
            "owner",
            "submitted_at",
            "decided_at",
            "review_due_on",
        ]

    def get_quadrant(self, use_case: UseCase) -> str | None:
        return services.quadrant(use_case, self.context["thresholds"])


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True, default=None)
    changes = serializers.JSONField(
        read_only=True, help_text="what an edit changed: {field: [before, after]}; empty otherwise"
    )
    cause = serializers.JSONField(
        read_only=True,
        help_text="why the step started without a decider's words, as data: {code: scheduled_review | drift "
        "(with actual_kgco2e, budget_kgco2e a year) | changed_after_approval}; empty otherwise",
    )

    class Meta:
        model = UseCaseEvent
        fields = [
            "id",
            "actor",
            "from_status",
            "to_status",
            "comment",
            "conditions",
            "footprint",
            "estimator_version",
            "changes",
            "cause",
            "created_at",
        ]


class DecisionInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_CHARS)
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_CHARS
    )


class ApproveInput(DecisionInput):
    budget_kgco2e_per_year = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text="the yearly footprint budget (kgCO2e); null or absent: the approved estimate's high bound",
    )
    budget_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_MAX_CHARS,
        help_text="required when the budget differs from the default",
    )


class BudgetChangeInput(serializers.Serializer):
    budget_kgco2e_per_year = serializers.FloatField(
        allow_null=True,
        help_text="the new yearly footprint budget (kgCO2e); null: the approved estimate's high bound",
    )
    budget_reason = serializers.CharField(max_length=NOTE_MAX_CHARS, help_text="why it changes (required)")


class BoundsSerializer(serializers.Serializer):
    low = serializers.FloatField()
    central = serializers.FloatField()
    high = serializers.FloatField()


class BudgetSerializer(serializers.Serializer):
    """A use case's budget against its actual emissions this year so far."""

    use_case = serializers.IntegerField(source="use_case.pk")
    title = serializers.CharField(source="use_case.title")
    department = serializers.CharField(source="use_case.department.name")
    status = serializers.CharField(source="use_case.status")
    budget_kgco2e_per_year = serializers.FloatField(source="progress.budget_kgco2e")
    budget_reason = serializers.CharField(
        source="use_case.budget_reason", help_text="empty: the default budget"
    )
    default_budget_kgco2e_per_year = serializers.FloatField(
        source="use_case.default_budget_kgco2e_per_year",
        allow_null=True,
        help_text="the approved estimate's high bound",
    )
    day = serializers.DateField(source="progress.day", help_text="today: the figures are up to this day")
    to_date_kgco2e = serializers.SerializerMethodField(
        help_text="emissions from 1 January to this day (the rollups of the usage attributed to the use case)"
    )
    pace_kgco2e = serializers.FloatField(
        source="progress.pace_kgco2e", help_text="the budget × the share of the year gone by"
    )
    above_pace = serializers.BooleanField(source="progress.above_pace")
    share_of_budget = serializers.FloatField(source="progress.share_of_budget")

    @extend_schema_field(BoundsSerializer)
    def get_to_date_kgco2e(self, item: Budget) -> dict[str, float]:
        low, central, high = item.progress.to_date_kgco2e
        return {"low": low, "central": central, "high": high}


@dataclass(frozen=True)
class Budget:
    use_case: UseCase
    progress: BudgetProgress


def _budgets(use_cases: list[UseCase]) -> list[Budget]:
    progresses = selectors.budget_progresses(use_cases)
    return [Budget(use_case, progresses[use_case.pk]) for use_case in use_cases if use_case.pk in progresses]


def _context() -> dict[str, Any]:
    return {"thresholds": services.thresholds()}


def _visible(request: AuthenticatedRequest, use_case_id: int) -> UseCase:
    return get_object_or_404(selectors.visible_use_cases(request.user), pk=use_case_id)


def _answer(use_case: UseCase, status_code: int = status.HTTP_200_OK) -> Response:
    use_case = UseCase.objects.select_related("owner", "department", "model").get(pk=use_case.pk)
    return Response(UseCaseSerializer(use_case, context=_context()).data, status=status_code)


class UseCasesApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=UseCaseSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The use cases you can see: yours, those you joined, your department's approved ones;
        your departments' if you manage; all for admins."""
        use_cases = selectors.visible_use_cases(request.user).order_by("-updated_at", "-id")
        context = _context()
        return paginated(
            self, request, use_cases, lambda page: UseCaseSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=UseCaseSerializer, responses={201: UseCaseSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Register a use case (a draft)."""
        serializer = UseCaseSerializer(data=request.data, context=_context())
        serializer.is_valid(raise_exception=True)
        use_case = services.usecase_create(owner=request.user, **serializer.validated_data)
        return _answer(use_case, status.HTTP_201_CREATED)


class UseCaseDetailApi(APIView):
    error_statuses = {"PATCH": ("409",)}

    @extend_schema(responses=UseCaseSerializer)
    def get(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        return Response(UseCaseSerializer(_visible(request, use_case_id), context=_context()).data)

    @extend_schema(request=UseCaseSerializer(partial=True), responses=UseCaseSerializer)
    def patch(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Edit (owner only). A changed usage profile sends an approved use case back for approval."""
        use_case = _visible(request, use_case_id)
        serializer = UseCaseSerializer(use_case, data=request.data, partial=True, context=_context())
        serializer.is_valid(raise_exception=True)
        return _answer(
            services.usecase_update(use_case=use_case, actor=request.user, **serializer.validated_data)
        )


class TransitionApi(APIView):
    """One workflow action on a use case."""

    service: Callable[..., UseCase]
    takes: tuple[str, ...] = ()
    input_serializer: type[DecisionInput] = DecisionInput
    error_statuses = {"POST": ("409",)}

    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        use_case = _visible(request, use_case_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = {name: data.validated_data[name] for name in self.takes}
        return _answer(type(self).service(use_case=use_case, actor=request.user, **params))


class SubmitApi(TransitionApi):
    service = staticmethod(services.usecase_submit)

    @extend_schema(request=None, responses=UseCaseSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Submit for decision (owner; from draft or changes requested). Stores the yearly footprint."""
        return super().post(request, use_case_id)


class ApproveApi(TransitionApi):
    service = staticmethod(services.usecase_approve)
    takes = ("comment", "conditions", "budget_kgco2e_per_year", "budget_reason")
    input_serializer = ApproveInput

    @extend_schema(request=ApproveInput, responses=UseCaseSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Approve, optionally with a comment and conditions (a decider, never the owner), and set the
        yearly footprint budget: by default the approved estimate's high bound; another figure needs a
        reason."""
        return super().post(request, use_case_id)


class RequestChangesApi(TransitionApi):
    service = staticmethod(services.usecase_request_changes)
    takes = ("comment",)

    @extend_schema(request=DecisionInput, responses=UseCaseSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Send back to the owner; a comment is required."""
        return super().post(request, use_case_id)


class RejectApi(TransitionApi):
    service = staticmethod(services.usecase_reject)
    takes = ("comment",)

    @extend_schema(request=DecisionInput, responses=UseCaseSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Reject; a comment is required."""
        return super().post(request, use_case_id)


class RetireApi(TransitionApi):
    service = staticmethod(services.usecase_retire)
    takes = ("comment",)

    @extend_schema(request=DecisionInput, responses=UseCaseSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Retire an approved use case (its owner or a decider)."""
        return super().post(request, use_case_id)


class EventsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """The audit trail: every transition, who, when, why, and the footprint at that moment."""
        use_case = _visible(request, use_case_id)
        events = use_case.events.select_related("actor").order_by("created_at", "id")
        return paginated(self, request, events, lambda page: EventSerializer(page, many=True).data)


class BudgetApi(APIView):
    error_statuses = {"POST": ("409",)}

    @extend_schema(
        responses={
            200: BudgetSerializer,
            404: OpenApiResponse(description="A use case you cannot see, or one without a budget yet."),
        }
    )
    def get(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """A use case's yearly budget, its actual emissions this year so far and the pace (404: a use case
        you cannot see, or one without a budget: not approved yet)."""
        budgets = _budgets([_visible(request, use_case_id)])
        if not budgets:
            raise NotFound(_("This use case has no budget yet."))
        return Response(BudgetSerializer(budgets[0]).data)

    @extend_schema(request=BudgetChangeInput, responses=BudgetSerializer)
    def post(self, request: AuthenticatedRequest, use_case_id: int) -> Response:
        """Change the budget of a use case in force (approved, or under re-review) without a new decision:
        its deciders (managers of its department, admins; never its owner), with a reason. Recorded in
        the use case's events (status unchanged, budget before and after); a re-approval keeps a budget
        set with a reason unless the decider gives another. 409: not approved nor under re-review."""
        use_case = _visible(request, use_case_id)
        data = BudgetChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        use_case = services.usecase_budget_change(
            use_case=use_case,
            actor=request.user,
            budget_kgco2e_per_year=data.validated_data["budget_kgco2e_per_year"],
            reason=data.validated_data["budget_reason"],
        )
        return Response(BudgetSerializer(_budgets([use_case])[0]).data)


class BudgetsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=BudgetSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The budgets in force (approved use cases and those under re-review) of the use cases you can
        see, each with its actual emissions this year so far and the pace."""
        use_cases = selectors.budgeted_use_cases(request.user)
        return paginated(
            self, request, use_cases, lambda page: BudgetSerializer(_budgets(page), many=True).data
        )
