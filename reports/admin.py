from django.contrib import admin

from reports.models import ReportSettings, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "department", "emissions_kgco2e", "energy_kwh", "set_by", "updated_at"]
    list_filter = ["year"]
    readonly_fields = ["set_by"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    filter_horizontal = ["self_hosted_models"]
