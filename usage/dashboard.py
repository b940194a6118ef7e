"""The org-wide emissions dashboard, read from monthly rollups only: its cost does not grow with records.

Admins see the organisation; managers their departments; employees have no dashboard.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Course
from courses.services import CohortResult
from estimator import services as estimator
from estimator.charts import BarChart, bar_chart
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
from portal.dates import months_back
from portal.formats import month_label
from portal.models import User
from usage.models import MonthlyRollup
from usage.rollups import recorded_text_estimate, use_case_usage

MEASURES = ("requests", "input_tokens", "output_tokens", "images")
# The dashboard's and the report's breakdowns, beside the trend by month
BREAKDOWNS = ("department", "model", "region", "use_case")
CHART_BARS = 10  # a breakdown's chart (on the dashboard and in the report) shows its ten largest groups
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


def group_label(by: str, key: Any) -> str:
    """A group's name as charts and tables show it: a month by `month_label`, usage without a department
    or use case as "Unattributed" (never blank or "None")."""
    if key is None or key == "":
        return _("Unattributed")
    if by == "month":
        return month_label(key)
    return str(key)


def emissions_chart(title: str, by: str, groups: list[tuple[Any, Totals]]) -> BarChart:
    """The dashboard's and the management report's chart (estimator/bar_chart.html): bars of central
    emissions with low–high whiskers, each group named, and its figure written, as its table has them."""
    return bar_chart(
        str(title),
        "kgco2e",
        [
            (group_label(by, key), t.emissions_kgco2e[1], t.emissions_kgco2e[0], t.emissions_kgco2e[2], False)
            for key, t in groups
        ],
    )


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


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many months from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


# A change is told as a multiple, not a percentage, from this ratio up ("×3.2", not "+220%").
MULTIPLE_FROM = 2.0


@dataclass(frozen=True)
class Kpis:
    """The cards above the dashboard: the period and filters shown, against the same months before."""

    start: datetime.date
    end: datetime.date
    emissions_kgco2e: float
    months_with_usage: int
    previous_start: datetime.date
    previous_end: datetime.date
    previous_kgco2e: float
    previous_months_with_usage: int
    per_employee_kgco2e: float | None
    per_1000_requests_kgco2e: float | None
    employees: int

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    @property
    def comparison(self) -> str:
        """How the period compares with the months before: "none" (no usage before), "partial" (usage
        in fewer months before than now: a percentage would measure the data's start, not a change),
        "multiple" (twice as much or more: told as ×N) or "percent"."""
        if self.previous_kgco2e <= 0 or self.previous_months_with_usage == 0:
            return "none"
        if self.previous_months_with_usage < self.months_with_usage:
            return "partial"
        return "multiple" if self.ratio >= MULTIPLE_FROM else "percent"

    @property
    def ratio(self) -> float:
        return self.emissions_kgco2e / self.previous_kgco2e if self.previous_kgco2e > 0 else 0.0

    @property
    def change(self) -> float | None:
        """The relative change, where the months before are a fair base (see `comparison`)."""
        return self.ratio - 1 if self.comparison in ("percent", "multiple") else None


def previous_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The same number of months, just before `start`."""
    return months_back(start, months_between(start, end)), months_back(start, 1)


def period_and_previous_rows(
    user: User, *, start: datetime.date, end: datetime.date, **filters: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """filtered_rows() of the period, and of the same months just before (for the KPIs), in one query."""
    both = filtered_rows(user, start=previous_period(start, end)[0], end=end, **filters)
    return [row for row in both if row["month"] >= start], [row for row in both if row["month"] < start]


def period_kpis(
    user: User,
    rows: list[dict[str, Any]],
    previous_rows: list[dict[str, Any]],
    *,
    start: datetime.date,
    end: datetime.date,
    department: int | None = None,
) -> Kpis:
    """The KPIs of the period's rows, against the rows of the same months just before."""
    previous_start, previous_end = previous_period(start, end)
    people = scope.people_visible_to(user)
    if department:
        people = people.filter(department_id=department)
    emissions = sum(row["emissions_kgco2e_central"] for row in rows)
    requests = sum(row["requests"] for row in rows)
    count = people.count()
    return Kpis(
        start=start,
        end=end,
        emissions_kgco2e=emissions,
        months_with_usage=len({row["month"] for row in rows if row["emissions_kgco2e_central"]}),
        previous_start=previous_start,
        previous_end=previous_end,
        previous_kgco2e=sum(row["emissions_kgco2e_central"] for row in previous_rows),
        previous_months_with_usage=len({r["month"] for r in previous_rows if r["emissions_kgco2e_central"]}),
        per_employee_kgco2e=emissions / count if count else None,
        per_1000_requests_kgco2e=emissions / requests * 1000 if requests else None,
        employees=count,
    )


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


def estimated_vs_actual(user: User, today: datetime.date | None = None) -> list[EstimatedVsActual]:
    """Approved use cases (and those under re-review) in scope: the estimate, the budget, this year's
    emissions so far against the budget's pace, and the annualised actual that drift compares with it
    (the drift check's figure: usage attributed to the use case, whatever its department). Two queries:
    the use cases, then their usage (none without use cases)."""
    today = today or timezone.localdate()
    estimated = {
        use_case: use_case.yearly_emissions_kgco2e
        for use_case in scope.in_visible_departments(
            UseCase.objects.filter(status__in=governance_selectors.BUDGETED_STATUSES), user
        ).select_related("department")
    }
    used = use_case_usage([use_case.pk for use_case in estimated], today=today) if estimated else {}
    budgets = governance_selectors.budget_progresses(
        estimated,
        day=today,
        to_date={pk: usage.to_date_kgco2e for pk, usage in used.items() if usage.to_date_kgco2e is not None},
    )
    return [
        EstimatedVsActual(
            use_case,
            emissions,
            used[use_case.pk].yearly_kgco2e if use_case.pk in used else None,
            budgets.get(use_case.pk),
        )
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
        footprint = recorded_text_estimate(model=model.slug, requests=requests * (1 - share), **params)
        total += footprint.emissions_kgco2e.central
    if share > 0:
        footprint = recorded_text_estimate(model=SMALL_TEXT_MODEL, requests=requests * share, **params)
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


def per_model_and_region(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rollup rows summed per (model, region), those with requests: the levers' estimates are per request
    with the group's mean tokens, exact on the sums for the parts linear in tokens and requests, and a
    year's what-if costs a few dozen estimates instead of one per rollup row (2,376 with six departments,
    models and regions: the dashboard's panel took 355 ms at 1M records, 48 ms now)."""
    summed_names = (*MEASURES, "emissions_kgco2e_central", "usage_emissions_kgco2e_central")
    summed: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["model__slug"], row["region"])
        target = summed.get(key)
        if target is None:
            target = summed[key] = {**dict.fromkeys(summed_names, 0), "model__slug": key[0], "region": key[1]}
        for name in summed_names:
            target[name] += row[name]
    return [row for row in summed.values() if row["requests"]]


def what_if(rows: list[dict[str, Any]], levers: WhatIf) -> LeverSplit | None:
    """Emissions of these rollups now, with all levers, and each lever's share (Shapley values), computed
    on the rows summed per model and region (per_model_and_region); None without requests.

    A lever that changes nothing is left out of each combination, so the combinations that differ only
    by it are computed once, and its saving is exactly zero (not the estimator's rounding noise)."""
    groups = per_model_and_region(rows)
    if not groups:
        return None
    active = active_levers(levers)
    # Each group is scaled by its rollups' emissions over its own estimate without levers, so that "now"
    # is the rollups' figure group by group and no lever is credited with the difference: rollups made by
    # an earlier estimator version, or mean tokens per request (the prefill grows faster than the input
    # tokens: -0.4 % with one department's requests reading 300 tokens and another's 2,000; scaled, the
    # emissions with all levers are within 0.2 % of each row's own estimate, tests/usage).
    scales = []
    for group in groups:
        as_grouped = _row_emissions(group, levers, frozenset())
        scales.append(group["emissions_kgco2e_central"] / as_grouped if as_grouped else 1.0)
    computed: dict[frozenset[str], float] = {
        frozenset(): sum(group["emissions_kgco2e_central"] for group in groups)
    }

    def emissions_of(switched: frozenset[str]) -> float:
        switched &= active
        if switched not in computed:
            computed[switched] = sum(
                scale * _row_emissions(group, levers, switched)
                for scale, group in zip(scales, groups, strict=True)
            )
        return computed[switched]

    return lever_split(emissions_of)
