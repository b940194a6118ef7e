"""Paired before/after statistics of the training's effect. Pure Python, no Django."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

MIN_N_FOR_INTERVAL = 5

# Two-sided 95 % critical values of Student's t, by degrees of freedom (standard tables).
T_975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}


def t_critical_95(df: int) -> float:
    """t(0.975, df); between tabulated values, interpolated in 1/df (exact to 3 decimals); 1.96 at infinity."""
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df in T_975:
        return T_975[df]
    known = sorted(T_975)
    if df > known[-1]:
        lower_df, lower_t, upper_inverse, upper_t = known[-1], T_975[known[-1]], 0.0, 1.960
    else:
        lower_df = max(d for d in known if d < df)
        upper_df = min(d for d in known if d > df)
        lower_t, upper_inverse, upper_t = T_975[lower_df], 1 / upper_df, T_975[upper_df]
    position = (1 / lower_df - 1 / df) / (1 / lower_df - upper_inverse)
    return lower_t + position * (upper_t - lower_t)


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class PairedChange:
    """After minus before, per learner: its mean, and a 95 % confidence interval from n = 5."""

    n: int
    before: Summary
    after: Summary
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    relative_change: float | None  # mean change ÷ mean before

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None


def summarise(values: list[float]) -> Summary:
    if not values:
        return Summary(0, None, None)
    return Summary(len(values), statistics.fmean(values), statistics.median(values))


def paired_change(pairs: list[tuple[float, float]]) -> PairedChange:
    """The change from `before` to `after` over learners measured on both (pairs of before, after)."""
    before = summarise([b for b, _ in pairs])
    after = summarise([a for _, a in pairs])
    n = len(pairs)
    if n == 0:
        return PairedChange(0, before, after, None, None, None, None)
    differences = [a - b for b, a in pairs]
    mean = statistics.fmean(differences)
    low = high = None
    if n >= MIN_N_FOR_INTERVAL:
        half_width = t_critical_95(n - 1) * statistics.stdev(differences) / math.sqrt(n)
        low, high = mean - half_width, mean + half_width
    relative = mean / before.mean if before.mean else None
    return PairedChange(n, before, after, mean, low, high, relative)
