"""Reference data and saved estimates in the Django admin. Edits reach the estimator within a minute
(footprints.REFERENCE_TTL_SECONDS) in every process, at once in this one."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from estimator import services
from estimator.models import (
    AIModel,
    Datacenter,
    ElectricityMix,
    Estimate,
    GpuType,
    ImageMeasurement,
    ModelTraining,
    ReferencePoint,
    Region,
)


class ReferenceAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.reference_data_clear()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        services.reference_data_clear()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.reference_data_clear()  # inlines (measurements, training) are saved after the row


class ImageMeasurementInline(admin.TabularInline):
    model = ImageMeasurement
    extra = 0


class ModelTrainingInline(admin.StackedInline):
    model = ModelTraining
    extra = 0
    max_num = 1


@admin.register(AIModel)
class AIModelAdmin(ReferenceAdmin):
    list_display = [
        "slug",
        "name",
        "provider",
        "modality",
        "active_params_min_b",
        "active_params_max_b",
        "featured",
    ]
    list_filter = ["modality", "provider", "featured", "architecture"]
    search_fields = ["slug", "name", "provider"]
    list_select_related = ["datacenter"]
    inlines = [ImageMeasurementInline, ModelTrainingInline]


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["name", "location", "year", "grid_gco2e_per_kwh", "google_cfe", "country_iso3"]
    list_filter = ["year"]
    search_fields = ["name", "location"]


@admin.register(ElectricityMix)
class ElectricityMixAdmin(ReferenceAdmin):
    list_display = ["zone", "grid_gco2e_per_kwh", "water_l_per_kwh"]
    search_fields = ["zone"]


@admin.register(Datacenter)
class DatacenterAdmin(ReferenceAdmin):
    list_display = ["slug", "name", "pue_min", "pue_max", "wue_min_l_per_kwh", "wue_max_l_per_kwh", "year"]


@admin.register(GpuType)
class GpuTypeAdmin(ReferenceAdmin):
    list_display = ["slug", "name", "power_w", "embodied_kgco2e", "lifetime_hours", "year"]


@admin.register(ReferencePoint)
class ReferencePointAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "value", "unit", "year", "order"]
    list_filter = ["kind"]


@admin.register(Estimate)
class EstimateAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "kind", "estimator_version", "created_at"]
    list_filter = ["kind", "estimator_version"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "kind", "inputs", "result", "estimator_version", "created_at"]
