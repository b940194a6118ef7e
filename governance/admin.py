from django.contrib import admin
from django.http import HttpRequest

from governance.models import MatrixThresholds, UseCase, UseCaseEvent


class EventInline(admin.TabularInline):
    """The audit trail, read-only: events are written by the workflow only."""

    model = UseCaseEvent
    extra = 0
    can_delete = False
    readonly_fields = fields = (
        "created_at",
        "actor",
        "from_status",
        "to_status",
        "comment",
        "conditions",
        "changes",
        "estimator_version",
    )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(UseCase)
class UseCaseAdmin(admin.ModelAdmin):
    """Read-only: use cases change through the workflow (the portal's pages and API), which audits it."""

    list_display = ["title", "department", "owner", "status", "submitted_at", "review_due_on"]
    list_filter = ["status", "department", "task_type", "ai_act_tier"]
    search_fields = ["title", "description"]
    list_select_related = ["department", "owner"]
    inlines = [EventInline]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MatrixThresholds)
class MatrixThresholdsAdmin(admin.ModelAdmin):
    list_display = ["value_threshold", "impact_threshold_kgco2e"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MatrixThresholds.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
