"""Monthly rollups of usage and their footprint, and drift of approved use cases.

Rollups cost one estimator call per (month, department, use case, model, region) group (and image size);
dashboards read only them. They are recomputed after each import (for the months it touched), nightly
(all), and after an estimator method change (the months an earlier version computed, month by month:
`manage.py recompute_usage_emissions` and a nightly task).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
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
    """The estimator once for a group of one size of image, or of text records: per-request averages are
    exact for the parts linear in tokens."""
    place = estimator.place_params(group["region"])
    requests = group["requests"]
    if modality == Modality.IMAGE:
        # Energy is not linear in pixels (estimator 2.1): each image size is its own group.
        return estimator.estimate_image(
            model=model_slug,
            images=group["images"],
            width=group["width"],
            height=group["height"],
            recorded=True,
            **place,
        )
    return recorded_text_estimate(
        model=model_slug,
        requests=requests,
        output_tokens=group["output_tokens"] / requests,
        input_tokens=group["input_tokens"] / requests,
        **place,
    )


def recorded_text_estimate(
    *, model: str, requests: float, output_tokens: float, input_tokens: float, **place: Any
) -> estimator.Footprint:
    """Text usage as a provider recorded it (rollups, the what-if): estimated as reported, never refused
    (a recompute must not fail on a past record), and with no hidden reasoning tokens added, since
    providers' output token counts already include them (OpenAI's `output_tokens`, Anthropic's
    `output_tokens` with extended thinking)."""
    return estimator.estimate_text(
        model=model,
        requests=requests,
        output_tokens=output_tokens,
        input_tokens=input_tokens,
        reasoning_tokens=0,
        recorded=True,
        **place,
    )


RollupKey = tuple[datetime.date, int, int | None, int, str]  # month, department, use case, model, region
COUNTS = ("requests", "input_tokens", "output_tokens", "images")


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
        .values("month", "department_id", "use_case_id", "model_id", "region", "image_width", "image_height")
        .annotate(
            requests_sum=Sum("requests"),
            input_sum=Sum("input_tokens"),
            output_sum=Sum("output_tokens"),
            images_sum=Sum("images"),
        )
        .order_by()
    )
    ref = estimator.reference_data()
    slugs = {model.pk: (slug, model.modality) for slug, model in ref.models.items()}
    wanted = set(months) if months is not None else None
    merged: dict[RollupKey, tuple[dict[str, int], estimator.Footprint]] = {}
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
                "width": group["image_width"],
                "height": group["image_height"],
            },
            slug,
            modality,
        )
        counts = {
            "requests": group["requests_sum"],
            "input_tokens": group["input_sum"],
            "output_tokens": group["output_sum"],
            "images": group["images_sum"],
        }
        key = (month, group["department_id"], group["use_case_id"], group["model_id"], group["region"])
        if key in merged:  # another image size of the same rollup
            before, footprint = merged[key]
            counts = {name: before[name] + counts[name] for name in COUNTS}
            result = footprint + result
        merged[key] = (counts, result)
    created = [
        MonthlyRollup(
            month=month,
            department_id=department_id,
            use_case_id=use_case_id,
            model_id=model_id,
            region=region,
            **counts,
            **{
                f"{name}_{bound}": getattr(getattr(result, name), bound)
                for name in ("energy_kwh", "emissions_kgco2e", "water_l")
                for bound in ("low", "central", "high")
            },
            usage_emissions_kgco2e_central=result.usage_emissions_kgco2e.central,
            estimator_version=ESTIMATOR_VERSION,
        )
        for (month, department_id, use_case_id, model_id, region), (counts, result) in merged.items()
    ]
    MonthlyRollup.objects.bulk_create(created, batch_size=2000)
    return len(created)


# --- After a method change ----------------------------------------------------------------------


@dataclass(frozen=True)
class OutdatedRecompute:
    """What `rollups_recompute_outdated` did: the months it recomputed, the versions they carried before
    and the rollups they hold now."""

    months: tuple[datetime.date, ...]
    versions: tuple[str, ...]
    rollups: int


def rollups_outdated() -> dict[datetime.date, set[str]]:
    """The months holding rollups computed with another estimator version, with those versions."""
    outdated: dict[datetime.date, set[str]] = {}
    rows = (
        MonthlyRollup.objects.exclude(estimator_version=ESTIMATOR_VERSION)
        .values_list("month", "estimator_version")
        .distinct()
        .order_by("month")
    )
    for month, version in rows:
        outdated.setdefault(month, set()).add(version)
    return outdated


def rollups_recompute_outdated(*, batch_months: int = 1) -> OutdatedRecompute:
    """Recompute, with the current method, every month whose rollups another estimator version computed.

    Batched: each `batch_months` months are recomputed in their own transaction (rollups_recompute), oldest
    first, so a long history never holds one long lock, and a run that stops half-way leaves the months
    it has not reached outdated for the next run. Idempotent: a second run finds nothing to do. Stored
    estimates and use cases' approved footprints keep their version (they are decisions, not rollups).
    """
    if batch_months < 1:
        raise ValueError("batch_months must be at least 1")
    outdated = rollups_outdated()
    months = sorted(outdated)
    count = 0
    for start in range(0, len(months), batch_months):
        count += rollups_recompute(months=months[start : start + batch_months])
    versions = sorted(set().union(*outdated.values())) if outdated else []
    return OutdatedRecompute(months=tuple(months), versions=tuple(versions), rollups=count)


# --- Drift ---------------------------------------------------------------------------------------


Bounds = tuple[float, float, float]  # low, central, high


@dataclass(frozen=True)
class UseCaseUsage:
    """A use case's actual emissions (kgCO2e), from the rollups of the usage attributed to it, whatever its
    department."""

    to_date_kgco2e: Bounds | None  # from 1 January through this month: what its budget's pace compares
    # with (None: no usage this year)
    yearly_kgco2e: float | None  # the last 12 months, annualised over the months it was used: what drift
    # compares with its budget (None: no usage in those months)


def use_case_usage(
    use_case_ids: Collection[int] | None = None, *, today: datetime.date | None = None
) -> dict[int, UseCaseUsage]:
    """Each use case's emissions this year to date and over the last 12 months annualised, in one query
    (None: every use case with usage). Use cases without usage in either window are left out."""
    this_month = month_start(today or timezone.localdate())
    year_start, twelve_months = this_month.replace(month=1), months_back(this_month, 11)
    rows = MonthlyRollup.objects.filter(
        use_case__isnull=False, month__gte=min(year_start, twelve_months), month__lte=this_month
    )
    if use_case_ids is not None:
        rows = rows.filter(use_case_id__in=list(use_case_ids))
    to_date: dict[int, list[float]] = {}
    per_month: dict[int, dict[datetime.date, float]] = {}
    for use_case_id, month, low, central, high in (
        rows.values_list("use_case_id", "month")
        .annotate(
            low=Sum("emissions_kgco2e_low"),
            central=Sum("emissions_kgco2e_central"),
            high=Sum("emissions_kgco2e_high"),
        )
        .values_list("use_case_id", "month", "low", "central", "high")
        .order_by()
    ):
        if month >= year_start:
            bounds = to_date.setdefault(use_case_id, [0.0, 0.0, 0.0])
            bounds[0], bounds[1], bounds[2] = bounds[0] + low, bounds[1] + central, bounds[2] + high
        if month >= twelve_months:
            per_month.setdefault(use_case_id, {})[month] = central
    return {
        use_case_id: UseCaseUsage(
            to_date_kgco2e=(b[0], b[1], b[2]) if (b := to_date.get(use_case_id)) else None,
            yearly_kgco2e=(
                sum(months.values()) * 12 / len(months) if (months := per_month.get(use_case_id)) else None
            ),
        )
        for use_case_id in to_date.keys() | per_month.keys()
    }


def actual_yearly_emissions(*, today: datetime.date | None = None) -> dict[int, float]:
    """Each use case's actual emissions over the last 12 months, annualised over the months it was used."""
    return {
        use_case_id: usage.yearly_kgco2e
        for use_case_id, usage in use_case_usage(today=today).items()
        if usage.yearly_kgco2e is not None
    }


def use_case_emissions_to_date(use_case_ids: Collection[int], day: datetime.date) -> dict[int, Bounds]:
    """Each use case's emissions (kgCO2e, low/central/high) from 1 January of `day`'s year through `day`'s
    month, from the rollups of the usage attributed to it, whatever its department: one query."""
    return {
        use_case_id: usage.to_date_kgco2e
        for use_case_id, usage in use_case_usage(use_case_ids, today=day).items()
        if usage.to_date_kgco2e is not None
    }


def usage_drift_check() -> list[int]:
    """Start the re-review of every approved use case whose actual usage, annualised, runs above its budget."""
    started = []
    actual = actual_yearly_emissions()
    for use_case in UseCase.objects.filter(pk__in=actual, status=UseCase.Status.APPROVED):
        if governance.usecase_check_drift(use_case=use_case, actual_yearly_kgco2e=actual[use_case.pk]):
            started.append(use_case.pk)
    return started
