"""The life-cycle scope: a model's training shared out over the requests it serves. Pure Python, no Django.

Mistral AI's life-cycle analysis of Mistral Large 2 (with Carbone 4 and ADEME, July 2025) counts training
and 18 months of use together; per request, `scope="lifecycle"` adds the model's whole training footprint
(electricity, hardware manufacturing, water) divided by the requests the model is expected to serve in
its lifetime. What training cost comes from the model card or paper where one publishes it (GPU-hours and
emissions); otherwise it is derived from the model's size and its training tokens:

    FLOPs = 6 × active parameters × training tokens (the usual estimate for a forward and backward pass)
    GPU-hours = FLOPs ÷ (H100 peak BF16 FLOP/s × effective utilisation) ÷ 3,600

then run through the training method (GPU power, PUE, grid, the GPUs' and servers' manufacturing). Not
counted, at any scope: experiments before the final run, data-centre construction, networks, users' devices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from estimator import calculations as calc
from estimator.calculations import Factor, Footprint, Range, factor

# NVIDIA H100 SXM datasheet: 989 TFLOPS dense BF16 (1,979 with sparsity).
H100_PEAK_FLOPS = 989e12
# Effective utilisation of that peak over a whole training run (failures, restarts and evaluation included),
# derived from what the catalogue's published trainings imply: 6·N·D ÷ (GPU-hours × peak). Llama 3.1 8B
# 0.14, Llama 3 8B 0.16, Llama 4 Scout 0.23, Llama 4 Maverick 0.27, Llama 3 70B 0.28, DeepSeek-V3 0.33,
# Llama 3.1 405B 0.33: the highest gives the low-impact end, the median the centre, the lowest the high end.
# tests/estimator/test_lifecycle.py recomputes them from the reference data.
TRAINING_UTILISATION = Range(0.33, 0.265, 0.14)
# Training tokens when the model's are not published: from compute-optimal (Hoffmann et al. 2022,
# "Training Compute-Optimal Large Language Models": about 20 tokens per parameter) to the largest published
# corpus of the catalogue (Llama 4 Scout, ~40T tokens); the centre is the most common published corpus of
# 2024–25 open models (Llama 3, 3.1 and 3.3: ~15T; DeepSeek-V3: 14.8T).
TOKENS_PER_PARAMETER_LOW = 20
TOKENS_CENTRAL_T = 15.0
TOKENS_HIGH_T = 40.0
# Requests a model serves in its lifetime, fewest / central / most. Over 18 months (the use period of
# Mistral's analysis): a tenth of the centre, our assumption for a narrowly deployed model; Mistral Large 2's
# figures imply ≈17.9 billion 400-token answers (20.4 ktCO2e for training and use ÷ 1.14 gCO2e per answer,
# derived); ChatGPT's 2.5 billion prompts a day (OpenAI to Axios, July 2025) × 548 days ≈ 1.4 trillion,
# the largest published service (every ChatGPT model together). Give `lifetime_requests` to use yours.
LIFETIME_REQUESTS = Range(1.8e9, 1.8e10, 1.4e12)
LIFETIME_MONTHS = 18

LIFETIME_FACTOR = factor(
    "lifetime_requests",
    "1.8e9 / 1.8e10 / 1.4e12",
    "requests (fewest / central / most)",
    "Over 18 months, Mistral AI's life-cycle analysis period. Fewest: our assumption (a tenth of the centre); "
    "central: implied by Mistral Large 2's figures (20.4 ktCO2e for training and 18 months of use ÷ 1.14 "
    "gCO2e per 400-token answer, derived); most: ChatGPT's 2.5 billion prompts a day (OpenAI to Axios, "
    "July 2025) over 18 months",
    2025,
)
UTILISATION_FACTOR = factor(
    "training_utilisation",
    " / ".join(
        f"{value:g}"
        for value in (TRAINING_UTILISATION.low, TRAINING_UTILISATION.central, TRAINING_UTILISATION.high)
    ),
    "of the H100's 989 TFLOPS (BF16)",
    "Derived from the published trainings of the catalogue (Meta's Llama 3, 3.1 and 4 model cards, "
    "DeepSeek-V3 technical report): 6 × active parameters × tokens ÷ (GPU-hours × peak), highest / median / "
    "lowest; peak from the NVIDIA H100 SXM datasheet",
    2025,
)
TOKENS_SOURCE = (
    "Not published: from compute-optimal, 20 tokens per parameter (Hoffmann et al. 2022, arXiv 2203.15556), "
    "through 15T (Llama 3, DeepSeek-V3) to 40T (Llama 4 Scout model card), our range"
)


def training_tokens_t(*, total_params_b: float, published_t: float | None) -> Range:
    """Training tokens, in trillions: the published count, or the range above for the model's size."""
    if published_t is not None:
        return Range.exact(published_t)
    low = min(TOKENS_PER_PARAMETER_LOW * total_params_b / 1000, TOKENS_HIGH_T)
    return Range(low, min(max(TOKENS_CENTRAL_T, low), TOKENS_HIGH_T), TOKENS_HIGH_T)


def derived_gpu_hours(*, active_params_b: tuple[float, float], tokens_t: Range) -> Range:
    """H100-hours of a training run: 6 × active parameters × tokens at the effective utilisation's ends."""
    low_params, high_params = active_params_b
    central_params = (low_params + high_params) / 2

    def hours(params_b: float, tokens: float, utilisation: float) -> float:
        return 6 * params_b * 1e9 * tokens * 1e12 / (H100_PEAK_FLOPS * utilisation) / 3600

    return Range(
        hours(low_params, tokens_t.low, TRAINING_UTILISATION.low),
        hours(central_params, tokens_t.central, TRAINING_UTILISATION.central),
        hours(high_params, tokens_t.high, TRAINING_UTILISATION.high),
    )


def implied_utilisation(*, active_params_b: float, tokens_t: float, gpu_hours: float) -> float:
    """The share of the H100's peak a published training implies (how TRAINING_UTILISATION is derived)."""
    return 6 * active_params_b * 1e9 * tokens_t * 1e12 / (gpu_hours * 3600 * H100_PEAK_FLOPS)


def _ends(low: Footprint, central: Footprint, high: Footprint) -> Footprint:
    """The low end of the low-impact run, the centre of the central one, the high end of the high one."""

    def pick(name: str) -> Range:
        ranges: tuple[Range, Range, Range] = (getattr(low, name), getattr(central, name), getattr(high, name))
        return Range(ranges[0].low, ranges[1].central, ranges[2].high)

    return replace(
        central,
        energy_kwh=pick("energy_kwh"),
        usage_emissions_kgco2e=pick("usage_emissions_kgco2e"),
        embodied_emissions_kgco2e=pick("embodied_emissions_kgco2e"),
        water_onsite_l=pick("water_onsite_l"),
        water_offsite_l=pick("water_offsite_l"),
    )


def derived_training(
    *,
    active_params_b: tuple[float, float],
    tokens_t: Range,
    tokens_factor: Factor,
    gpu: calc.Gpu,
    pue: Range,
    wue_l_per_kwh: Range,
    location: calc.Location,
) -> Footprint:
    """A training run nobody published: GPU-hours from size and tokens, then the training method."""
    hours = derived_gpu_hours(active_params_b=active_params_b, tokens_t=tokens_t)
    runs = [
        calc.training_footprint(
            gpu_hours=gpu_hours,
            gpu_power_w=gpu.power_w,
            gpu=gpu,
            pue=pue,
            datacenter_wue_l_per_kwh=wue_l_per_kwh,
            location=location,
        )
        for gpu_hours in (hours.low, hours.central, hours.high)
    ]
    training = _ends(*runs)
    return replace(
        training,
        factors=(tokens_factor, UTILISATION_FACTOR, *training.factors),
        inputs={**training.inputs, "gpu_hours": hours.as_dict()},
    )


@dataclass(frozen=True)
class Training:
    """A model's whole training footprint and where its numbers come from ("published" or "derived")."""

    footprint: Footprint
    origin: str


def lifecycle_footprint(
    *, inference: Footprint, training: Training, lifetime_requests: Range, lifetime_factor: Factor
) -> Footprint:
    """Inference plus each request's share of the training: training ÷ lifetime requests × requests.

    The share is highest with the fewest lifetime requests, so the low end divides by the most.
    """
    count = inference.inputs["requests"] * inference.inputs["iterations"]
    share = Range(
        count / lifetime_requests.high, count / lifetime_requests.central, count / lifetime_requests.low
    )
    whole = training.footprint

    def shared(value: Range) -> Range:
        return Range(value.low * share.low, value.central * share.central, value.high * share.high)

    factors: dict[tuple[str, str], Factor] = {}
    for item in (*inference.factors, lifetime_factor, *whole.factors):
        factors.setdefault((item.name, str(item.value)), item)
    return replace(
        inference,
        energy_kwh=inference.energy_kwh + shared(whole.energy_kwh),
        usage_emissions_kgco2e=inference.usage_emissions_kgco2e + shared(whole.usage_emissions_kgco2e),
        embodied_emissions_kgco2e=inference.embodied_emissions_kgco2e
        + shared(whole.embodied_emissions_kgco2e),
        water_onsite_l=inference.water_onsite_l + shared(whole.water_onsite_l),
        water_offsite_l=inference.water_offsite_l + shared(whole.water_offsite_l),
        factors=tuple(factors.values()),
        scope="lifecycle",
        inputs={
            **inference.inputs,
            "scope": "lifecycle",
            "lifetime_requests": lifetime_requests.as_dict(),
            "training": {
                "origin": training.origin,
                "energy_kwh": whole.energy_kwh.as_dict(),
                "emissions_kgco2e": whole.emissions_kgco2e.as_dict(),
                "water_l": whole.water_l.as_dict(),
                "gpu_hours": whole.inputs.get("gpu_hours"),
                "location": whole.inputs.get("location"),
            },
        },
    )
