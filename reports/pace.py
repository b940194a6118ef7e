"""Pace and forecast of a yearly target: pure Python, no Django (table-tested in tests/reports).

- Pace: the target spread evenly over the year's days; on day d it is target × d / days in the year.
- Forecast: what the year's complete months already emitted, plus the months still to come projected by
  the least-squares line through the last complete months (at most 12; one month: that month, flat).
  A projected month is never negative. The range scales the central forecast by the year to date's
  low/central and high/central ratios (the estimator's uncertainty, not the trend's).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from portal.dates import share_of_year

TREND_MONTHS = 12


def trend_projection(monthly: Sequence[float], months_ahead: int) -> float:
    """The sum of the next `months_ahead` months on the least-squares line through `monthly` (oldest first)."""
    values = list(monthly)[-TREND_MONTHS:]
    if months_ahead <= 0 or not values:
        return 0.0
    n = len(values)
    if n == 1:
        return max(values[0], 0.0) * months_ahead
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / sum(
        (x - mean_x) ** 2 for x in range(n)
    )
    intercept = mean_y - slope * mean_x
    return sum(max(intercept + slope * x, 0.0) for x in range(n, n + months_ahead))


@dataclass(frozen=True)
class Progress:
    target: float
    to_date: tuple[float, float, float]  # low, central, high, this year up to today
    pace: float  # where the year to date should be, on an even pace
    forecast: tuple[float, float, float] | None  # low, central, high for the whole year

    @property
    def off_pace(self) -> bool:
        return self.to_date[1] > self.pace

    @property
    def range_spans_pace(self) -> bool:
        """The uncertainty range straddles the pace: on or off pace depends on the bound."""
        return self.to_date[0] <= self.pace < self.to_date[2]

    @property
    def share_of_target(self) -> float:
        return self.to_date[1] / self.target

    @property
    def forecast_above_target(self) -> bool | None:
        return None if self.forecast is None else self.forecast[1] > self.target


def progress(
    *,
    target: float,
    day: datetime.date,
    to_date: tuple[float, float, float],
    complete_months: Sequence[float],
    complete_this_year: float,
) -> Progress:
    """Progress on `day` against a yearly `target`.

    `complete_months`: the totals of the complete months before `day`'s month, oldest first (any year);
    `complete_this_year`: their sum over this year's months only (central).
    """
    months_ahead = 13 - day.month  # the current month and those after it
    forecast = None
    if complete_months:
        central = complete_this_year + trend_projection(complete_months, months_ahead)
        low_ratio = to_date[0] / to_date[1] if to_date[1] else 1.0
        high_ratio = to_date[2] / to_date[1] if to_date[1] else 1.0
        forecast = (central * low_ratio, central, central * high_ratio)
    return Progress(target=target, to_date=to_date, pace=target * share_of_year(day), forecast=forecast)
