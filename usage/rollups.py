"""Monthly rollups of usage and their footprint, and drift of approved use cases.

Rollups cost one estimator call per (month, department, use case, model, region) group; dashboards read
only them. They are recomputed after each import (for the months it touched) and nightly (all).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from estimator import services as estimator
from estimator.calculations import ESTIMATOR_VERSION
from estimator.models import Modality
from governance import services as governance
from governance.models import UseCase
from portal.celery import enqueue_on_commit
from portal.dates import month_start, months_back, next_month
from usage.models import MonthlyRollup, UsageRecord

ROLLUP_LOCK = 7_300_001  # an arbitrary advisory-lock key for the rollup recompute


def rollups_refresh_on_commit(months: set[datetime.date]) -> None:
    if months:
        enqueue_on_commit("usage.tasks.usage_rollup_task", sorted(month.isoformat() for month in months))


def _group_estimate(group: dict[str, Any], model_slug: str, modality: str) -> estimator.Footprint:
    """The estimator once for a whole group: averages per request are exact for the linear parts."""
    place = estimator.place_params(group["region"])
    requests = group["requests"]
    if modality == Modality.IMAGE:
        side = None
        if group["pixels"]:
            side = round(math.sqrt(group["pixels"] / group["images"]))  # energy is linear in pixels
        return estimator.estimate_image(
            model=model_slug, images=group["images"], width=side, height=side, **place
        )
    return estimator.estimate_text(
        model=model_slug,
        requests=requests,
        output_tokens=group["output_tokens"] / requests,
        input_tokens=group["input_tokens"] / requests,
        **place,
    )


@transaction.atomic
def rollups_recompute(*, months: Iterable[datetime.date] | None = None) -> int:
    """Recompute the rollups of these months (all months if None). Idempotent; one run at a time."""
    if connection.vendor == "postgresql":  # one recompute at a time (SQLite serialises writes anyway)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
    records = UsageRecord.objects.all()
    rollups = MonthlyRollup.objects.all()
    if months is not None:
        months = sorted(set(months))
        if not months:
            return 0
        records = records.filter(date__gte=months[0], date__lt=next_month(months[-1]))
        rollups = rollups.filter(month__in=months)
    rollups.delete()
    groups = (
        records.annotate(month=TruncMonth("date"))
        .values("month", "department_id", "use_case_id", "model_id", "region")
        .annotate(
            requests_sum=Sum("requests"),
            input_sum=Sum("input_tokens"),
            output_sum=Sum("output_tokens"),
            images_sum=Sum("images"),
            pixels_sum=Sum(F("images") * F("image_width") * F("image_height")),
        )
        .order_by()
    )
    ref = estimator.reference_data()
    slugs = {model.pk: (slug, model.modality) for slug, model in ref.models.items()}
    wanted = set(months) if months is not None else None
    created = []
    for group in groups.iterator(chunk_size=2000):
        month = group["month"].date() if isinstance(group["month"], datetime.datetime) else group["month"]
        if wanted is not None and month not in wanted:
            continue
        slug, modality = slugs[group["model_id"]]
        result = _group_estimate(
            {
                "region": group["region"],
                "requests": group["requests_sum"],
                "input_tokens": group["input_sum"],
                "output_tokens": group["output_sum"],
                "images": group["images_sum"],
                "pixels": group["pixels_sum"] or 0,
            },
            slug,
            modality,
        )
        created.append(
            MonthlyRollup(
                month=month,
                department_id=group["department_id"],
                use_case_id=group["use_case_id"],
                model_id=group["model_id"],
                region=group["region"],
                requests=group["requests_sum"],
                input_tokens=group["input_sum"],
                output_tokens=group["output_sum"],
                images=group["images_sum"],
                **{
                    f"{name}_{bound}": getattr(getattr(result, name), bound)
                    for name in ("energy_kwh", "emissions_kgco2e", "water_l")
                    for bound in ("low", "central", "high")
                },
                usage_emissions_kgco2e_central=result.usage_emissions_kgco2e.central,
                estimator_version=ESTIMATOR_VERSION,
            )
        )
    MonthlyRollup.objects.bulk_create(created, batch_size=2000)
    return len(created)


# --- Drift ---------------------------------------------------------------------------------------


def actual_yearly_emissions(*, today: datetime.date | None = None) -> dict[int, float]:
    """Each use case's actual emissions over the last 12 months, annualised over the months it was used."""
    today = today or timezone.localdate()
    start = months_back(month_start(today), 11)
    per_use_case: dict[int, dict[datetime.date, float]] = {}
    for use_case_id, month, emissions in (
        MonthlyRollup.objects.filter(use_case__isnull=False, month__gte=start)
        .values_list("use_case_id", "month")
        .annotate(total=Sum("emissions_kgco2e_central"))
        .values_list("use_case_id", "month", "total")
    ):
        per_use_case.setdefault(use_case_id, {})[month] = emissions
    return {uc: sum(months.values()) * 12 / len(months) for uc, months in per_use_case.items()}


def use_case_emissions_to_date(
    use_case_ids: Collection[int], day: datetime.date
) -> dict[int, tuple[float, float, float]]:
    """Each use case's emissions (kgCO2e, low/central/high) from 1 January of `day`'s year through `day`'s
    month, from the rollups of the usage attributed to it, whatever its department: one query."""
    rows = (
        MonthlyRollup.objects.filter(
            use_case_id__in=list(use_case_ids),
            month__gte=datetime.date(day.year, 1, 1),
            month__lte=month_start(day),
        )
        .values("use_case_id")
        .annotate(
            low=Sum("emissions_kgco2e_low"),
            central=Sum("emissions_kgco2e_central"),
            high=Sum("emissions_kgco2e_high"),
        )
        .order_by()
    )
    return {row["use_case_id"]: (row["low"], row["central"], row["high"]) for row in rows}


def usage_drift_check() -> list[int]:
    """Start the re-review of every approved use case whose actual usage, annualised, runs above its budget."""
    started = []
    actual = actual_yearly_emissions()
    for use_case in UseCase.objects.filter(pk__in=actual, status=UseCase.Status.APPROVED):
        if governance.usecase_check_drift(use_case=use_case, actual_yearly_kgco2e=actual[use_case.pk]):
            started.append(use_case.pk)
    return started
