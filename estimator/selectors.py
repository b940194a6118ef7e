"""Reads of the estimator's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from estimator.footprints import energy_wh_per_million_output_tokens, reference_data
from estimator.models import AIModel, Estimate, Region

if TYPE_CHECKING:  # the estimator sits below the organisation: it needs only the type of its users
    from portal.models import User


def estimates_of(user: User) -> QuerySet[Estimate]:
    """A user's own saved estimates: nobody sees anybody else's."""
    return Estimate.objects.filter(owner_id=user.pk)


def models_list(*, modality: str | None = None) -> QuerySet[AIModel]:
    models = AIModel.objects.all()
    return models.filter(modality=modality) if modality else models


def regions_list(*, year: int | None = None) -> list[Region]:
    """Regions for one year, or each region's latest year."""
    if year is not None:
        return list(Region.objects.filter(year=year).order_by("name"))
    latest: dict[str, Region] = {}
    for region in Region.objects.order_by("name", "year"):
        latest[region.name] = region
    return list(latest.values())


def catalogue_search(*, q: str, modality: str) -> list[AIModel]:
    """Catalogue models whose slug, name or provider holds every word of `q`: text models by energy per
    million output tokens (lowest first), then image models by name. From the cached reference data."""
    words = q.lower().split()
    found = [
        model
        for model in reference_data().models.values()
        if (not modality or model.modality == modality)
        and all(word in f"{model.slug} {model.name} {model.provider}".lower() for word in words)
    ]

    def order(model: AIModel) -> tuple[int, float, str]:
        energy = energy_wh_per_million_output_tokens(model)
        return (0, energy.central, model.name) if energy else (1, 0.0, model.name)

    return sorted(found, key=order)
