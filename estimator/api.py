"""REST API of the estimator: estimates (run, save, list, read), the model catalogue and the regions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from estimator import selectors, services
from estimator.scenarios import PRESETS, TRAININGS
from portal.rest import Pagination, invalid, paginated

if TYPE_CHECKING:  # the estimator sits below the organisation: it needs only the type of its users
    from portal.http import AuthenticatedRequest

# --- Inputs: one serializer per kind; the method itself checks ranges and references --------------


class PlaceInput(serializers.Serializer):
    region = serializers.CharField(required=False, help_text="Google Cloud region, e.g. europe-west9")
    region_year = serializers.IntegerField(
        required=False, help_text="year of the region's data (default: latest)"
    )
    country = serializers.CharField(required=False, help_text="ISO 3166-1 alpha-3, e.g. FRA")
    grid_intensity = serializers.FloatField(required=False, help_text="gCO2e/kWh")
    pue = serializers.FloatField(required=False, help_text="data-centre PUE (default: the data centre's own)")
    basis = serializers.ChoiceField(
        choices=["location", "market"],
        required=False,
        help_text="emissions basis: location (the grid's average, default) or market (after the operator's "
        "clean-energy purchases)",
    )


class SaveInput(serializers.Serializer):
    save = serializers.BooleanField(  # type: ignore[assignment]  # a field, not .save(): DRF's metaclass takes fields off the class
        default=False, help_text="keep the estimate in your saved estimates"
    )
    name = serializers.CharField(required=False, max_length=200, help_text="required when save is true")


class TextInput(PlaceInput, SaveInput):
    model = serializers.CharField(required=False, help_text="catalogue slug, e.g. llama-3-70b")
    active_params_b = serializers.FloatField(
        required=False, help_text="instead of model: active parameters (billions)"
    )
    total_params_b = serializers.FloatField(required=False)
    output_tokens = serializers.FloatField()
    input_tokens = serializers.FloatField(required=False)
    reasoning_tokens = serializers.FloatField(
        required=False, help_text="hidden thinking tokens per request (default: the model's)"
    )
    requests = serializers.FloatField(required=False)
    iterations = serializers.FloatField(required=False, help_text="prompts per task")
    scope = serializers.ChoiceField(
        choices=["inference", "lifecycle"],
        required=False,
        help_text="inference (default), or lifecycle: plus each request's share of the model's training",
    )
    lifetime_requests = serializers.FloatField(
        required=False,
        help_text="with scope lifecycle: the requests the model serves in its lifetime (default: a range)",
    )


class ImageInput(PlaceInput, SaveInput):
    model = serializers.CharField(help_text="catalogue slug, e.g. sdxl")
    images = serializers.FloatField(required=False)
    iterations = serializers.FloatField(required=False, help_text="generations per kept image")
    width = serializers.IntegerField(required=False)
    height = serializers.IntegerField(required=False)
    steps = serializers.IntegerField(required=False)


class TrainingInput(PlaceInput, SaveInput):
    gpu_hours = serializers.FloatField()
    gpu_power_w = serializers.FloatField(required=False)
    gpu_type = serializers.CharField(required=False, help_text="h100, h200, b200, a100, v100")
    include_embodied = serializers.BooleanField(required=False)


class ScenarioInput(SaveInput):
    preset = serializers.ChoiceField(choices=sorted(PRESETS), required=False)
    tasks = serializers.FloatField(required=False)
    input_tokens = serializers.FloatField(required=False)
    baseline_model = serializers.CharField(required=False)
    baseline_region = serializers.CharField(required=False)
    baseline_output_tokens = serializers.FloatField(required=False)
    baseline_iterations = serializers.FloatField(required=False)
    improved_model = serializers.CharField(required=False)
    improved_model_share = serializers.FloatField(required=False)
    improved_region = serializers.CharField(required=False)
    improved_output_tokens = serializers.FloatField(required=False)
    improved_iterations = serializers.FloatField(required=False)
    training = serializers.ChoiceField(
        choices=sorted(TRAININGS),
        required=False,
        help_text="a training counted once on both sides (the preset counts llama3); none by default",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "preset" not in attrs:
            required = [
                name
                for name, _field in self.fields.items()  # (the stubs iterate a BindingDict's fields)
                if name.startswith(("baseline_", "improved_")) or name == "tasks"
            ]
            missing = [name for name in required if name not in attrs and name != "improved_model_share"]
            if missing:
                raise serializers.ValidationError(
                    {name: "This field is required without a preset." for name in missing}
                )
        return attrs


INPUTS: dict[str, type[serializers.Serializer]] = {
    "text": TextInput,
    "image": ImageInput,
    "training": TrainingInput,
    "scenario": ScenarioInput,
}


# --- Outputs, for the schema ---------------------------------------------------------------------


class RangeOutput(serializers.Serializer):
    low = serializers.FloatField()
    central = serializers.FloatField()
    high = serializers.FloatField()


class FactorOutput(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField(help_text="a number, or a range as text")
    unit = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source: DRF's metaclass takes fields off the class
    year = serializers.IntegerField(allow_null=True)


class FootprintOutput(serializers.Serializer):
    kind = serializers.CharField()
    energy_kwh = RangeOutput()
    emissions_kgco2e = RangeOutput()
    usage_emissions_kgco2e = RangeOutput()
    embodied_emissions_kgco2e = RangeOutput()
    water_l = RangeOutput(help_text="water_onsite_l + water_offsite_l")
    water_onsite_l = RangeOutput(help_text="data-centre cooling: WUE × IT energy")
    water_offsite_l = RangeOutput(help_text="water consumed to generate the electricity")
    water_scope = serializers.CharField()
    basis = serializers.ChoiceField(choices=["location", "market"])
    emissions_scope = serializers.CharField()
    scope = serializers.ChoiceField(
        choices=["inference", "lifecycle"],
        help_text="lifecycle adds each request's share of the model's training (text only)",
    )
    estimator_version = serializers.CharField()
    factors = FactorOutput(many=True)
    inputs = serializers.DictField()
    id = serializers.IntegerField(required=False, help_text="when saved")


class LeverOutput(serializers.Serializer):
    name = serializers.CharField()
    saving_kgco2e = serializers.FloatField()
    share = serializers.FloatField()


class ScenarioOutput(serializers.Serializer):
    kind = serializers.CharField()
    baseline = FootprintOutput()
    improved = FootprintOutput()
    ratio = serializers.FloatField()
    levers = LeverOutput(many=True)
    lever_method = serializers.CharField()
    assumptions = serializers.ListField(child=serializers.CharField())
    estimator_version = serializers.CharField()
    id = serializers.IntegerField(required=False, help_text="when saved")


class SavedEstimateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    inputs = serializers.DictField()
    result = serializers.DictField()
    estimator_version = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModelOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    provider = serializers.CharField()
    modality = serializers.CharField()
    architecture = serializers.CharField()
    active_params_min_b = serializers.FloatField(allow_null=True)
    active_params_max_b = serializers.FloatField(allow_null=True)
    total_params_min_b = serializers.FloatField(allow_null=True)
    total_params_max_b = serializers.FloatField(allow_null=True)
    context_window_tokens = serializers.IntegerField(allow_null=True)
    reasoning_tokens_default = serializers.IntegerField()
    energy_wh_per_million_output_tokens = serializers.SerializerMethodField(
        help_text="text models: low / central / high energy of 1,000 answers of 1,000 tokens where the "
        "provider serves the model"
    )
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source: DRF's metaclass takes fields off the class
    notes = serializers.CharField()

    def get_energy_wh_per_million_output_tokens(self, model: Any) -> dict[str, float] | None:
        energy = services.energy_wh_per_million_output_tokens(model)
        return energy.as_dict() if energy else None


class RegionOutput(serializers.Serializer):
    name = serializers.CharField()
    location = serializers.CharField()
    country_iso3 = serializers.CharField()
    year = serializers.IntegerField()
    grid_gco2e_per_kwh = serializers.FloatField()
    google_cfe = serializers.FloatField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source: DRF's metaclass takes fields off the class


def _by_kind(name: str, serializers_by_kind: dict[str, Any]) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name=name, serializers=serializers_by_kind, resource_type_field_name="kind"
    )


# --- Views ---------------------------------------------------------------------------------------


class EstimatesApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        operation_id="estimates_create",
        request=_by_kind("EstimateRequest", {kind: serializer for kind, serializer in INPUTS.items()}),
        responses={
            200: _by_kind(
                "EstimateResult",
                {
                    "text": FootprintOutput,
                    "image": FootprintOutput,
                    "training": FootprintOutput,
                    "scenario": ScenarioOutput,
                },
            ),
            201: _by_kind(
                "SavedEstimateResult",
                {
                    "text": FootprintOutput,
                    "image": FootprintOutput,
                    "training": FootprintOutput,
                    "scenario": ScenarioOutput,
                },
            ),
        },
        description="Run an estimate (`kind`: text, image, training or scenario) with the same inputs as the "
        "CLI. With `save: true` and a `name`, it is kept in your saved estimates (201).",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        kind = request.data.get("kind") if isinstance(request.data, dict) else None
        if not isinstance(kind, str) or kind not in INPUTS:
            raise invalid({"kind": [f"Choose one of {', '.join(INPUTS)}."]})
        serializer = INPUTS[kind](data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        save, name = params.pop("save", False), params.pop("name", "")
        if save:
            estimate = services.estimate_save(owner=request.user, name=name, kind=kind, inputs=params)
            return Response({**estimate.result, "id": estimate.id}, status=status.HTTP_201_CREATED)
        return Response(services.estimate(kind, **params).as_dict())

    @extend_schema(operation_id="estimates_list", responses=SavedEstimateOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """Your saved estimates, newest first."""
        estimates = selectors.estimates_of(request.user)
        return paginated(self, request, estimates, lambda page: SavedEstimateOutput(page, many=True).data)


class EstimateDetailApi(APIView):
    @extend_schema(responses=SavedEstimateOutput)
    def get(self, request: AuthenticatedRequest, estimate_id: int) -> Response:
        """One of your saved estimates (404 for anybody else's)."""
        estimate = get_object_or_404(selectors.estimates_of(request.user), pk=estimate_id)
        return Response(SavedEstimateOutput(estimate).data)


class ModelsApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        responses=ModelOutput(many=True),
        parameters=[OpenApiParameter("modality", str, enum=["text", "image"], required=False)],
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The model catalogue, with parameter counts (a range for closed models) and sources."""
        modality = request.query_params.get("modality")
        if modality not in (None, "text", "image"):
            raise invalid({"modality": ["Choose text or image."]})
        models = selectors.models_list(modality=modality)
        return paginated(self, request, models, lambda page: ModelOutput(page, many=True).data)


class RegionsApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        responses=RegionOutput(many=True),
        parameters=[
            OpenApiParameter("year", int, required=False, description="default: each region's latest year")
        ],
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """Google Cloud regions with their location-based grid carbon intensity."""
        year = request.query_params.get("year")
        if year is not None and not (year.isascii() and year.isdigit() and len(year) == 4):
            raise invalid({"year": ["A year, e.g. 2024."]})
        regions = selectors.regions_list(year=int(year) if year else None)
        return paginated(self, request, regions, lambda page: RegionOutput(page, many=True).data)
