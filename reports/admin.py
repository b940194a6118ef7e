from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.models import User
from reports.models import ReportSettings, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "department", "emissions_kgco2e", "energy_kwh", "set_by", "updated_at"]
    list_filter = ["year"]
    readonly_fields = ["set_by"]

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        user = request.user
        assert isinstance(user, User)  # the admin site lets signed-in staff only in
        obj.set_by = user
        super().save_model(request, obj, form, change)


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    filter_horizontal = ["self_hosted_models"]
