"""The footprint method: pure Python, no Django. Every result is low / central / high.

Boundaries and conventions (shown to users in the factor tables and the methodology page):
- Emissions are location-based: electricity × the grid's average intensity (no market instruments).
  Usage (electricity) and embodied (manufacturing of the hardware, shared over its lifetime) are
  reported separately; `emissions_kgco2e` is their sum.
- Energy includes the data centre's overhead (PUE).
- Water is on-site cooling (data-centre WUE × IT energy) plus the water consumed to generate the
  electricity (the grid's water factor × energy), as in EcoLogits.
- Low and high combine the optimistic and the pessimistic end of every uncertain input (model size
  for closed models, serving batch size, PUE, the spread between published measurements): they are
  bounds, not a confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from estimator.ecologits_adapter import DEFAULT_BATCH_SIZE, ECOLOGITS_VERSION, llm_per_token
from estimator.levers import ITERATIONS, MODEL, OUTPUT_SIZE, REGION, SHAPLEY_METHOD, LeverSaving, lever_split

ESTIMATOR_VERSION = "1.0.0"

# Serving batch size (EcoLogits assumes 64 concurrent requests): busier servers share their power
# over more requests. Low and high bounds are our assumption, covering the EcoLogits-derived 0.27 Wh
# for a 70B model and 500 tokens (REFERENCE_CASES) and the spread of 2025 production disclosures.
BATCH_SIZE_LOW_IMPACT = 128
BATCH_SIZE_CENTRAL = DEFAULT_BATCH_SIZE
BATCH_SIZE_HIGH_IMPACT = 32

# Prefill (input tokens), which EcoLogits does not model. An input token costs a fraction of an output
# token, growing with context length as attention cost grows. Calibrated on Epoch AI's estimates for
# GPT-4o: ≈0.3 Wh for a typical query, ≈2.5 Wh with 10k input tokens, ≈40 Wh with 100k.
PREFILL_RATIO = 1 / 3
PREFILL_QUADRATIC_TOKENS = 100_000

# Input limits: outside these a number is a typing mistake, not a workload.
LIMITS: dict[str, tuple[float, float]] = {
    "output_tokens": (1, 10_000_000),
    "input_tokens": (0, 10_000_000),
    "requests": (1e-9, 1e15),
    "iterations": (1, 1_000),
    "images": (1e-9, 1e13),
    "width": (64, 16_384),
    "height": (64, 16_384),
    "steps": (1, 1_000),
    "gpu_hours": (1e-6, 1e10),
    "gpu_power_w": (1, 5_000),
    "pue": (1, 3),
    "grid_gco2e_per_kwh": (0, 2_000),
    "active_params_b": (0.01, 100_000),
    "total_params_b": (0.01, 100_000),
    "tasks": (1e-9, 1e15),
}


@dataclass(frozen=True)
class Problem:
    """Why the method refuses one input: `finite`, `range` (with its bounds) or `other`."""

    code: str
    message: str
    low: float = 0.0
    high: float = 0.0


class InvalidInput(ValueError):
    """Inputs the method cannot use, with one problem per field."""

    def __init__(self, problems: dict[str, Problem | str]):
        self.problems = {
            field: problem if isinstance(problem, Problem) else Problem("other", problem)
            for field, problem in problems.items()
        }
        self.errors = {field: problem.message for field, problem in self.problems.items()}
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


def check(values: dict[str, float | None]) -> None:
    """Refuse NaN, infinities and numbers outside LIMITS (None means not given)."""
    problems: dict[str, Problem | str] = {}
    for name, value in values.items():
        if value is None:
            continue
        low, high = LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems[name] = Problem("finite", "must be a finite number")
        elif not low <= value <= high:
            problems[name] = Problem("range", f"must be between {low:g} and {high:g}", low, high)
    if problems:
        raise InvalidInput(problems)


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    central: float
    high: float

    @classmethod
    def exact(cls, value: float) -> Range:
        return cls(value, value, value)

    def map(self, function: Callable[[float], float]) -> Range:
        return Range(function(self.low), function(self.central), function(self.high))

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def __mul__(self, factor: float) -> Range:
        return Range(self.low * factor, self.central * factor, self.high * factor)

    __rmul__ = __mul__

    def as_dict(self) -> dict[str, float]:
        return {"low": self.low, "central": self.central, "high": self.high}


ZERO = Range.exact(0.0)


# Factor names in English, by key: the JSON keeps these; the pages translate them by key.
FACTOR_NAMES = {
    "model_active_params": "{model}: active parameters",
    "model_total_params": "{model}: total parameters",
    "active_params": "active parameters",
    "batch_size": "serving batch size (low / central / high impact)",
    "prefill": "input token cost, as a share of an output token",
    "serving_overhead": "full serving stack ÷ accelerator-only energy (before PUE)",
    "image_energy": "{model}: energy per image, {width}×{height}, {steps} steps",
    "gpu_power": "{gpu}: power",
    "gpu_embodied": "{gpu}: embodied emissions",
    "gpu_lifetime": "{gpu}: lifetime",
    "pue": "PUE ({datacenter})",
    "pue_given": "PUE",
    "wue": "on-site water, WUE ({datacenter})",
    "grid_intensity": "grid carbon intensity, {where}",
    "grid_intensity_given": "grid carbon intensity",
    "grid_water": "water consumed by electricity generation, {where}",
}
USER_GIVEN = "given by the user"


@dataclass(frozen=True, slots=True)
class Factor:
    """A number the estimate used, with where it comes from."""

    key: str
    value: float | str
    unit: str
    source: str
    year: int | None
    params: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return FACTOR_NAMES[self.key].format(**dict(self.params))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "year": self.year,
            "key": self.key,
            "params": dict(self.params),
        }


def factor(key: str, value: float | str, unit: str, source: str, year: int | None, **params: Any) -> Factor:
    return Factor(key, value, unit, source, year, tuple((name, str(v)) for name, v in params.items()))


@dataclass(frozen=True)
class Location:
    """Where the electricity comes from: a cloud region, a country's mix or a given intensity."""

    kind: str  # "region", "country" or "grid"
    code: str
    label: str
    grid_gco2e_per_kwh: float
    water_l_per_kwh: float  # consumed to generate one kWh
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Datacenter:
    label: str
    pue: Range
    wue_l_per_kwh: Range  # on-site water per kWh of IT energy
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class TextModel:
    slug: str
    name: str
    active_params_b: tuple[float, float]  # (min, max); equal when the size is published
    total_params_b: tuple[float, float]
    factors: tuple[Factor, ...] = ()


@dataclass(frozen=True)
class Gpu:
    slug: str
    name: str
    power_w: float
    embodied_kgco2e: float
    lifetime_hours: float
    factors: tuple[Factor, ...] = ()

    @property
    def embodied_kgco2e_per_hour(self) -> float:
        return self.embodied_kgco2e / self.lifetime_hours


@dataclass(frozen=True)
class ImageMeasurement:
    energy_wh_per_image: float  # as published, without PUE
    boundary: str  # "accelerator" (GPU energy only) or "server" (whole serving machine)
    width: int
    height: int
    steps: int
    gpu: Gpu  # the GPU it ran on, to infer GPU time for the embodied share
    description: str
    source: str
    year: int


@dataclass(frozen=True)
class ImageModel:
    slug: str
    name: str
    measurements: tuple[ImageMeasurement, ...]


@dataclass(frozen=True)
class Footprint:
    kind: str
    energy_kwh: Range
    usage_emissions_kgco2e: Range
    embodied_emissions_kgco2e: Range
    water_l: Range
    factors: tuple[Factor, ...]
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def emissions_kgco2e(self) -> Range:
        return self.usage_emissions_kgco2e + self.embodied_emissions_kgco2e

    def scaled(self, factor: float, **inputs: Any) -> Footprint:
        return replace(
            self,
            energy_kwh=self.energy_kwh * factor,
            usage_emissions_kgco2e=self.usage_emissions_kgco2e * factor,
            embodied_emissions_kgco2e=self.embodied_emissions_kgco2e * factor,
            water_l=self.water_l * factor,
            inputs={**self.inputs, **inputs},
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "energy_kwh": self.energy_kwh.as_dict(),
            "emissions_kgco2e": self.emissions_kgco2e.as_dict(),
            "usage_emissions_kgco2e": self.usage_emissions_kgco2e.as_dict(),
            "embodied_emissions_kgco2e": self.embodied_emissions_kgco2e.as_dict(),
            "water_l": self.water_l.as_dict(),
            "water_scope": "on-site cooling + electricity generation",
            "emissions_scope": "location-based",
            "estimator_version": ESTIMATOR_VERSION,
            "factors": [factor.as_dict() for factor in self.factors],
            "inputs": self.inputs,
        }


def _water_l(energy_kwh: Range, pue: Range, datacenter_wue: Range, grid_water_l_per_kwh: float) -> Range:
    """On-site water (per IT kWh, so energy ÷ PUE) plus electricity-generation water."""
    return Range(
        energy_kwh.low * (datacenter_wue.low / pue.low + grid_water_l_per_kwh),
        energy_kwh.central * (datacenter_wue.central / pue.central + grid_water_l_per_kwh),
        energy_kwh.high * (datacenter_wue.high / pue.high + grid_water_l_per_kwh),
    )


def _usage_kgco2e(energy_kwh: Range, location: Location) -> Range:
    return energy_kwh * (location.grid_gco2e_per_kwh / 1000)


def prefill_equivalent_tokens(input_tokens: float) -> float:
    """Input tokens expressed as the number of output tokens that cost the same energy."""
    return input_tokens * PREFILL_RATIO * (1 + input_tokens / PREFILL_QUADRATIC_TOKENS)


PREFILL_FACTOR = factor(
    "prefill",
    f"{PREFILL_RATIO:.3f} × (1 + input tokens / {PREFILL_QUADRATIC_TOKENS:,})",
    "output-token equivalents",
    "Our model, calibrated on Epoch AI, 'How much energy does ChatGPT use?' (2025): GPT-4o ≈0.3 Wh per "
    "query, ≈2.5 Wh with 10k input tokens, ≈40 Wh with 100k",
    2025,
)
BATCH_FACTOR = factor(
    "batch_size",
    f"{BATCH_SIZE_LOW_IMPACT} / {BATCH_SIZE_CENTRAL} / {BATCH_SIZE_HIGH_IMPACT}",
    "concurrent requests",
    f"EcoLogits {ECOLOGITS_VERSION} methodology (central: 64); bounds are our assumption",
    2025,
)


def text_footprint(
    *,
    model: TextModel,
    output_tokens: float,
    input_tokens: float = 0,
    requests: float = 1,
    iterations: float = 1,
    location: Location,
    datacenter: Datacenter,
) -> Footprint:
    """Text generation: EcoLogits per generated token, plus prefill, × tokens × requests × iterations."""
    check(
        {
            "output_tokens": output_tokens,
            "input_tokens": input_tokens,
            "requests": requests,
            "iterations": iterations,
            "active_params_b": model.active_params_b[1],
            "total_params_b": model.total_params_b[1],
        }
    )
    tokens = (output_tokens + prefill_equivalent_tokens(input_tokens)) * requests * iterations
    (active_min, active_max), (total_min, total_max) = model.active_params_b, model.total_params_b
    pue = datacenter.pue
    bounds = (
        llm_per_token(active_min, total_min, BATCH_SIZE_LOW_IMPACT, pue.low),
        llm_per_token(
            (active_min + active_max) / 2, (total_min + total_max) / 2, BATCH_SIZE_CENTRAL, pue.central
        ),
        llm_per_token(active_max, total_max, BATCH_SIZE_HIGH_IMPACT, pue.high),
    )
    energy = Range(*(bound.energy_kwh * tokens for bound in bounds))
    embodied = Range(*(bound.embodied_kgco2e * tokens for bound in bounds))
    return Footprint(
        kind="text",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=embodied,
        water_l=_water_l(energy, pue, datacenter.wue_l_per_kwh, location.water_l_per_kwh),
        factors=(*model.factors, BATCH_FACTOR, PREFILL_FACTOR, *datacenter.factors, *location.factors),
        inputs={
            "model": model.slug,
            "active_params_b": list(model.active_params_b),
            "total_params_b": list(model.total_params_b),
            "output_tokens": output_tokens,
            "input_tokens": input_tokens,
            "requests": requests,
            "iterations": iterations,
            "location": {"kind": location.kind, "code": location.code, "label": location.label},
            "grid_gco2e_per_kwh": location.grid_gco2e_per_kwh,
            "pue": pue.as_dict(),
        },
    )


# Accelerator-only measurements leave out the host CPU and memory, idle capacity kept for traffic
# peaks and other serving overhead. Google measured both boundaries for the same prompts: 0.10 Wh
# (active TPU only) and 0.24 Wh (full serving stack, including PUE 1.09), hence this ratio.
SERVING_OVERHEAD_RATIO = 0.24 / (0.10 * 1.09)
SERVING_OVERHEAD_FACTOR = factor(
    "serving_overhead",
    round(SERVING_OVERHEAD_RATIO, 2),
    "×",
    "Google, 'Measuring the environmental impact of delivering AI at Google scale', arXiv 2508.15734: "
    "median Gemini prompt 0.10 Wh (active TPU) vs 0.24 Wh (full serving, PUE 1.09)",
    2025,
)


def image_energy_wh_per_image(model: ImageModel, *, width: int, height: int, steps: int) -> Range:
    """Energy of one image before PUE, scaled from each published measurement.

    Each measurement is scaled linearly by pixels and by denoising steps (one network pass per step).
    An accelerator-only measurement gives the low end as published and the high end with the serving
    overhead measured by Google; a whole-server measurement counts as it is. Low and high are the
    lowest and highest of these; central is their geometric mean.
    """
    low, high = math.inf, 0.0
    for m in model.measurements:
        scaled = m.energy_wh_per_image * (width * height) / (m.width * m.height) * steps / m.steps
        low = min(low, scaled)
        high = max(high, scaled * SERVING_OVERHEAD_RATIO if m.boundary == "accelerator" else scaled)
    return Range(low, math.sqrt(low * high), high)


def image_footprint(
    *,
    model: ImageModel,
    images: float = 1,
    iterations: float = 1,
    width: int | None = None,
    height: int | None = None,
    steps: int | None = None,
    location: Location,
    datacenter: Datacenter,
) -> Footprint:
    """Image generation: published energy per image, scaled by pixels and steps, × PUE × grid."""
    if not model.measurements:
        raise InvalidInput({"model": f"{model.name} has no published energy measurement"})
    reference = model.measurements[0]
    width = reference.width if width is None else width
    height = reference.height if height is None else height
    steps = reference.steps if steps is None else steps
    check({"images": images, "iterations": iterations, "width": width, "height": height, "steps": steps})
    count = images * iterations
    it_energy_kwh = image_energy_wh_per_image(model, width=width, height=height, steps=steps) * (count / 1000)
    pue = datacenter.pue
    energy = Range(
        it_energy_kwh.low * pue.low, it_energy_kwh.central * pue.central, it_energy_kwh.high * pue.high
    )
    # Embodied: GPU time inferred from energy ÷ the measured GPU's power, × its embodied share per hour.
    gpu = reference.gpu
    embodied = it_energy_kwh * (gpu.embodied_kgco2e_per_hour / (gpu.power_w / 1000))
    factors = tuple(
        factor(
            "image_energy",
            m.energy_wh_per_image,
            "Wh",
            f"{m.source} ({m.description})",
            m.year,
            model=model.name,
            width=m.width,
            height=m.height,
            steps=m.steps,
        )
        for m in model.measurements
    )
    if any(m.boundary == "accelerator" for m in model.measurements):
        factors += (SERVING_OVERHEAD_FACTOR,)
    return Footprint(
        kind="image",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=embodied,
        water_l=_water_l(energy, pue, datacenter.wue_l_per_kwh, location.water_l_per_kwh),
        factors=(*factors, *gpu.factors, *datacenter.factors, *location.factors),
        inputs={
            "model": model.slug,
            "images": images,
            "iterations": iterations,
            "width": width,
            "height": height,
            "steps": steps,
            "location": {"kind": location.kind, "code": location.code, "label": location.label},
            "grid_gco2e_per_kwh": location.grid_gco2e_per_kwh,
            "pue": pue.as_dict(),
        },
    )


def training_footprint(
    *,
    gpu_hours: float,
    gpu_power_w: float,
    gpu: Gpu,
    pue: Range,
    datacenter_wue_l_per_kwh: Range,
    location: Location,
    include_embodied: bool = True,
    extra_factors: Iterable[Factor] = (),
) -> Footprint:
    """Training or fine-tuning: GPU-hours × GPU power × PUE × grid, + the GPUs' embodied share."""
    check({"gpu_hours": gpu_hours, "gpu_power_w": gpu_power_w, "pue": pue.high})
    it_energy_kwh = gpu_hours * gpu_power_w / 1000
    energy = pue * it_energy_kwh
    embodied = Range.exact(gpu_hours * gpu.embodied_kgco2e_per_hour) if include_embodied else ZERO
    return Footprint(
        kind="training",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=embodied,
        water_l=_water_l(energy, pue, datacenter_wue_l_per_kwh, location.water_l_per_kwh),
        factors=(*extra_factors, *(gpu.factors if include_embodied else ()), *location.factors),
        inputs={
            "gpu_hours": gpu_hours,
            "gpu_power_w": gpu_power_w,
            "gpu_type": gpu.slug,
            "pue": pue.as_dict(),
            "include_embodied": include_embodied,
            "location": {"kind": location.kind, "code": location.code, "label": location.label},
            "grid_gco2e_per_kwh": location.grid_gco2e_per_kwh,
        },
    )


# --- The four levers (defined in estimator.levers) -----------------------------------------------


@dataclass(frozen=True)
class Workload:
    """A text workload as the four levers see it. `models` splits the tasks: ((model, share), ...)."""

    models: tuple[tuple[TextModel, float], ...]
    location: Location
    datacenter: Datacenter
    output_tokens: float
    iterations: float


@dataclass(frozen=True)
class Scenario:
    baseline: Footprint
    improved: Footprint
    levers: tuple[LeverSaving, ...]
    assumptions: tuple[str, ...]

    @property
    def ratio(self) -> float:
        improved = self.improved.emissions_kgco2e.central
        return self.baseline.emissions_kgco2e.central / improved if improved else math.inf

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "scenario",
            "baseline": self.baseline.as_dict(),
            "improved": self.improved.as_dict(),
            "ratio": self.ratio,
            "levers": [lever.as_dict() for lever in self.levers],
            "lever_method": SHAPLEY_METHOD,
            "assumptions": list(self.assumptions),
            "estimator_version": ESTIMATOR_VERSION,
        }


def footprint_sum(parts: list[Footprint], *, kind: str, inputs: dict[str, Any]) -> Footprint:
    """Footprints added together, keeping each factor once."""
    factors: dict[tuple[str, str], Factor] = {}
    for part in parts:
        for factor in part.factors:
            factors.setdefault((factor.name, str(factor.value)), factor)
    total = parts[0]
    for part in parts[1:]:
        total = replace(
            total,
            energy_kwh=total.energy_kwh + part.energy_kwh,
            usage_emissions_kgco2e=total.usage_emissions_kgco2e + part.usage_emissions_kgco2e,
            embodied_emissions_kgco2e=total.embodied_emissions_kgco2e + part.embodied_emissions_kgco2e,
            water_l=total.water_l + part.water_l,
        )
    return replace(total, kind=kind, factors=tuple(factors.values()), inputs={**parts[0].inputs, **inputs})


def _mixed(baseline: Workload, improved: Workload, switched: frozenset[str]) -> Workload:
    return Workload(
        models=improved.models if MODEL in switched else baseline.models,
        location=improved.location if REGION in switched else baseline.location,
        datacenter=improved.datacenter if REGION in switched else baseline.datacenter,
        output_tokens=improved.output_tokens if OUTPUT_SIZE in switched else baseline.output_tokens,
        iterations=improved.iterations if ITERATIONS in switched else baseline.iterations,
    )


def scenario(
    *,
    baseline: Workload,
    improved: Workload,
    tasks: float,
    input_tokens: float = 0,
    fixed: Footprint | None = None,
    assumptions: Iterable[str] = (),
) -> Scenario:
    """Baseline vs improved workload, and each lever's share of the saving.

    A lever's saving is its Shapley value: its marginal saving averaged over every order in which the
    levers could be applied (here, over the 16 combinations of switched levers), so the savings add up
    to the total and do not depend on an arbitrary order. `fixed` (e.g. training) is added to both sides
    and no lever changes it.
    """
    check({"tasks": tasks})
    for workload in (baseline, improved):
        if not workload.models or abs(sum(share for _, share in workload.models) - 1) > 1e-9:
            raise InvalidInput({"models": "shares must add up to 1"})

    def run(workload: Workload) -> Footprint:
        parts = [
            text_footprint(
                model=model,
                output_tokens=workload.output_tokens,
                input_tokens=input_tokens,
                requests=tasks * share,
                iterations=workload.iterations,
                location=workload.location,
                datacenter=workload.datacenter,
            )
            for model, share in workload.models
        ]
        if fixed is not None:
            parts.append(fixed)
        return footprint_sum(
            parts, kind="text", inputs={"models": [[model.slug, share] for model, share in workload.models]}
        )

    split = lever_split(lambda switched: run(_mixed(baseline, improved, switched)).emissions_kgco2e.central)
    return Scenario(
        baseline=run(baseline),
        improved=run(improved),
        levers=split.levers,
        assumptions=tuple(assumptions),
    )
