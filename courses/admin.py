"""Admins author courses here: modules in Markdown (sanitised when shown), quizzes, practice tasks."""

from django.contrib import admin
from django.http import HttpRequest

from courses.models import Choice, Course, Enrollment, Module, PracticeTask, Question, TrainingSettings


class ModuleInline(admin.StackedInline):
    model = Module
    extra = 0


class PracticeTaskInline(admin.StackedInline):
    model = PracticeTask
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title_en", "slug", "published"]
    inlines = [ModuleInline, PracticeTaskInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text_en", "module", "order"]
    list_filter = ["module__course", "module"]
    list_select_related = ["module"]
    inlines = [ChoiceInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Measurements are the learners' own record: read here, never edited."""

    list_display = ["user", "course", "first_set", "started_at", "completed_at"]
    list_filter = ["course", "first_set"]
    list_select_related = ["user", "course"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(TrainingSettings)
class TrainingSettingsAdmin(admin.ModelAdmin):
    list_display = ["tasks_per_employee_per_year", "region", "endpoint_base_url", "endpoint_model"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TrainingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
