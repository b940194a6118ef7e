"""The one place that talks to EcoLogits (PyPI `ecologits`, MPL-2.0), so that it can be replaced.

We use EcoLogits' `compute_llm_impacts_dag` (the function behind its public `compute_llm_impacts` and
`llm_impacts`) only: never `EcoLogits.init()`, which patches client libraries. It works offline.

For one request EcoLogits' energy, embodied emissions and water are affine in the number of generated
tokens: GPU energy per token × tokens, plus server energy and embodied share over the generation time,
itself tokens ÷ generation speed + time to first token (for the models whose speed EcoLogits holds,
`deployment.tps`/`ttft`) or tokens × a latency regression. So we ask EcoLogits once per (model, serving,
PUE) for the impacts of 0 and of `PROBE_TOKENS` tokens: slope and intercept are exact, and every later
estimate is a multiplication and an addition. `tests/estimator/test_ecologits_parity.py` checks every
catalogue model against EcoLogits' own `llm_impacts`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from ecologits.impacts.llm import (
    BATCH_SIZE,
    GPU_MEMORY,
    MODEL_QUANTIZATION_BITS,
    compute_llm_impacts_dag,
)
from ecologits.tracers.utils import PROVIDER_CONFIG_MAP
from ecologits.utils.range_value import RangeValue

ECOLOGITS_VERSION = metadata.version("ecologits")
DEFAULT_BATCH_SIZE = BATCH_SIZE
PROBE_TOKENS = 1000.0


@dataclass(frozen=True, slots=True)
class Serving:
    """How a model is served, in the terms of EcoLogits' method."""

    batch_size: int  # requests decoded together on one deployment
    quantization_bits: int  # bits per weight: sets how many GPUs hold the model
    gpu_memory_gb: float  # memory of one GPU


# EcoLogits' own assumptions: 64 concurrent requests, 16-bit weights, 80 GB GPUs (H100/A100 80GB).
ECOLOGITS_SERVING = Serving(BATCH_SIZE, MODEL_QUANTIZATION_BITS, GPU_MEMORY)


@dataclass(frozen=True, slots=True)
class RequestImpacts:
    """One request's impacts as `per_token × generated tokens + per_request` (IT energy before PUE)."""

    it_energy_kwh_per_token: float
    it_energy_kwh_per_request: float
    embodied_kgco2e_per_token: float
    embodied_kgco2e_per_request: float
    gpu_count: int
    accelerator_energy_kwh_per_token: float  # the GPUs alone (the narrow "accelerator" boundary)


def _impacts(
    active_params_b: float,
    total_params_b: float,
    tokens: float,
    serving: Serving,
    tps: float | None,
    ttft_s: float | None,
) -> dict[str, float]:
    result = compute_llm_impacts_dag(
        model_active_parameter_count=active_params_b,
        model_total_parameter_count=total_params_b,
        output_token_count=tokens,
        request_latency=math.inf,
        if_electricity_mix_adpe=0.0,
        if_electricity_mix_pe=0.0,
        if_electricity_mix_gwp=0.0,
        if_electricity_mix_wue=0.0,
        datacenter_pue=1.0,
        datacenter_wue=0.0,
        batch_size=serving.batch_size,
        model_quantization_bits=serving.quantization_bits,
        gpu_memory=serving.gpu_memory_gb,
        tps=tps,
        ttft=ttft_s,
    )
    return {
        "it_energy": _number(result["request_it_energy"]),
        "embodied": _number(result["request_embodied_gwp"]),
        "gpus": _number(result["gpu_required_count"]),
        "gpu_energy": _number(result["gpu_energy"]) * _number(result["gpu_required_count"]),
    }


def _number(value: float | RangeValue) -> float:
    """EcoLogits answers with ranges only when given ranges; the bounds are computed here, one number each."""
    if isinstance(value, RangeValue):
        raise TypeError(f"EcoLogits returned a range where a number was expected: {value}")
    return float(value)


@lru_cache(maxsize=8192)
def llm_request_impacts(
    active_params_b: float,
    total_params_b: float,
    serving: Serving = ECOLOGITS_SERVING,
    tps: float | None = None,
    ttft_s: float | None = None,
) -> RequestImpacts:
    """EcoLogits' impacts of one request, as a slope per generated token and an intercept per request."""
    zero = _impacts(active_params_b, total_params_b, 0.0, serving, tps, ttft_s)
    probe = _impacts(active_params_b, total_params_b, PROBE_TOKENS, serving, tps, ttft_s)
    return RequestImpacts(
        it_energy_kwh_per_token=(probe["it_energy"] - zero["it_energy"]) / PROBE_TOKENS,
        it_energy_kwh_per_request=zero["it_energy"],
        embodied_kgco2e_per_token=(probe["embodied"] - zero["embodied"]) / PROBE_TOKENS,
        embodied_kgco2e_per_request=zero["embodied"],
        gpu_count=int(zero["gpus"]),
        accelerator_energy_kwh_per_token=probe["gpu_energy"] / PROBE_TOKENS,
    )


@dataclass(frozen=True)
class CatalogueModel:
    provider: str
    name: str
    architecture: str  # "dense" or "moe"
    active_params_b: tuple[float, float]  # (min, max); equal for a known size
    total_params_b: tuple[float, float]
    warnings: tuple[str, ...]
    sources: tuple[str, ...]
    tps: float | None  # generation speed, tokens per second per request (EcoLogits `deployment`)
    ttft_s: float | None  # time to first token, seconds


def _params(value: float | dict[str, float]) -> tuple[float, float]:
    if isinstance(value, dict):
        return float(value["min"]), float(value["max"])
    return float(value), float(value)


def model_catalogue() -> list[CatalogueModel]:
    """EcoLogits' model list (text models), the seed of our catalogue."""
    raw = json.loads(resources.files("ecologits").joinpath("data/models.json").read_text())
    models = []
    for entry in raw["models"]:
        deployment = entry.get("deployment") or {}
        parameters = entry["architecture"]["parameters"]
        if entry["architecture"]["type"] == "moe":
            active, total = _params(parameters["active"]), _params(parameters["total"])
        else:
            active = total = _params(parameters)
        models.append(
            CatalogueModel(
                provider=entry["provider"],
                name=entry["name"],
                architecture=entry["architecture"]["type"],
                active_params_b=active,
                total_params_b=total,
                warnings=tuple(entry.get("warnings") or ()),
                sources=tuple(entry.get("sources") or ()),
                tps=_optional(deployment.get("tps")),
                ttft_s=_optional(deployment.get("ttft")),
            )
        )
    return models


def _optional(value: float | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ElectricityMix:
    zone: str  # ISO 3166-1 alpha-3, or WOR for the world average
    gco2e_per_kwh: float
    water_l_per_kwh: float  # water consumed to generate one kWh
    warnings: tuple[str, ...]


def electricity_mixes() -> list[ElectricityMix]:
    raw = json.loads(resources.files("ecologits").joinpath("data/electricity_mixes.json").read_text())
    return [
        ElectricityMix(
            zone=entry["name"],
            gco2e_per_kwh=float(entry["gwp"]) * 1000,
            water_l_per_kwh=float(entry["wue"]),
            warnings=tuple(entry.get("warnings") or ()),
        )
        for entry in raw["electricity_mixes"]
    ]


@dataclass(frozen=True)
class ProviderDatacenter:
    provider: str
    location: str | None  # ISO 3166-1 alpha-3 of the electricity mix EcoLogits uses for the provider
    pue: tuple[float, float]  # (min, max)
    wue_l_per_kwh: tuple[float, float]


def provider_datacenters() -> list[ProviderDatacenter]:
    """EcoLogits' data-centre location, PUE and on-site WUE per API provider."""

    def pair(value: float | RangeValue) -> tuple[float, float]:
        if isinstance(value, RangeValue):
            return float(value.min), float(value.max)
        return float(value), float(value)

    return [
        ProviderDatacenter(
            provider=name,
            location=config.datacenter_location,
            pue=pair(config.datacenter_pue),
            wue_l_per_kwh=pair(config.datacenter_wue),
        )
        for name, config in PROVIDER_CONFIG_MAP.items()
    ]
