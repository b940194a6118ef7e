"""One footprint of each kind (text, image, training) from the reference data: the catalogue model, the
place and the data centre resolved from the tables, then the method run.

Bad input raises django.core.exceptions.ValidationError with one message per field. Other modules reach
these through `estimator.services`, whose `estimate()` runs any kind, scenarios included (the scenarios
build on this module, which is why it is apart from the services: no circle between them).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from estimator import calculations as calc
from estimator import lifecycle
from estimator.models import AIModel, Datacenter, ElectricityMix, GpuType, Modality, ModelTraining, Region
from estimator.reference_data import DEFAULT_DATACENTER, GOOGLE_CLOUD_DATACENTER

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
    trainings: dict[int, ModelTraining]  # by model id

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
            trainings={row.model_id: row for row in ModelTraining.objects.select_related("gpu")},
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


def _mix_location(mix: ElectricityMix, *, kind: str = "country", label: str | None = None) -> calc.Location:
    """A country's mix, or the world average (zone WOR)."""
    return calc.Location(
        kind=kind,
        code=mix.zone,
        label=label or mix.zone,
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


def _market(location: calc.Location, value: float, source: str, year: int | None) -> calc.Location:
    """The same place on the market basis: the operator's factor after its clean-energy purchases."""
    return replace(
        location,
        grid_gco2e_per_kwh=value,
        basis="market",
        factors=(
            calc.factor("market_factor", round(value, 2), "gCO2e/kWh", source, year, where=location.label),
            *location.factors[1:],
        ),
    )


def _no_market_factor() -> ValidationError:
    return ValidationError(
        {
            "basis": _(
                "No market-based factor is published for this place: choose a Google Cloud region, or a "
                "model whose provider publishes one, or the location basis."
            )
        }
    )


def _provider_location(row: Datacenter | None, world: ElectricityMix) -> Place:
    """A model's default place: its provider's data-centre location as EcoLogits models it."""
    ref = reference_data()
    mix = ref.mixes.get(row.location_zone) if row and row.location_zone else None
    if row is None or mix is None:
        return Place(location=_mix_location(world), cloud_datacenter=None)
    label = _("%(zone)s, where EcoLogits places %(provider)s's data centres") % {
        "zone": mix.zone,
        "provider": row.name,
    }
    return Place(location=_mix_location(mix, kind="provider", label=label), cloud_datacenter=None)


def place_resolve(
    *,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
    basis: str = "location",
    provider: Datacenter | None = None,
) -> Place:
    """Where the electricity comes from: a GCP region, a country (ISO3), an intensity, or by default the
    provider's data-centre location (world average when unknown); on the location or market basis."""
    if basis not in calc.BASES:
        raise ValidationError({"basis": _("Unknown basis %(basis)s: location or market.") % {"basis": basis}})
    place = _place_location(
        region=region,
        region_year=region_year,
        country=country,
        grid_intensity=grid_intensity,
        provider=provider,
    )
    if basis == "location":
        return place
    if place.location.kind == "region":
        years = reference_data().regions[place.location.code]
        year_row = years[region_year or max(years)]
        if year_row.google_cfe is None:
            raise _no_market_factor()
        value = year_row.grid_gco2e_per_kwh * (1 - year_row.google_cfe)
        source = _(
            "Google Cloud region carbon data: grid intensity × (1 − Google carbon-free energy share %(cfe)s)"
        ) % {"cfe": f"{year_row.google_cfe:.0%}"}
        return replace(place, location=_market(place.location, value, source, year_row.year))
    if (
        place.location.kind == "provider"
        and provider is not None
        and provider.market_gco2e_per_kwh is not None
    ):
        return replace(
            place,
            location=_market(
                place.location, provider.market_gco2e_per_kwh, provider.market_source, provider.year
            ),
        )
    raise _no_market_factor()


def _place_location(
    *,
    region: str | None,
    region_year: int | None,
    country: str | None,
    grid_intensity: float | None,
    provider: Datacenter | None,
) -> Place:
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
        country_mix = ref.mixes.get(country.upper())
        if country_mix is None:
            raise ValidationError(
                {
                    "country": _("Unknown country code %(code)s: use ISO 3166-1 alpha-3, e.g. FRA.")
                    % {"code": country}
                }
            )
        return Place(location=_mix_location(country_mix), cloud_datacenter=None)
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
    return _provider_location(provider, world)


class PlaceParams(TypedDict, total=False):
    """place_resolve's (and the estimates') argument for a place given by code: one of the two."""

    region: str
    country: str


def place_params(code: str) -> PlaceParams:
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
    active_min, active_max = model.active_params_min_b, model.active_params_max_b
    total_min, total_max = model.total_params_min_b, model.total_params_max_b
    # The table's check constraint (aimodel_text_has_parameters) gives every text model both ranges.
    if active_min is None or active_max is None or total_min is None or total_max is None:
        raise ValueError(f"{model.slug} is not a text model with parameter counts")
    active = _span(active_min, active_max)
    total = _span(total_min, total_max)
    factors = [
        calc.factor("model_active_params", active, "billion", model.source, None, model=model.name),
        calc.factor("model_total_params", total, "billion", model.source, None, model=model.name),
    ]
    if model.generation_speed_tps or model.first_token_latency_s:
        speed = f"{model.generation_speed_tps or '—'} tokens/s, {model.first_token_latency_s or 0:g} s"
        factors.append(calc.factor("generation_speed", speed, "", model.source, None, model=model.name))
    window = model.context_window_tokens or calc.LONGEST_CONTEXT_TOKENS
    factors.append(
        calc.factor(
            "context_window",
            window,
            "tokens",
            model.source
            if model.context_window_tokens
            else "Not published here: the longest window of the catalogue (Meta, Llama 4 Scout, 10M tokens)",
            None,
            model=model.name,
        )
    )
    return calc.TextModel(
        slug=model.slug,
        name=model.name,
        active_params_b=(active_min, active_max),
        total_params_b=(total_min, total_max),
        factors=tuple(factors),
        tps=model.generation_speed_tps,
        ttft_s=model.first_token_latency_s,
        context_window_tokens=model.context_window_tokens,
    )


ENERGY_RATING_REQUESTS = 1_000
ENERGY_RATING_OUTPUT_TOKENS = 1_000


def energy_wh_per_million_output_tokens(model: AIModel) -> calc.Range | None:
    """A text model's energy for one million output tokens (1,000 answers of 1,000 tokens), where its
    provider serves it: the number the catalogue ranks models by. None for image models.

    Compar:IA ranks models on the same kind of number (EcoLogits' energy per 1,000 tokens). Its A–F energy
    classes would sit on it, but its public sources (betagouv/ComparIA, comparia.beta.gouv.fr/ranking, read
    in 2026) give only that number and an S/M/L filter (under 10, 10–100, over 100 Wh per 1,000 tokens, in
    units of EcoLogits before 0.9.1): no A–F thresholds. We show no class rather than invent one."""
    if model.modality != Modality.TEXT:
        return None
    place = place_resolve(provider=model.datacenter)
    footprint = calc.text_footprint(
        model=text_model(model),
        output_tokens=ENERGY_RATING_OUTPUT_TOKENS,
        requests=ENERGY_RATING_REQUESTS,
        location=place.location,
        datacenter=datacenter_for(place, model, None),
    )
    return footprint.energy_kwh * 1000


def model_summary(model: AIModel) -> dict[str, Any]:
    """A catalogue model as the CLI and the API list it."""
    energy = energy_wh_per_million_output_tokens(model)
    return {
        "slug": model.slug,
        "name": model.name,
        "provider": model.provider,
        "modality": model.modality,
        "architecture": model.architecture,
        "active_params_b": [model.active_params_min_b, model.active_params_max_b],
        "total_params_b": [model.total_params_min_b, model.total_params_max_b],
        "context_window_tokens": model.context_window_tokens,
        "reasoning_tokens_default": model.reasoning_tokens_default,
        "energy_wh_per_million_output_tokens": energy.as_dict() if energy else None,
        "source": model.source,
    }


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
        elif problem.code == "context":
            message = _("More than the model's context window (%(window)s tokens).") % {
                "window": f"{problem.high:,.0f}"
            }
        elif problem.code == "ceiling":
            message = _(
                "The estimate passes %(twh)s TWh, a tenth of all data centres' electricity in a year (IEA, "
                "2025): check the counts."
            ) % {"twh": f"{problem.high / 1e9:g}"}
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
    reasoning_tokens: float | None = None,
    requests: float = 1,
    iterations: float = 1,
    region: str | None = None,
    region_year: int | None = None,
    country: str | None = None,
    grid_intensity: float | None = None,
    pue: float | None = None,
    basis: str = "location",
    scope: str = "inference",
    lifetime_requests: float | None = None,
    recorded: bool = False,
) -> calc.Footprint:
    """Text generation. Without a place, the model's provider's data-centre location (world average for
    a model given by its parameters). `reasoning_tokens` defaults to the model's documented default.
    `scope="lifecycle"` adds each request's share of the model's training (estimator.lifecycle).
    `recorded=True` for usage a provider reported (see calc.text_footprint)."""
    if scope not in calc.SCOPES:
        raise ValidationError(
            {"scope": _("Unknown scope %(scope)s: inference or lifecycle.") % {"scope": scope}}
        )
    if lifetime_requests is not None and scope != "lifecycle":
        raise ValidationError(
            {"lifetime_requests": _("Lifetime requests apply to the life-cycle scope only.")}
        )
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
        region=region,
        region_year=region_year,
        country=country,
        grid_intensity=grid_intensity,
        basis=basis,
        provider=row.datacenter if row else None,
    )
    if reasoning_tokens is None:
        reasoning_tokens = row.reasoning_tokens_default if row else 0
    try:
        inference = calc.text_footprint(
            model=spec,
            output_tokens=output_tokens,
            input_tokens=input_tokens,
            reasoning_tokens=reasoning_tokens,
            requests=requests,
            iterations=iterations,
            location=place.location,
            datacenter=datacenter_for(place, row, pue),
            recorded=recorded,
        )
        if scope == "inference":
            return inference
        calc.check({"lifetime_requests": lifetime_requests})
        lifetime, lifetime_factor = (
            (lifecycle.LIFETIME_REQUESTS, lifecycle.LIFETIME_FACTOR)
            if lifetime_requests is None
            else (
                calc.Range.exact(lifetime_requests),
                calc.factor("lifetime_requests", lifetime_requests, "requests", calc.USER_GIVEN, None),
            )
        )
        return lifecycle.lifecycle_footprint(
            inference=inference,
            training=model_training(row, spec, basis=basis),
            lifetime_requests=lifetime,
            lifetime_factor=lifetime_factor,
        )
    except calc.InvalidInput as error:
        raise invalid_input_error(error) from None


def _no_market_training() -> ValidationError:
    return ValidationError(
        {
            "basis": _(
                "No market-based figure is published for this model's training: use the location basis, or "
                "the inference scope."
            )
        }
    )


def model_training(row: AIModel | None, spec: calc.TextModel, *, basis: str) -> lifecycle.Training:
    """A model's whole training footprint: as its model card or paper publishes it, else derived from its
    size and training tokens (published or a range). Where it was trained: the published place, else its
    provider's data-centre location, else the world average."""
    ref = reference_data()
    published = ref.trainings.get(row.pk) if row is not None else None
    provider = row.datacenter if row is not None else None
    datacenter = datacenter_for(
        Place(location=_mix_location(ref.mixes[WORLD]), cloud_datacenter=None), row, None
    )
    zone = (published.grid_zone if published else "") or (provider.location_zone if provider else "") or WORLD
    mix = ref.mixes.get(zone, ref.mixes[WORLD])
    if published is not None and published.gpu_hours is not None and published.gpu is not None:
        return _published_training(published, spec, mix=mix, datacenter=datacenter, basis=basis)
    tokens = lifecycle.training_tokens_t(
        total_params_b=sum(spec.total_params_b) / 2,
        published_t=published.tokens_t if published else None,
    )
    tokens_factor = calc.factor(
        "training_tokens",
        _span(tokens.low, tokens.high) if published is None or published.tokens_t is None else tokens.central,
        "trillion",
        published.source if published and published.tokens_t is not None else lifecycle.TOKENS_SOURCE,
        published.year if published and published.tokens_t is not None else None,
        model=spec.name,
    )
    grid = mix.grid_gco2e_per_kwh
    if basis == "market":
        if provider is None or provider.market_gco2e_per_kwh is None:
            raise _no_market_training()
        grid = provider.market_gco2e_per_kwh
    label = _("%(zone)s, where %(model)s is assumed trained (its provider's data centres)") % {
        "zone": zone,
        "model": spec.name,
    }
    location = calc.Location(
        kind="training",
        code=zone,
        label=label,
        grid_gco2e_per_kwh=grid,
        water_l_per_kwh=mix.water_l_per_kwh,
        factors=(
            calc.factor(
                "training_grid",
                round(grid, 2),
                "gCO2e/kWh",
                provider.market_source if basis == "market" and provider else mix.source,
                provider.year if basis == "market" and provider else None,
                where=label,
            ),
            _grid_water(mix),
        ),
        basis=basis,
    )
    footprint = lifecycle.derived_training(
        active_params_b=spec.active_params_b,
        tokens_t=tokens,
        tokens_factor=tokens_factor,
        gpu=gpu_spec(ref.gpus["h100"]),
        pue=datacenter.pue,
        wue_l_per_kwh=datacenter.wue_l_per_kwh,
        location=location,
    )
    return lifecycle.Training(footprint=footprint, origin="derived")


def _published_training(
    published: ModelTraining,
    spec: calc.TextModel,
    *,
    mix: ElectricityMix,
    datacenter: calc.Datacenter,
    basis: str,
) -> lifecycle.Training:
    """A training as its model card or paper gives it: GPU-hours and power, and the grid its published
    emissions imply (else its country's)."""
    assert published.gpu_hours is not None and published.gpu is not None  # checked by the caller
    gpu = gpu_spec(published.gpu)
    power_w = published.power_w or gpu.power_w
    pue = calc.Range.exact(published.pue) if published.pue is not None else datacenter.pue
    energy_kwh = published.gpu_hours * power_w / 1000 * pue.central
    tco2e = published.market_tco2e if basis == "market" else published.location_tco2e
    if basis == "market" and tco2e is None:
        raise _no_market_training()
    if tco2e is not None:
        grid = tco2e * 1e6 / energy_kwh
        label = _("%(zone)s, implied by the published %(basis)s-based emissions of %(model)s") % {
            "zone": mix.zone,
            "basis": basis,
            "model": spec.name,
        }
    else:
        grid = mix.grid_gco2e_per_kwh
        label = _("%(zone)s, where %(model)s was trained") % {"zone": mix.zone, "model": spec.name}
    source = published.source if tco2e is not None else mix.source
    location = calc.Location(
        kind="training",
        code=mix.zone,
        label=label,
        grid_gco2e_per_kwh=grid,
        water_l_per_kwh=mix.water_l_per_kwh,
        factors=(
            calc.factor("training_grid", round(grid, 2), "gCO2e/kWh", source, None, where=label),
            _grid_water(mix),
        ),
        basis=basis,
    )
    value = f"{published.gpu_hours:,.0f} GPU-hours × {power_w:g} W"
    if tco2e is not None:
        value += f", {tco2e:,.0f} tCO2e"
    footprint = calc.training_footprint(
        gpu_hours=published.gpu_hours,
        gpu_power_w=power_w,
        gpu=gpu,
        pue=pue,
        datacenter_wue_l_per_kwh=datacenter.wue_l_per_kwh,
        location=location,
        extra_factors=[
            calc.factor("training_published", value, "", published.source, published.year, model=spec.name)
        ],
    )
    return lifecycle.Training(footprint=footprint, origin="published")


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
                campaign=m.campaign,
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
    basis: str = "location",
    recorded: bool = False,
) -> calc.Footprint:
    """Image generation; `recorded=True` for usage a provider reported (see calc.text_footprint)."""
    if (width is None) != (height is None):
        message = _("Give both width and height, or neither.")
        raise ValidationError({"width": message, "height": message})
    row = catalogue_model(model, Modality.IMAGE)
    place = place_resolve(
        region=region,
        region_year=region_year,
        country=country,
        grid_intensity=grid_intensity,
        basis=basis,
        provider=row.datacenter,
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
            recorded=recorded,
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
    basis: str = "location",
) -> calc.Footprint:
    gpu = reference_data().gpus.get(gpu_type)
    if gpu is None:
        known = ", ".join(sorted(reference_data().gpus))
        raise ValidationError(
            {"gpu_type": _("Unknown GPU type %(gpu)s: one of %(known)s.") % {"gpu": gpu_type, "known": known}}
        )
    place = place_resolve(
        region=region, region_year=region_year, country=country, grid_intensity=grid_intensity, basis=basis
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
