"""A use case's yearly budget against its actual emissions: pure Python, no Django (table-tested).

- Actual to date: the use case's emissions this calendar year so far (low, central, high), from the
  monthly rollups of the usage attributed to it.
- Pace: the budget spread evenly over the year's days; on day d it is budget × d / days in the year (the
  targets' pace, reports.pace, the same way).
- Above pace: the central figure to date is above the pace. The range may straddle it: then whether it is
  above depends on the bound, and the page says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.dates import share_of_year


@dataclass(frozen=True)
class BudgetProgress:
    budget_kgco2e: float  # a year
    to_date_kgco2e: tuple[float, float, float]  # low, central, high: this year up to `day`
    pace_kgco2e: float  # where the year to date should be, on an even pace
    day: datetime.date

    @property
    def above_pace(self) -> bool:
        return self.to_date_kgco2e[1] > self.pace_kgco2e

    @property
    def range_spans_pace(self) -> bool:
        """The uncertainty range straddles the pace: above or within depends on the bound."""
        return self.to_date_kgco2e[0] <= self.pace_kgco2e < self.to_date_kgco2e[2]

    @property
    def share_of_budget(self) -> float:
        """How much of the year's budget is used so far (central)."""
        return self.to_date_kgco2e[1] / self.budget_kgco2e

    @property
    def share_of_year(self) -> float:
        return share_of_year(self.day)


def budget_progress(
    *, budget_kgco2e: float, to_date_kgco2e: tuple[float, float, float], day: datetime.date
) -> BudgetProgress:
    """Where a use case stands on `day` against its yearly budget."""
    return BudgetProgress(
        budget_kgco2e=budget_kgco2e,
        to_date_kgco2e=to_date_kgco2e,
        pace_kgco2e=budget_kgco2e * share_of_year(day),
        day=day,
    )
