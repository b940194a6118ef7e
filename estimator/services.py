"""Estimator services: resolve models, places and data centres from the reference data, run the method.

Every interface (CLI, API, pages, other apps) goes through `estimate()`, so they give the same numbers.
Bad input raises django.core.exceptions.ValidationError with one message per field.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from estimator import calculations as calc
from estimator.models import AIModel, Datacenter, ElectricityMix, Estimate, GpuType, Modality, Region
from estimator.reference_data import DEFAULT_DATACENTER, GOOGLE_CLOUD_DATACENTER

KINDS = ("text", "image", "training", "scenario")
WORLD = "WOR"
REFERENCE_TTL_SECONDS = 60.0


# --- Reference data, read once per process and refreshed every minute ----------------------------


@dataclass(frozen=True)
class ReferenceData:
    models: dict[str, AIModel]
    regions: dict[str, dict[int, Region]]  # name -> year -> row
    mixes: dict[str, ElectricityMix]
    datacenters: dict[str, Datacenter]
    gpus: dict[str, GpuType]

    def latest_region(self, name: str) -> Region | None:
        years = self.regions.get(name)
        return years[max(years)] if years else None


_reference: tuple[float, ReferenceData] | None = None
_reference_lock = threading.Lock()


def reference_data() -> ReferenceData:
    """The reference tables as dictionaries: a few queries a minute instead of several per estimate."""
    global _reference
    now = time.monotonic()
    cached = _reference
    if cached is not None and now - cached[0] < REFERENCE_TTL_SECONDS:
        return cached[1]
    with _reference_lock:
        regions: dict[str, dict[int, Region]] = {}
        for region in Region.objects.all():
            regions.setdefault(region.name, {})[region.year] = region
        data = ReferenceData(
            models={
                m.slug: m
                for m in AIModel.objects.select_related("datacenter").prefetch_related("measurements__gpu")
            },
            regions=regions,
            mixes={mix.zone: mix for mix in ElectricityMix.objects.all()},
            datacenters={dc.slug: dc for dc in Datacenter.objects.all()},
            gpus={gpu.slug: gpu for gpu in GpuType.objects.all()},
        )
        _reference = (now, data)
        return data


def reference_data_clear() -> None:
    """Forget the cached reference data (after an edit, and between tests)."""
    global _reference
    _reference = None


# --- From rows to the method's types -------------------------------------------------------------


def _datacenter(row: Datacenter, *, pue: float | None = None) -> calc.Datacenter:
    pue_range = (
        calc.Range.exact(pue)
        if pue is not None
        else calc.Range(row.pue_min, (row.pue_min + row.pue_max) / 2, row.pue_max)
    )
    wue = calc.Range(
        row.wue_min_l_per_kwh, (row.wue_min_l_per_kwh + row.wue_max_l_per_kwh) / 2, row.wue_max_l_per_kwh
    )
    pue_text = f"{pue:g}" if pue is not None else _span(row.pue_min, row.pue_max)
    return calc.Datacenter(
        label=row.name,
        pue=pue_range,
        wue_l_per_kwh=wue,
        factors=(
            calc.factor("pue", pue_text, "", row.source, row.year, datacenter=row.name)
            if pue is None
            else calc.factor("pue_given", pue_text, "", calc.USER_GIVEN, None),
            calc.factor(
                "wue",
                _span(row.wue_min_l_per_kwh, row.wue_max_l_per_kwh),
                "L/kWh",
                row.source,
                row.year,
                datacenter=row.name,
            ),
        ),
    )


def _span(low: float, high: float) -> float | str:
    return low if low == high else f"{low:g}–{high:g}"


def _mix_location(mix: ElectricityMix) -> calc.Location:
    """A country's mix, or the world average (zone WOR)."""
    return calc.Location(
        kind="country",
        code=mix.zone,
        label=mix.zone,
        grid_gco2e_per_kwh=mix.grid_gco2e_per_kwh,
        water_l_per_kwh=mix.water_l_per_kwh,
        factors=(
            calc.factor(
                "grid_intensity", mix.grid_gco2e_per_kwh, "gCO2e/kWh", mix.source, None, where=mix.zone
            ),
            _grid_water(mix),
        ),
    )


def _grid_water(mix: ElectricityMix) -> calc.Factor:
    return calc.factor("grid_water", mix.water_l_per_kwh, "L/kWh", mix.source, None, where=mix.zone)


@dataclass(frozen=True)
class Place:
    location: calc.Location
    cloud_datacenter: Datacenter | None  # the data centre a cloud region implies


def place_resolve(
    *,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
) -> Place:
    """Where the electricity comes from: one of a GCP region, a country (ISO3) or an intensity."""
    given = [
        name
        for name, value in (("region", region), ("country", country), ("grid_intensity", grid_intensity))
        if value not in (None, "")
    ]
    if len(given) > 1:
        message = _("Give only one of region, country or grid intensity.")
        raise ValidationError({name: message for name in given})
    ref = reference_data()
    world = ref.mixes[WORLD]
    if region:
        years = ref.regions.get(region)
        if not years:
            raise ValidationError({"region": _("Unknown cloud region %(region)s.") % {"region": region}})
        year = region_year or max(years)
        row = years.get(year)
        if row is None:
            raise ValidationError(
                {
                    "region_year": _("No data for %(region)s in %(year)s: available years are %(years)s.")
                    % {"region": region, "year": year, "years": ", ".join(map(str, sorted(years)))}
                }
            )
        mix = ref.mixes.get(row.country_iso3, world)
        label = f"{row.name} ({row.location})"
        location = calc.Location(
            kind="region",
            code=row.name,
            label=label,
            grid_gco2e_per_kwh=row.grid_gco2e_per_kwh,
            water_l_per_kwh=mix.water_l_per_kwh,
            factors=(
                calc.factor(
                    "grid_intensity", row.grid_gco2e_per_kwh, "gCO2e/kWh", row.source, row.year, where=label
                ),
                _grid_water(mix),
            ),
        )
        return Place(
            location=location, cloud_datacenter=ref.datacenters[GOOGLE_CLOUD_DATACENTER.replace("_", "-")]
        )
    if country:
        mix = ref.mixes.get(country.upper())
        if mix is None:
            raise ValidationError(
                {
                    "country": _("Unknown country code %(code)s: use ISO 3166-1 alpha-3, e.g. FRA.")
                    % {"code": country}
                }
            )
        return Place(location=_mix_location(mix), cloud_datacenter=None)
    if grid_intensity is not None:
        try:
            calc.check({"grid_gco2e_per_kwh": grid_intensity})
        except calc.InvalidInput as error:
            raise invalid_input_error(error, {"grid_gco2e_per_kwh": "grid_intensity"}) from None
        location = calc.Location(
            kind="grid",
            code="given",
            label="given",
            grid_gco2e_per_kwh=grid_intensity,
            water_l_per_kwh=world.water_l_per_kwh,
            factors=(
                calc.factor("grid_intensity_given", grid_intensity, "gCO2e/kWh", calc.USER_GIVEN, None),
                _grid_water(world),
            ),
        )
        return Place(location=location, cloud_datacenter=None)
    return Place(
        location=_mix_location(world),
        cloud_datacenter=None,
    )


def place_params(code: str) -> dict[str, str]:
    """A usage record's place as place_resolve's argument: a cloud region's name, else a country code."""
    return {"region": code} if code in reference_data().regions else {"country": code}


def datacenter_for(place: Place, model: AIModel | None, pue: float | None) -> calc.Datacenter:
    """A cloud region's data centre; else the model provider's; else a generic cloud data centre."""
    if pue is not None:
        try:
            calc.check({"pue": pue})
        except calc.InvalidInput as error:
            raise invalid_input_error(error) from None
    ref = reference_data()
    row = place.cloud_datacenter or (model.datacenter if model and model.datacenter else None)
    row = row or ref.datacenters[DEFAULT_DATACENTER.replace("_", "-")]
    return _datacenter(row, pue=pue)


def catalogue_model(slug: str, modality: str) -> AIModel:
    model = reference_data().models.get(slug)
    if model is None or model.modality != modality:
        raise ValidationError(
            {
                "model": _("Unknown %(modality)s model %(slug)s: see `manage.py estimate models`.")
                % {"modality": modality, "slug": slug}
            }
        )
    return model


def text_model(model: AIModel) -> calc.TextModel:
    active = _span(model.active_params_min_b, model.active_params_max_b)
    total = _span(model.total_params_min_b, model.total_params_max_b)
    return calc.TextModel(
        slug=model.slug,
        name=model.name,
        active_params_b=(model.active_params_min_b, model.active_params_max_b),
        total_params_b=(model.total_params_min_b, model.total_params_max_b),
        factors=(
            calc.factor("model_active_params", active, "billion", model.source, None, model=model.name),
            calc.factor("model_total_params", total, "billion", model.source, None, model=model.name),
        ),
    )


def invalid_input_error(error: calc.InvalidInput, names: dict[str, str] | None = None) -> ValidationError:
    """The method's refusals as localised messages, on the form's or the API's field names."""
    names = names or {}
    messages = {}
    for field, problem in error.problems.items():
        if problem.code == "finite":
            message = _("Must be a finite number.")
        elif problem.code == "range":
            message = _("Must be between %(low)s and %(high)s.") % {
                "low": f"{problem.low:g}",
                "high": f"{problem.high:g}",
            }
        else:
            message = problem.message
        messages[names.get(field, field)] = message
    return ValidationError(messages)


# --- Estimates -----------------------------------------------------------------------------------


def estimate_text(
    *,
    model: str | None = None,
    active_params_b: float | None = None,
    total_params_b: float | None = None,
    output_tokens: float,
    input_tokens: float = 0,
    requests: float = 1,
    iterations: float = 1,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
    pue: float | None = None,
) -> calc.Footprint:
    if model and active_params_b is not None:
        message = _("Give a model or its parameter count, not both.")
        raise ValidationError({"model": message, "active_params_b": message})
    if model:
        row = catalogue_model(model, Modality.TEXT)
        spec = text_model(row)
    elif active_params_b is not None:
        row = None
        total = total_params_b if total_params_b is not None else active_params_b
        if total < active_params_b:
            raise ValidationError(
                {"total_params_b": _("The total parameter count cannot be below the active one.")}
            )
        spec = calc.TextModel(
            slug="custom",
            name="custom model",
            active_params_b=(active_params_b, active_params_b),
            total_params_b=(total, total),
            factors=(calc.factor("active_params", active_params_b, "billion", calc.USER_GIVEN, None),),
        )
    else:
        raise ValidationError({"model": _("Give a model, or its active parameter count.")})
    place = place_resolve(
        region=region, region_year=region_year, country=country, grid_intensity=grid_intensity
    )
    try:
        return calc.text_footprint(
            model=spec,
            output_tokens=output_tokens,
            input_tokens=input_tokens,
            requests=requests,
            iterations=iterations,
            location=place.location,
            datacenter=datacenter_for(place, row, pue),
        )
    except calc.InvalidInput as error:
        raise invalid_input_error(error) from None


def image_model(model: AIModel) -> calc.ImageModel:
    return calc.ImageModel(
        slug=model.slug,
        name=model.name,
        measurements=tuple(
            calc.ImageMeasurement(
                energy_wh_per_image=m.energy_wh_per_image,
                boundary=m.boundary,
                width=m.width,
                height=m.height,
                steps=m.steps,
                gpu=gpu_spec(m.gpu),
                description=m.description,
                source=m.source,
                year=m.year,
            )
            for m in model.measurements.all()
        ),
    )


def gpu_spec(gpu: GpuType) -> calc.Gpu:
    return calc.Gpu(
        slug=gpu.slug,
        name=gpu.name,
        power_w=gpu.power_w,
        embodied_kgco2e=gpu.embodied_kgco2e,
        lifetime_hours=gpu.lifetime_hours,
        factors=(
            calc.factor("gpu_embodied", gpu.embodied_kgco2e, "kgCO2e", gpu.source, gpu.year, gpu=gpu.name),
            calc.factor("gpu_lifetime", gpu.lifetime_hours, "h", gpu.source, gpu.year, gpu=gpu.name),
        ),
    )


def estimate_image(
    *,
    model: str,
    images: float = 1,
    iterations: float = 1,
    width: int | None = None,
    height: int | None = None,
    steps: int | None = None,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
    pue: float | None = None,
) -> calc.Footprint:
    if (width is None) != (height is None):
        message = _("Give both width and height, or neither.")
        raise ValidationError({"width": message, "height": message})
    row = catalogue_model(model, Modality.IMAGE)
    place = place_resolve(
        region=region, region_year=region_year, country=country, grid_intensity=grid_intensity
    )
    try:
        return calc.image_footprint(
            model=image_model(row),
            images=images,
            iterations=iterations,
            width=width,
            height=height,
            steps=steps,
            location=place.location,
            datacenter=datacenter_for(place, row, pue),
        )
    except calc.InvalidInput as error:
        raise invalid_input_error(error) from None


def estimate_training(
    *,
    gpu_hours: float,
    gpu_power_w: float | None = None,
    gpu_type: str = "h100",
    pue: float | None = None,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
    include_embodied: bool = True,
) -> calc.Footprint:
    gpu = reference_data().gpus.get(gpu_type)
    if gpu is None:
        known = ", ".join(sorted(reference_data().gpus))
        raise ValidationError(
            {"gpu_type": _("Unknown GPU type %(gpu)s: one of %(known)s.") % {"gpu": gpu_type, "known": known}}
        )
    place = place_resolve(
        region=region, region_year=region_year, country=country, grid_intensity=grid_intensity
    )
    datacenter = datacenter_for(place, None, pue)
    power = gpu.power_w if gpu_power_w is None else gpu_power_w
    factors = (
        []
        if gpu_power_w is not None
        else [calc.factor("gpu_power", gpu.power_w, "W", gpu.source, gpu.year, gpu=gpu.name)]
    )
    try:
        return calc.training_footprint(
            gpu_hours=gpu_hours,
            gpu_power_w=power,
            gpu=gpu_spec(gpu),
            pue=datacenter.pue,
            datacenter_wue_l_per_kwh=datacenter.wue_l_per_kwh,
            location=place.location,
            include_embodied=include_embodied,
            extra_factors=[*factors, *datacenter.factors],
        )
    except calc.InvalidInput as error:
        raise invalid_input_error(error) from None


# What an estimate returns: a footprint (text, image, training) or a scenario of two footprints.
# Both are the core's typed results; `.as_dict()` gives the JSON form for the edges (API, CLI, storage).
Footprint = calc.Footprint
Scenario = calc.Scenario
Result = calc.Footprint | calc.Scenario


def estimate(kind: str, **params: Any) -> Result:
    """Run one estimate of any kind (the CLI, the API and the pages all come through here)."""
    if kind == "text":
        return estimate_text(**params)
    if kind == "image":
        return estimate_image(**params)
    if kind == "training":
        return estimate_training(**params)
    if kind == "scenario":
        # scenarios.py builds on this module's functions, so it is imported on use (no circle at load).
        from estimator.scenarios import scenario_preset_run

        return scenario_preset_run(**params)
    raise ValidationError(
        {"kind": _("Unknown kind %(kind)s: one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}}
    )


@transaction.atomic
def estimate_save(*, owner: AbstractBaseUser, name: str, kind: str, inputs: dict[str, Any]) -> Estimate:
    """Run an estimate and keep it with its method version and factors."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the estimate a name.")})
    result = estimate(kind, **inputs)
    return Estimate.objects.create(
        owner=owner,
        name=name[:200],
        kind=kind,
        inputs=inputs,
        result=result.as_dict(),
        estimator_version=calc.ESTIMATOR_VERSION,
    )


def estimate_delete(*, estimate: Estimate) -> None:
    estimate.delete()
