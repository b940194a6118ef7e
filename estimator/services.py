"""Estimator services: resolve models, places and data centres from the reference data, run the method.

Every interface (CLI, API, pages, other apps) goes through `estimate()`, so they give the same numbers.
Bad input raises django.core.exceptions.ValidationError with one message per field. The per-kind
estimates and the reference data are in `estimator.footprints` (the scenarios build on them); this
module is how other apps reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from estimator import calculations as calc
from estimator.footprints import (
    Place,
    PlaceParams,
    ReferenceData,
    catalogue_model,
    datacenter_for,
    energy_wh_per_million_output_tokens,
    estimate_image,
    estimate_text,
    estimate_training,
    gpu_spec,
    image_model,
    invalid_input_error,
    model_summary,
    place_params,
    place_resolve,
    reference_data,
    reference_data_clear,
    text_model,
)
from estimator.models import Estimate
from estimator.scenarios import scenario_preset_run

if TYPE_CHECKING:  # the estimator sits below the organisation: it needs only the type of its users
    from portal.models import User

# What other modules use: this module's services, and the per-kind estimates and the reference data
# of estimator.footprints, re-exported.
__all__ = [
    "KINDS",
    "METHOD_CHANGES",
    "Footprint",
    "Place",
    "PlaceParams",
    "Recomputed",
    "ReferenceData",
    "Result",
    "Scenario",
    "catalogue_model",
    "datacenter_for",
    "energy_wh_per_million_output_tokens",
    "estimate",
    "estimate_delete",
    "estimate_image",
    "estimate_recompute",
    "estimate_save",
    "estimate_text",
    "estimate_training",
    "gpu_spec",
    "image_model",
    "invalid_input_error",
    "method_changes_since",
    "model_summary",
    "place_params",
    "place_resolve",
    "reference_data",
    "reference_data_clear",
    "text_model",
]

KINDS = ("text", "image", "training", "scenario")


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
        return scenario_preset_run(**params)
    raise ValidationError(
        {"kind": _("Unknown kind %(kind)s: one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}}
    )


@transaction.atomic
def estimate_save(*, owner: User, name: str, kind: str, inputs: dict[str, Any]) -> Estimate:
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


# What changed in the method after each earlier version, oldest first; shown beside a recomputed estimate
# (every change since the saved version).
METHOD_CHANGES: dict[str, str | Promise] = {
    "1.0.0": gettext_lazy(
        "Estimator 2.0: EcoLogits' generation speed and time to first token are used for the models that have "
        "them; a model without a place runs where its provider's data centres are; the range spans how models "
        "are served (batch size, FP8 weights, newer GPUs, idle capacity); training counts the host servers' "
        "manufacturing and a range of GPU draw; water is split on-site / off-site."
    ),
    "2.0.0": gettext_lazy(
        "Estimator 2.1: images take the median of the published measurement campaigns (AI Energy Score, "
        "ML.ENERGY, Luccioni et al.) at their conditions, with the spread between campaigns as the range "
        "instead of Google's text-serving overhead; size scales as measured (×1.3 to ×4.7 per doubling of the "
        "side) rather than linearly in pixels; hardware manufacturing counts the host server's share; FLUX.1 "
        "and Stable Diffusion 3.5 are added; text can include each request's share of the model's training "
        "(life-cycle scope)."
    ),
}


def method_changes_since(version: str) -> str:
    """Every change of the method after `version`, in order (empty for the current or an unknown one)."""
    versions = list(METHOD_CHANGES)
    if version not in versions:
        return ""
    return " ".join(str(METHOD_CHANGES[v]) for v in versions[versions.index(version) :])


@dataclass(frozen=True)
class Recomputed:
    """A saved estimate's inputs run with the current method, with why the numbers moved."""

    result: dict[str, Any] | None
    error: str
    reason: str
    version: str


def estimate_recompute(*, saved: Estimate) -> Recomputed:
    """The saved inputs with the current method (nothing is written: the saved result keeps its version)."""
    reason = method_changes_since(saved.estimator_version)
    try:
        result = estimate(saved.kind, **saved.inputs).as_dict()
    except ValidationError as error:
        return Recomputed(None, " ".join(error.messages), reason, calc.ESTIMATOR_VERSION)
    return Recomputed(result, "", reason, calc.ESTIMATOR_VERSION)


def estimate_delete(*, estimate: Estimate) -> None:
    estimate.delete()
