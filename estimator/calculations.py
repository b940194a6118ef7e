"""The footprint method: pure Python, no Django. Every result is low / central / high.

Boundaries and conventions (shown to users in the factor tables and the method page):
- Emissions are location-based by default (electricity × the grid's average intensity where it is used);
  `basis="market"` uses what the operator publishes after its clean-energy purchases instead. Usage
  (electricity) and embodied (manufacturing of the hardware, shared over its lifetime) are reported
  separately; `emissions_kgco2e` is their sum.
- Energy includes the data centre's overhead (PUE).
- Water is split: on-site (data-centre cooling, WUE × IT energy) and off-site (water consumed to generate
  the electricity, the grid's water factor × energy), as in EcoLogits; `water_l` is their sum.
- Scope: inference (running the model) by default; `estimator.lifecycle` adds each request's share of the
  model's training (`scope="lifecycle"`).
- Low and high combine the optimistic and the pessimistic end of every uncertain input (model size for
  closed models, how the model is served, PUE and WUE, the spread between published measurements): they
  are bounds, not a confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from estimator.ecologits_adapter import (
    ECOLOGITS_SERVING,
    ECOLOGITS_VERSION,
    RequestImpacts,
    Serving,
    llm_request_impacts,
)
from estimator.levers import ITERATIONS, MODEL, OUTPUT_SIZE, REGION, SHAPLEY_METHOD, LeverSaving, lever_split

ESTIMATOR_VERSION = "2.1.0"

# How a text model is served: the band between an efficient and a wasteful deployment, each factor in
# EcoLogits' own terms (its formula, other inputs). Sources on the method page and in SERVING_FACTORS.
# - batch size: EcoLogits assumes 64; production engines batch up to 256 sequences by default (vLLM
#   `max_num_seqs`); a lightly loaded server runs 32.
# - weights: EcoLogits assumes 16 bits; 2025 deployments serve in FP8 (DeepSeek-V3, Llama 4 release
#   FP8 weights; H100/H200/B200 run FP8 natively), halving the GPUs that hold a model.
# - GPU memory: 80 GB (H100) as EcoLogits; 141 GB (H200) at the efficient end.
SERVING_LOW_IMPACT = Serving(batch_size=256, quantization_bits=8, gpu_memory_gb=141)
SERVING_CENTRAL = Serving(batch_size=128, quantization_bits=8, gpu_memory_gb=80)
SERVING_HIGH_IMPACT = Serving(batch_size=32, quantization_bits=16, gpu_memory_gb=80)
# Idle machines provisioned for peaks and failover: 10 % of Google's full serving energy against 83 % for
# active machines (accelerators 58 %, host CPU and memory 25 %), Google arXiv 2508.15734. None at the
# efficient end.
IDLE_CAPACITY = (1.0, 1 + 10 / 83, 1 + 10 / 83)

# Prefill (input tokens), which EcoLogits does not model. An input token costs a fraction of an output
# token, growing with context length as attention cost grows. Calibrated on Epoch AI's estimates for
# GPT-4o: ≈0.3 Wh for a typical query, ≈2.5 Wh with 10k input tokens, ≈40 Wh with 100k.
PREFILL_RATIO = 1 / 3
PREFILL_QUADRATIC_TOKENS = 100_000

# The longest context window a model of the catalogue publishes (Meta, Llama 4 Scout: 10M tokens): the
# input limit of a model whose window is not known.
LONGEST_CONTEXT_TOKENS = 10_000_000

# Plausibility ceiling on one estimate's energy: a tenth of all data centres' electricity in a year
# (IEA, "Energy and AI", 2025: ≈415 TWh in 2024). Beyond it a request is a typing mistake.
CEILING_KWH = 41.5e9

# Input limits: outside these a number is a typing mistake, not a workload.
LIMITS: dict[str, tuple[float, float]] = {
    "output_tokens": (1, 10_000_000),
    "input_tokens": (0, LONGEST_CONTEXT_TOKENS),
    "reasoning_tokens": (0, 10_000_000),
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
    "lifetime_requests": (1, 1e15),
}
SCOPES = ("inference", "lifecycle")
BASES = ("location", "market")


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


def check(values: Mapping[str, object]) -> None:
    """Refuse NaN, infinities, non-numbers (JSON and forms pass anything) and numbers outside LIMITS
    (None means not given)."""
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
    "weight_bits": "bits per model weight when served (low / central / high impact)",
    "gpu_memory": "memory of one serving GPU (low / central / high impact)",
    "idle_capacity": "idle serving capacity kept for peaks, × active energy (low / central / high impact)",
    "generation_speed": "{model}: generation speed and time to first token",
    "context_window": "{model}: context window",
    "server_embodied": "host server embodied emissions (low / central / high impact)",
    "hardware_lifetime": "hardware lifetime (low / central / high impact)",
    "training_power_share": "GPU draw under training load (low / central / high impact)",
    "market_factor": "market-based electricity emissions, {where}",
    "prefill": "input token cost, as a share of an output token",
    "serving_overhead": "full serving stack ÷ accelerator-only energy (before PUE)",
    "image_pixels": "image size: energy × (pixel ratio)^exponent (low / central / high)",
    "image_steps": "denoising steps: energy scales",
    "image_campaign_spread": "one measurement campaign: spread between campaigns applied (low ÷, high ×)",
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
    "training_published": "{model}: training as published",
    "training_tokens": "{model}: training tokens",
    "training_utilisation": "training: effective use of the GPUs' peak (low / central / high impact)",
    "training_grid": "training electricity, {where}",
    "lifetime_requests": "requests served in the model's lifetime",
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
    """Where the electricity comes from: a cloud region, a country's mix, a provider's or a given intensity.

    `grid_gco2e_per_kwh` is the basis the estimate uses (location-based unless `basis` says market).
    """

    kind: str  # "region", "country", "provider" or "grid"
    code: str
    label: str
    grid_gco2e_per_kwh: float
    water_l_per_kwh: float  # consumed to generate one kWh
    factors: tuple[Factor, ...]
    basis: str = "location"


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
    tps: float | None = None  # generation speed per request (EcoLogits `deployment.tps`)
    ttft_s: float | None = None  # time to first token (EcoLogits `deployment.ttft`)
    context_window_tokens: int | None = None


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
    campaign: str = ""  # who measured it (AI Energy Score, ML.ENERGY v3, ...); empty: its source


@dataclass(frozen=True)
class ImageModel:
    slug: str
    name: str
    measurements: tuple[ImageMeasurement, ...]


WATER_SCOPE = "on-site cooling (water_onsite_l) + electricity generation (water_offsite_l)"


@dataclass(frozen=True)
class Footprint:
    kind: str
    energy_kwh: Range
    usage_emissions_kgco2e: Range
    embodied_emissions_kgco2e: Range
    water_onsite_l: Range
    water_offsite_l: Range
    factors: tuple[Factor, ...]
    inputs: dict[str, Any] = field(default_factory=dict)
    basis: str = "location"
    scope: str = "inference"  # or "lifecycle": with each request's share of the model's training

    @property
    def emissions_kgco2e(self) -> Range:
        return self.usage_emissions_kgco2e + self.embodied_emissions_kgco2e

    @property
    def water_l(self) -> Range:
        return self.water_onsite_l + self.water_offsite_l

    def scaled(self, factor: float, **inputs: Any) -> Footprint:
        return replace(
            self,
            energy_kwh=self.energy_kwh * factor,
            usage_emissions_kgco2e=self.usage_emissions_kgco2e * factor,
            embodied_emissions_kgco2e=self.embodied_emissions_kgco2e * factor,
            water_onsite_l=self.water_onsite_l * factor,
            water_offsite_l=self.water_offsite_l * factor,
            inputs={**self.inputs, **inputs},
        )

    def __add__(self, other: Footprint) -> Footprint:
        return replace(
            self,
            energy_kwh=self.energy_kwh + other.energy_kwh,
            usage_emissions_kgco2e=self.usage_emissions_kgco2e + other.usage_emissions_kgco2e,
            embodied_emissions_kgco2e=self.embodied_emissions_kgco2e + other.embodied_emissions_kgco2e,
            water_onsite_l=self.water_onsite_l + other.water_onsite_l,
            water_offsite_l=self.water_offsite_l + other.water_offsite_l,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "energy_kwh": self.energy_kwh.as_dict(),
            "emissions_kgco2e": self.emissions_kgco2e.as_dict(),
            "usage_emissions_kgco2e": self.usage_emissions_kgco2e.as_dict(),
            "embodied_emissions_kgco2e": self.embodied_emissions_kgco2e.as_dict(),
            "water_l": self.water_l.as_dict(),
            "water_onsite_l": self.water_onsite_l.as_dict(),
            "water_offsite_l": self.water_offsite_l.as_dict(),
            "water_scope": WATER_SCOPE,
            "basis": self.basis,
            "emissions_scope": f"{self.basis}-based",
            "scope": self.scope,
            "estimator_version": ESTIMATOR_VERSION,
            "factors": [factor.as_dict() for factor in self.factors],
            "inputs": self.inputs,
        }


def _bounds(function: Callable[[int], float]) -> Range:
    return Range(function(0), function(1), function(2))


def _times(a: Range, b: Range) -> Range:
    return Range(a.low * b.low, a.central * b.central, a.high * b.high)


def _onsite_water(it_energy_kwh: Range, wue_l_per_kwh: Range) -> Range:
    """Data-centre cooling water: WUE × IT energy (before PUE), as in EcoLogits."""
    return _times(it_energy_kwh, wue_l_per_kwh)


def _usage_kgco2e(energy_kwh: Range, location: Location) -> Range:
    return energy_kwh * (location.grid_gco2e_per_kwh / 1000)


def _check_ceiling(energy_kwh: Range, field: str) -> None:
    """Refuse an estimate whose high energy passes the plausibility ceiling (on the count's field)."""
    if energy_kwh.high > CEILING_KWH:
        raise InvalidInput(
            {
                field: Problem(
                    "ceiling",
                    f"the estimate passes {CEILING_KWH / 1e9:g} TWh, a tenth of all data centres' electricity "
                    "in a year (IEA 2025): check the counts",
                    0,
                    CEILING_KWH,
                )
            }
        )


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
SERVING_FACTORS = (
    factor(
        "batch_size",
        f"{SERVING_LOW_IMPACT.batch_size} / {SERVING_CENTRAL.batch_size} / {SERVING_HIGH_IMPACT.batch_size}",
        "concurrent requests",
        f"EcoLogits {ECOLOGITS_VERSION} assumes {ECOLOGITS_SERVING.batch_size}; vLLM's default ceiling is 256 "
        "concurrent sequences (engine argument max_num_seqs); the central value is our assumption",
        2025,
    ),
    factor(
        "weight_bits",
        f"{SERVING_LOW_IMPACT.quantization_bits} / {SERVING_CENTRAL.quantization_bits} / "
        f"{SERVING_HIGH_IMPACT.quantization_bits}",
        "bits per weight",
        f"EcoLogits {ECOLOGITS_VERSION} assumes 16; FP8 serving: DeepSeek-V3 technical report "
        "(arXiv 2412.19437), Meta Llama 4 Maverick FP8 weights (2025)",
        2025,
    ),
    factor(
        "gpu_memory",
        f"{SERVING_LOW_IMPACT.gpu_memory_gb:g} / {SERVING_CENTRAL.gpu_memory_gb:g} / "
        f"{SERVING_HIGH_IMPACT.gpu_memory_gb:g}",
        "GB",
        "NVIDIA H100 SXM (80 GB) and H200 (141 GB) datasheets",
        2025,
    ),
    factor(
        "idle_capacity",
        " / ".join(f"{value:.2f}" for value in IDLE_CAPACITY),
        "×",
        "Google, 'Measuring the environmental impact of delivering AI at Google scale', arXiv 2508.15734: "
        "idle machines 10 % of the full serving energy, active machines 83 %",
        2025,
    ),
)


@dataclass(frozen=True, slots=True)
class TextBound:
    """One end of a text estimate: the model's size, the data centre and how the model is served."""

    active_params_b: float
    total_params_b: float
    pue: float
    wue_l_per_kwh: float
    serving: Serving
    idle_capacity: float = 1.0


def text_bounds(model: TextModel, datacenter: Datacenter) -> tuple[TextBound, TextBound, TextBound]:
    """Low impact, central, high impact: each uncertain input at its end (see the module docstring)."""
    (active_min, active_max), (total_min, total_max) = model.active_params_b, model.total_params_b
    pue, wue = datacenter.pue, datacenter.wue_l_per_kwh
    return (
        TextBound(active_min, total_min, pue.low, wue.low, SERVING_LOW_IMPACT, IDLE_CAPACITY[0]),
        TextBound(
            (active_min + active_max) / 2,
            (total_min + total_max) / 2,
            pue.central,
            wue.central,
            SERVING_CENTRAL,
            IDLE_CAPACITY[1],
        ),
        TextBound(active_max, total_max, pue.high, wue.high, SERVING_HIGH_IMPACT, IDLE_CAPACITY[2]),
    )


def ecologits_bounds(model: TextModel, datacenter: Datacenter) -> tuple[TextBound, TextBound]:
    """EcoLogits' own min and max for a model (its serving assumptions): the parity check's reference."""
    (active_min, active_max), (total_min, total_max) = model.active_params_b, model.total_params_b
    pue, wue = datacenter.pue, datacenter.wue_l_per_kwh
    return (
        TextBound(active_min, total_min, pue.low, wue.low, ECOLOGITS_SERVING),
        TextBound(active_max, total_max, pue.high, wue.high, ECOLOGITS_SERVING),
    )


@dataclass(frozen=True, slots=True)
class RequestFootprint:
    """One text request at one bound: energy with PUE, embodied, on-site and off-site water."""

    energy_kwh: float
    embodied_kgco2e: float
    water_onsite_l: float
    water_offsite_l: float


def text_request(
    model: TextModel, bound: TextBound, generated_tokens: float, location: Location
) -> RequestFootprint:
    """EcoLogits' impacts of one request generating `generated_tokens`, at one bound."""
    impacts: RequestImpacts = llm_request_impacts(
        bound.active_params_b, bound.total_params_b, bound.serving, model.tps, model.ttft_s
    )
    it_energy = (
        impacts.it_energy_kwh_per_token * generated_tokens + impacts.it_energy_kwh_per_request
    ) * bound.idle_capacity
    energy = it_energy * bound.pue
    return RequestFootprint(
        energy_kwh=energy,
        embodied_kgco2e=impacts.embodied_kgco2e_per_token * generated_tokens
        + impacts.embodied_kgco2e_per_request,
        water_onsite_l=it_energy * bound.wue_l_per_kwh,
        water_offsite_l=energy * location.water_l_per_kwh,
    )


def text_footprint(
    *,
    model: TextModel,
    output_tokens: float,
    input_tokens: float = 0,
    reasoning_tokens: float = 0,
    requests: float = 1,
    iterations: float = 1,
    location: Location,
    datacenter: Datacenter,
    recorded: bool = False,
) -> Footprint:
    """Text generation: EcoLogits per request (output and hidden reasoning tokens, plus prefill for the
    input), at the low-impact, central and high-impact serving, × requests × iterations.

    `recorded`: counts a provider or gateway reported (usage records), not inputs someone typed. The
    context-window and plausibility refusals guard typed inputs; recorded usage happened, so it is
    estimated as reported (a context longer than the catalogue's window means the window is out of date)."""
    check(
        {
            "output_tokens": output_tokens,
            "input_tokens": input_tokens,
            "reasoning_tokens": reasoning_tokens,
            "requests": requests,
            "iterations": iterations,
            "active_params_b": model.active_params_b[1],
            "total_params_b": model.total_params_b[1],
        }
    )
    window = model.context_window_tokens or LONGEST_CONTEXT_TOKENS
    if input_tokens > window and not recorded:
        raise InvalidInput(
            {
                "input_tokens": Problem(
                    "context", f"{model.name} reads at most {window:,} tokens (its context window)", 0, window
                )
            }
        )
    generated = output_tokens + reasoning_tokens + prefill_equivalent_tokens(input_tokens)
    count = requests * iterations
    ends = [text_request(model, bound, generated, location) for bound in text_bounds(model, datacenter)]
    energy = _bounds(lambda i: ends[i].energy_kwh * count)
    if not recorded:
        _check_ceiling(energy, "requests")
    return Footprint(
        kind="text",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=_bounds(lambda i: ends[i].embodied_kgco2e * count),
        water_onsite_l=_bounds(lambda i: ends[i].water_onsite_l * count),
        water_offsite_l=_bounds(lambda i: ends[i].water_offsite_l * count),
        factors=(*model.factors, *SERVING_FACTORS, PREFILL_FACTOR, *datacenter.factors, *location.factors),
        basis=location.basis,
        inputs={
            "model": model.slug,
            "active_params_b": list(model.active_params_b),
            "total_params_b": list(model.total_params_b),
            "output_tokens": output_tokens,
            "input_tokens": input_tokens,
            "reasoning_tokens": reasoning_tokens,
            "requests": requests,
            "iterations": iterations,
            "location": {"kind": location.kind, "code": location.code, "label": location.label},
            "grid_gco2e_per_kwh": location.grid_gco2e_per_kwh,
            "pue": datacenter.pue.as_dict(),
        },
    )


# Images. Each model has published measurements of its energy per image at stated conditions (size,
# denoising steps, GPU), from one or more measurement campaigns. The estimate scales each measurement to
# the conditions asked, as the published measurements show:
# - steps: linearly. ML.ENERGY v2 measured SDXL at 1,307 J (30 steps) and 2,153 J (50 steps), SD 2.1 at
#   531 J and 871 J on an A100: ×1.65 and ×1.64 for ×1.67 steps (text encoder and decoder ≈ 2 % of the
#   50-step energy), so linear in steps within 2 %.
# - pixels: energy × (pixels ratio)^exponent. Bertazzini et al. 2025 ("The Hidden Cost of an Image",
#   arXiv 2506.17016, 17 models) measured ×1.3 to ×4.7 when doubling the resolution (each side, 4× the
#   pixels): exponents log4(1.3) = 0.19 to log4(4.7) = 1.12, their geometric middle (×2.47 per doubling,
#   0.65) in the centre. Smaller images use the other end (a low exponent makes a smaller image cost more).
# Central: the median of the model's scaled measurements (the geometric mean of the middle two for an even
# count), so at a campaign's own conditions the centre is a measurement, never a fit. Low and high: the
# lowest and highest scaled measurement, so the band is the spread between campaigns (their hardware and
# boundary: AI Energy Score and ML.ENERGY measure the GPU alone, Luccioni et al. GPU, CPU and memory).
# A model measured by one campaign only gets the spread that the models measured by several campaigns show.
RESOLUTION_DOUBLING = (1.3, 4.7)
PIXEL_EXPONENT = Range(
    math.log(RESOLUTION_DOUBLING[0], 4),
    math.log(math.sqrt(RESOLUTION_DOUBLING[0] * RESOLUTION_DOUBLING[1]), 4),
    math.log(RESOLUTION_DOUBLING[1], 4),
)
# The spread between campaigns, from the models measured by several (estimator.reference_data: SDXL by
# AI Energy Score, ML.ENERGY v2 and Luccioni et al.; SD 2.1 by AI Energy Score and ML.ENERGY v2): the
# geometric mean over those models of central ÷ lowest (2.01) and highest ÷ central (3.21).
# tests/estimator/test_images.py recomputes them from the reference data.
IMAGE_CAMPAIGN_SPREAD = (2.01, 3.21)
IMAGE_FACTORS = (
    factor(
        "image_pixels",
        " / ".join(
            f"{value:.2f}" for value in (PIXEL_EXPONENT.low, PIXEL_EXPONENT.central, PIXEL_EXPONENT.high)
        ),
        "exponent of the pixel ratio",
        "Bertazzini et al., 'The Hidden Cost of an Image', arXiv 2506.17016 (2025): ×1.3 to ×4.7 energy when "
        "doubling the resolution; the centre is their geometric middle",
        2025,
    ),
    factor(
        "image_steps",
        "linear",
        "",
        "ML.ENERGY Leaderboard v2 (2024), SDXL and SD 2.1 on an A100 at 30 and 50 steps: energy ×1.65 and "
        "×1.64 for ×1.67 steps",
        2024,
    ),
)
CAMPAIGN_SPREAD_FACTOR = factor(
    "image_campaign_spread",
    f"÷{IMAGE_CAMPAIGN_SPREAD[0]:g} / ×{IMAGE_CAMPAIGN_SPREAD[1]:g}",
    "",
    "One measurement campaign only: the low and high ends get the spread between campaigns of the models "
    "measured by several (SDXL: AI Energy Score, ML.ENERGY v2, Luccioni et al.; SD 2.1: AI Energy Score, "
    "ML.ENERGY v2), geometric mean",
    2025,
)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return math.sqrt(ordered[middle - 1] * ordered[middle])


def image_campaigns(model: ImageModel) -> set[str]:
    return {m.campaign or m.source for m in model.measurements}


def image_energy_wh_per_image(model: ImageModel, *, width: int, height: int, steps: int) -> Range:
    """IT energy of one image (before PUE): each measurement scaled to the size and steps asked (see above);
    the median in the centre, the lowest and highest at the ends, widened for a single campaign."""
    lows, centrals, highs = [], [], []
    for m in model.measurements:
        base = m.energy_wh_per_image * steps / m.steps
        ratio = (width * height) / (m.width * m.height)
        ends = (base * ratio**PIXEL_EXPONENT.low, base * ratio**PIXEL_EXPONENT.high)
        lows.append(min(ends))
        highs.append(max(ends))
        centrals.append(base * ratio**PIXEL_EXPONENT.central)
    low, high = min(lows), max(highs)
    if len(image_campaigns(model)) < 2:
        low, high = low / IMAGE_CAMPAIGN_SPREAD[0], high * IMAGE_CAMPAIGN_SPREAD[1]
    return Range(low, _median(centrals), high)


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
    recorded: bool = False,
) -> Footprint:
    """Image generation: published energy per image, scaled by pixels and steps, × PUE × grid.
    `recorded`: reported usage, not typed inputs (no plausibility refusal; see text_footprint)."""
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
    energy = _times(it_energy_kwh, pue)
    if not recorded:
        _check_ceiling(energy, "images")
    # Embodied: GPU time inferred from energy ÷ the measured GPU's power, × the GPU's and its share of the
    # host server's manufacturing per hour (as for training).
    gpu = reference.gpu
    embodied = _times(it_energy_kwh * (1 / (gpu.power_w / 1000)), training_embodied_kgco2e_per_gpu_hour(gpu))
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
    factors += IMAGE_FACTORS
    if len(image_campaigns(model)) < 2:
        factors += (CAMPAIGN_SPREAD_FACTOR,)
    factors += (*SERVER_FACTORS,)
    return Footprint(
        kind="image",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=embodied,
        water_onsite_l=_onsite_water(it_energy_kwh, datacenter.wue_l_per_kwh),
        water_offsite_l=energy * location.water_l_per_kwh,
        factors=(*factors, *gpu.factors[:1], *datacenter.factors, *location.factors),
        basis=location.basis,
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


# Training hardware's embodied share per GPU-hour: the GPU plus its share of the host server (8 GPUs and
# 5,700 kgCO2e per server, EcoLogits' figures, the same as inference), over the hardware's lifetime:
# 6 years (cloud servers' accounting life until 2024), 5 years (AWS for AI servers from 2025),
# 3 years (EcoLogits).
SERVER_GPUS = 8
SERVER_EMBODIED_KGCO2E = 5_700.0
HARDWARE_LIFETIME_YEARS = Range(6, 5, 3)  # low impact = longest life
# GPU draw under training load, as a share of the power given (the rated power by default): measured
# system power runs up to 10 % above the rated GPU power (Patterson et al. 2021, arXiv 2104.10350: 330 W
# per 300 W V100 for GPT-3); GPUs also run below it between steps (-20 %, our assumption).
TRAINING_POWER_SHARE = Range(0.8, 1.0, 1.1)
SERVER_FACTORS = (
    factor(
        "server_embodied",
        SERVER_EMBODIED_KGCO2E,
        "kgCO2e per 8-GPU server",
        f"EcoLogits {ECOLOGITS_VERSION} (server embodied impact, the same figure as for inference)",
        2025,
    ),
    factor(
        "hardware_lifetime",
        "6 / 5 / 3",
        "years",
        "Low: 6 years, the cloud providers' server life until 2024; central: 5 years, AWS for AI servers "
        f"from 2025 (2024 annual report); high: EcoLogits {ECOLOGITS_VERSION} (3 years)",
        2025,
    ),
)
TRAINING_POWER_FACTOR = factor(
    "training_power_share",
    "0.8 / 1 / 1.1",
    "× the power given",
    "High: Patterson et al. 2021, arXiv 2104.10350 (measured 330 W per 300 W V100 for GPT-3, host included); "
    "low: our assumption for GPUs drawing below their rating between steps",
    2021,
)


def training_embodied_kgco2e_per_gpu_hour(gpu: Gpu) -> Range:
    """A training GPU-hour's share of the GPU's and its host server's manufacturing."""
    per_gpu = gpu.embodied_kgco2e + SERVER_EMBODIED_KGCO2E / SERVER_GPUS
    return HARDWARE_LIFETIME_YEARS.map(lambda years: per_gpu / (years * 8760))


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
    """Training or fine-tuning: GPU-hours × GPU power × PUE × grid, + the GPUs' and servers' embodied share."""
    check({"gpu_hours": gpu_hours, "gpu_power_w": gpu_power_w, "pue": pue.high})
    it_energy_kwh = TRAINING_POWER_SHARE * (gpu_hours * gpu_power_w / 1000)
    energy = _times(it_energy_kwh, pue)
    _check_ceiling(energy, "gpu_hours")
    embodied = training_embodied_kgco2e_per_gpu_hour(gpu) * gpu_hours if include_embodied else ZERO
    return Footprint(
        kind="training",
        energy_kwh=energy,
        usage_emissions_kgco2e=_usage_kgco2e(energy, location),
        embodied_emissions_kgco2e=embodied,
        water_onsite_l=_onsite_water(it_energy_kwh, datacenter_wue_l_per_kwh),
        water_offsite_l=energy * location.water_l_per_kwh,
        basis=location.basis,
        factors=(
            *extra_factors,
            TRAINING_POWER_FACTOR,
            *((*gpu.factors[:1], *SERVER_FACTORS) if include_embodied else ()),
            *location.factors,
        ),
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
        total = total + part
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
