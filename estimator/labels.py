"""Translated display names of the method's factors, by key (calculations.FACTOR_NAMES has the English)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estimator import levers
from estimator.calculations import USER_GIVEN

FACTOR_LABELS = {
    "model_active_params": _("%(model)s: active parameters"),
    "model_total_params": _("%(model)s: total parameters"),
    "active_params": _("active parameters"),
    "batch_size": _("serving batch size (low / central / high impact)"),
    "weight_bits": _("bits per model weight when served (low / central / high impact)"),
    "gpu_memory": _("memory of one serving GPU (low / central / high impact)"),
    "idle_capacity": _("idle serving capacity kept for peaks, × active energy (low / central / high impact)"),
    "generation_speed": _("%(model)s: generation speed and time to first token"),
    "context_window": _("%(model)s: context window"),
    "server_embodied": _("host server embodied emissions (low / central / high impact)"),
    "hardware_lifetime": _("hardware lifetime (low / central / high impact)"),
    "training_power_share": _("GPU draw under training load (low / central / high impact)"),
    "market_factor": _("market-based electricity emissions, %(where)s"),
    "prefill": _("input token cost, as a share of an output token"),
    "serving_overhead": _("full serving stack ÷ accelerator-only energy (before PUE)"),
    "image_pixels": _("image size: energy × (pixel ratio)^exponent (low / central / high)"),
    "image_steps": _("denoising steps: energy scales"),
    "image_campaign_spread": _("one measurement campaign: spread between campaigns applied (low ÷, high ×)"),
    "image_energy": _("%(model)s: energy per image, %(width)s×%(height)s, %(steps)s steps"),
    "gpu_power": _("%(gpu)s: power"),
    "gpu_embodied": _("%(gpu)s: embodied emissions"),
    "gpu_lifetime": _("%(gpu)s: lifetime"),
    "pue": _("PUE (%(datacenter)s)"),
    "pue_given": _("PUE"),
    "wue": _("on-site water, WUE (%(datacenter)s)"),
    "grid_intensity": _("grid carbon intensity, %(where)s"),
    "grid_intensity_given": _("grid carbon intensity"),
    "grid_water": _("water consumed by electricity generation, %(where)s"),
    "training_published": _("%(model)s: training as published"),
    "training_tokens": _("%(model)s: training tokens"),
    "training_utilisation": _("training: effective use of the GPUs' peak (low / central / high impact)"),
    "training_grid": _("training electricity, %(where)s"),
    "lifetime_requests": _("requests served in the model's lifetime"),
}
LEVER_LABELS = {
    levers.REGION: _("#1 Greener region"),
    levers.ITERATIONS: _("#2 Fewer iterations"),
    levers.OUTPUT_SIZE: _("#3 Smaller outputs"),
    levers.MODEL: _("#4 Model sized to the need"),
}
SOURCES = {USER_GIVEN: _("given by the user")}
ZONES = {"WOR": _("world average")}


def factor_label(factor: dict[str, Any]) -> str:
    """A factor's name in the active language; its English name when its key is unknown (older results)."""
    template = FACTOR_LABELS.get(factor.get("key", ""))
    if template is None:
        return str(factor.get("name", ""))
    params = {name: str(ZONES.get(value, value)) for name, value in factor.get("params", {}).items()}
    return gettext(str(template)) % params if params else str(template)


def factor_source(source: str) -> str:
    return str(SOURCES.get(source, source))
