"""The one place that talks to EcoLogits (PyPI `ecologits`, MPL-2.0), so that it can be replaced.

We use EcoLogits' `compute_llm_impacts` only: never `EcoLogits.init()`, which patches client
libraries. It works offline.

EcoLogits' energy, embodied emissions and water for one request are proportional to the number of
generated tokens (GPU energy per token × tokens, plus server energy and embodied share over the
generation time, itself tokens × latency per token; we pass no measured latency). So we ask EcoLogits
once per (model size, batch size, PUE) for the impacts of `PROBE_TOKENS` tokens and divide: the per-token
coefficients are exact, and every later estimate is a multiplication. `tests/estimator` checks this
against direct calls.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from ecologits.impacts.llm import BATCH_SIZE, compute_llm_impacts

ECOLOGITS_VERSION = metadata.version("ecologits")
DEFAULT_BATCH_SIZE = BATCH_SIZE
PROBE_TOKENS = 1000.0


@dataclass(frozen=True, slots=True)
class PerToken:
    """Impacts of one generated token, at the IT-equipment boundary times PUE."""

    energy_kwh: float  # includes PUE
    it_energy_kwh: float  # without PUE (EcoLogits' water formula needs it)
    embodied_kgco2e: float


@lru_cache(maxsize=4096)
def llm_per_token(active_params_b: float, total_params_b: float, batch_size: int, pue: float) -> PerToken:
    impacts = compute_llm_impacts(
        model_active_parameter_count=active_params_b,
        model_total_parameter_count=total_params_b,
        output_token_count=PROBE_TOKENS,
        if_electricity_mix_adpe=0.0,
        if_electricity_mix_pe=0.0,
        if_electricity_mix_gwp=0.0,
        if_electricity_mix_wue=0.0,
        datacenter_pue=pue,
        datacenter_wue=0.0,
        request_latency=math.inf,
        batch_size=batch_size,
    )
    energy = float(impacts.energy.value) / PROBE_TOKENS  # type: ignore[arg-type]
    embodied = float(impacts.embodied.gwp.value) / PROBE_TOKENS  # type: ignore[arg-type]
    return PerToken(energy_kwh=energy, it_energy_kwh=energy / pue, embodied_kgco2e=embodied)


@dataclass(frozen=True)
class CatalogueModel:
    provider: str
    name: str
    architecture: str  # "dense" or "moe"
    active_params_b: tuple[float, float]  # (min, max); equal for a known size
    total_params_b: tuple[float, float]
    warnings: tuple[str, ...]
    sources: tuple[str, ...]


def _params(value: float | dict[str, float]) -> tuple[float, float]:
    if isinstance(value, dict):
        return float(value["min"]), float(value["max"])
    return float(value), float(value)


def model_catalogue() -> list[CatalogueModel]:
    """EcoLogits' model list (text models), the seed of our catalogue."""
    raw = json.loads(resources.files("ecologits").joinpath("data/models.json").read_text())
    models = []
    for entry in raw["models"]:
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
            )
        )
    return models


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
    pue: tuple[float, float]  # (min, max)
    wue_l_per_kwh: tuple[float, float]


def provider_datacenters() -> list[ProviderDatacenter]:
    """EcoLogits' data-centre PUE and on-site WUE per API provider."""
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    def pair(value: object) -> tuple[float, float]:
        if hasattr(value, "min"):
            return float(value.min), float(value.max)  # type: ignore[attr-defined]
        return float(value), float(value)  # type: ignore[arg-type]

    return [
        ProviderDatacenter(
            provider=name, pue=pair(config.datacenter_pue), wue_l_per_kwh=pair(config.datacenter_wue)
        )
        for name, config in PROVIDER_CONFIG_MAP.items()
    ]
