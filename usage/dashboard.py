"""The org-wide emissions dashboard, read from monthly rollups only: its cost does not grow with records.

Admins see the organisation; managers their departments; employees have no dashboard.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.utils import timezone

from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Course
from courses.services import CohortResult
from estimator import services as estimator
from estimator.levers import (
    ITERATIONS,
    MODEL,
    OUTPUT_SIZE,
    REGION,
    SMALL_TEXT_MODEL,
    LeverSplit,
    is_large_model,
    lever_split,
)
from governance import selectors as governance_selectors
from governance import services as governance
from governance.budgets import BudgetProgress
from governance.models import UseCase
from portal import scope
from portal.dates import month_start, months_back
from portal.models import User
from usage.models import MonthlyRollup

MEASURES = ("requests", "input_tokens", "output_tokens", "images")
FOOTPRINT = tuple(
    f"{name}_{bound}"
    for name in ("energy_kwh", "emissions_kgco2e", "water_l")
    for bound in ("low", "central", "high")
)


def rollups_in_scope(user: User) -> QuerySet[MonthlyRollup]:
    if not scope.oversees_departments(user):
        raise PermissionDenied
    return scope.in_visible_departments(MonthlyRollup.objects.all(), user)


@dataclass
class Totals:
    requests: float = 0
    input_tokens: float = 0
    output_tokens: float = 0
    images: float = 0
    energy_kwh: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    emissions_kgco2e: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    water_l: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def add(self, row: dict[str, Any]) -> None:
        # Spelled out, not looped over names: the dashboard and the report add every rollup row to five
        # groupings, and this is their hottest line.
        self.requests += row["requests"]
        self.input_tokens += row["input_tokens"]
        self.output_tokens += row["output_tokens"]
        self.images += row["images"]
        energy, emissions, water = self.energy_kwh, self.emissions_kgco2e, self.water_l
        energy[0] += row["energy_kwh_low"]
        energy[1] += row["energy_kwh_central"]
        energy[2] += row["energy_kwh_high"]
        emissions[0] += row["emissions_kgco2e_low"]
        emissions[1] += row["emissions_kgco2e_central"]
        emissions[2] += row["emissions_kgco2e_high"]
        water[0] += row["water_l_low"]
        water[1] += row["water_l_central"]
        water[2] += row["water_l_high"]

    def merge(self, other: Totals) -> None:
        """Add another group's totals to these."""
        self.requests += other.requests
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.images += other.images
        for mine, theirs in (
            (self.energy_kwh, other.energy_kwh),
            (self.emissions_kgco2e, other.emissions_kgco2e),
            (self.water_l, other.water_l),
        ):
            for index in range(3):
                mine[index] += theirs[index]

    def as_dict(self) -> dict[str, Any]:
        bounds = ("low", "central", "high")
        return {
            **{name: getattr(self, name) for name in MEASURES},
            **{
                name: dict(zip(bounds, getattr(self, name), strict=True))
                for name in ("energy_kwh", "emissions_kgco2e", "water_l")
            },
        }


GROUP_KEYS = {
    "month": "month",
    "department": "department__name",
    "model": "model__name",
    "region": "region",
    "use_case": "use_case__title",
}


def grouped(rows: list[dict[str, Any]], by: str) -> list[tuple[Any, Totals]]:
    """Rollup rows summed per group, largest emissions first (months in order)."""
    groups: dict[Any, Totals] = defaultdict(Totals)
    for row in rows:
        groups[row[GROUP_KEYS[by]]].add(row)
    items = list(groups.items())
    if by == "month":
        return sorted(items, key=lambda item: item[0])
    return sorted(items, key=lambda item: -item[1].emissions_kgco2e[1])


def filtered_rows(
    user: User,
    *,
    start: datetime.date,
    end: datetime.date,
    department: int | None = None,
    model: int | None = None,
    region: str | None = None,
) -> list[dict[str, Any]]:
    """The rollups in scope for the months from `start` to `end` (inclusive), as rows: one query."""
    rollups = rollups_in_scope(user).filter(month__gte=start, month__lte=end)
    if department:
        rollups = rollups.filter(department_id=department)
    if model:
        rollups = rollups.filter(model_id=model)
    if region:
        rollups = rollups.filter(region=region)
    return list(
        rollups.values(
            "month", "department_id", "department__name", "use_case_id", "use_case__title", "model_id", "model__name",
            "model__slug", "region", *MEASURES, *FOOTPRINT, "usage_emissions_kgco2e_central", "estimator_version",
        )
    )  # fmt: skip


@dataclass(frozen=True)
class Kpis:
    this_year_kgco2e: float
    last_12_months_kgco2e: float
    previous_12_months_kgco2e: float
    change: float | None
    per_employee_kgco2e: float | None
    per_1000_requests_kgco2e: float | None
    employees: int


def kpis_and_actuals(user: User, today: datetime.date | None = None) -> tuple[Kpis, dict[int, float]]:
    """KPIs over the last 24 months, and each use case's actual yearly emissions (annualised), in one query."""
    today = today or timezone.localdate()
    this_month = month_start(today)
    start_24 = months_back(this_month, 23)
    start_12 = months_back(this_month, 11)
    rows = (
        rollups_in_scope(user)
        .filter(month__gte=start_24)
        .values("month", "use_case_id")
        .annotate(emissions=Sum("emissions_kgco2e_central"), requests=Sum("requests"))
        .order_by()
    )
    last_12 = previous_12 = this_year = requests_12 = 0.0
    per_use_case: dict[int, dict[datetime.date, float]] = defaultdict(dict)
    for row in rows:
        if row["month"] >= start_12:
            last_12 += row["emissions"]
            requests_12 += row["requests"]
            if row["use_case_id"]:
                per_use_case[row["use_case_id"]][row["month"]] = (
                    per_use_case[row["use_case_id"]].get(row["month"], 0) + row["emissions"]
                )
        else:
            previous_12 += row["emissions"]
        if row["month"].year == today.year:
            this_year += row["emissions"]
    count = scope.people_visible_to(user).count()
    kpis = Kpis(
        this_year_kgco2e=this_year,
        last_12_months_kgco2e=last_12,
        previous_12_months_kgco2e=previous_12,
        change=(last_12 - previous_12) / previous_12 if previous_12 else None,
        per_employee_kgco2e=last_12 / count if count else None,
        per_1000_requests_kgco2e=last_12 / requests_12 * 1000 if requests_12 else None,
        employees=count,
    )
    actuals = {uc: sum(months.values()) * 12 / len(months) for uc, months in per_use_case.items()}
    return kpis, actuals


@dataclass(frozen=True)
class EstimatedVsActual:
    use_case: UseCase
    estimated_kgco2e: float
    actual_kgco2e: float | None  # a year: the last 12 months, annualised over the months with usage
    budget: BudgetProgress | None  # the budget against this year's emissions so far, and the pace

    @property
    def drift(self) -> bool:
        return (
            self.actual_kgco2e is not None
            and self.budget is not None
            and governance.drifts(budget_kgco2e=self.budget.budget_kgco2e, actual_kgco2e=self.actual_kgco2e)
        )


def estimated_vs_actual(user: User, actuals: dict[int, float]) -> list[EstimatedVsActual]:
    """Approved use cases (and those under re-review) in scope: the estimate, the budget, this year's
    emissions so far against the budget's pace, and the annualised actual that drift compares with it."""
    estimated = {
        use_case: use_case.yearly_emissions_kgco2e
        for use_case in scope.in_visible_departments(
            UseCase.objects.filter(status__in=governance_selectors.BUDGETED_STATUSES), user
        ).select_related("department")
    }
    budgets = governance_selectors.budget_progresses(estimated)
    return [
        EstimatedVsActual(use_case, emissions, actuals.get(use_case.pk), budgets.get(use_case.pk))
        for use_case, emissions in estimated.items()
        if emissions is not None
    ]


def training_effect(user: User) -> tuple[CohortResult | None, float]:
    """The course's measured effect in the user's scope, and the share of their staff not trained yet."""
    course = Course.objects.filter(published=True).first()
    if course is None:
        return None, 1.0
    enrollments = list(
        course_selectors.enrollments_in_scope(user, course, course_selectors.default_scope(user))
    )
    result = course_services.cohort_result(enrollments)
    trained = sum(1 for enrollment in enrollments if enrollment.completed_at)
    count = scope.people_visible_to(user).count()
    untrained_share = max(0.0, 1 - trained / count) if count else 1.0
    if not result.changes["iterations_per_task"].n:
        return None, untrained_share  # nobody measured before and after yet: no effect to show
    return result, untrained_share


# --- What if: the four levers on the organisation's own usage -------------------------------------


@dataclass(frozen=True)
class WhatIf:
    region: str | None
    output_cap: float  # share of output tokens removed, 0–0.9
    iteration_change: float  # relative change in prompts per task for those trained (negative)
    untrained_share: float
    small_model_share: float  # share of large-model text requests moved to a small model


def _grid(region: str) -> float:
    ref = estimator.reference_data()
    latest = ref.latest_region(region)
    return latest.grid_gco2e_per_kwh if latest else ref.mixes[region].grid_gco2e_per_kwh


def _row_emissions(row: dict[str, Any], levers: WhatIf, switched: frozenset[str]) -> float:
    ref = estimator.reference_data()
    model = ref.models[row["model__slug"]]
    region = levers.region if REGION in switched and levers.region else row["region"]
    if model.modality == "image":
        # Rollups keep no resolution: the region lever rescales the electricity part by the grids' ratio.
        usage: float = row["usage_emissions_kgco2e_central"]
        emissions: float = row["emissions_kgco2e_central"]
        return emissions - usage + usage * _grid(region) / _grid(row["region"])
    requests = row["requests"]
    if ITERATIONS in switched:
        requests *= 1 + levers.iteration_change * levers.untrained_share
    output = (
        row["output_tokens"] / row["requests"] * (1 - (levers.output_cap if OUTPUT_SIZE in switched else 0))
    )
    params = {
        "output_tokens": max(output, 1),
        "input_tokens": row["input_tokens"] / row["requests"],
        **estimator.place_params(region),
    }
    share = levers.small_model_share if MODEL in switched and is_large_model(model.active_params_max_b) else 0
    total = 0.0
    if share < 1:
        footprint = estimator.estimate_text(model=model.slug, requests=requests * (1 - share), **params)
        total += footprint.emissions_kgco2e.central
    if share > 0:
        footprint = estimator.estimate_text(model=SMALL_TEXT_MODEL, requests=requests * share, **params)
        total += footprint.emissions_kgco2e.central
    return total


def active_levers(levers: WhatIf) -> frozenset[str]:
    """The levers these settings make change anything: no region chosen, no measured change in prompts
    (or nobody left to train), no output cap or no requests moved leave the emissions as they are."""
    return frozenset(
        name
        for name, changes in (
            (REGION, bool(levers.region)),
            (ITERATIONS, levers.iteration_change * levers.untrained_share != 0),
            (OUTPUT_SIZE, levers.output_cap > 0),
            (MODEL, levers.small_model_share > 0),
        )
        if changes
    )


def what_if(rows: list[dict[str, Any]], levers: WhatIf) -> LeverSplit:
    """Emissions of these rollups now, with all levers, and each lever's share (Shapley values).

    A lever that changes nothing is left out of each combination, so the combinations that differ only
    by it are computed once, and its saving is exactly zero (not the estimator's rounding noise)."""
    active = active_levers(levers)
    computed: dict[frozenset[str], float] = {}

    def emissions_of(switched: frozenset[str]) -> float:
        switched &= active
        if switched not in computed:
            if switched:
                computed[switched] = sum(_row_emissions(row, levers, switched) for row in rows)
            else:
                computed[switched] = sum(row["emissions_kgco2e_central"] for row in rows)
        return computed[switched]

    return lever_split(emissions_of)
