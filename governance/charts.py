"""The value × impact matrix as SVG coordinates (no chart library)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from governance.models import MatrixThresholds, UseCase

WIDTH, HEIGHT = 560, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
LOG_MIN, LOG_MAX = -1, 6  # 0.1 kgCO2e to 1,000 tCO2e a year


@dataclass(frozen=True)
class Point:
    use_case: UseCase
    x: float
    y: float
    highlight: bool


def _x(kgco2e: float) -> float:
    log = min(max(math.log10(max(kgco2e, 10**LOG_MIN)), LOG_MIN), LOG_MAX)
    return LEFT + (log - LOG_MIN) / (LOG_MAX - LOG_MIN) * (WIDTH - LEFT - RIGHT)


def _y(value: float) -> float:
    return TOP + (5 - value) / 5 * (HEIGHT - TOP - BOTTOM)


def matrix(
    use_cases: list[UseCase], limits: MatrixThresholds, highlight: int | None = None
) -> dict[str, object]:
    points = [
        Point(
            use_case,
            _x(use_case.yearly_emissions_kgco2e or 0),
            _y(use_case.value_score),
            use_case.pk == highlight,
        )
        for use_case in use_cases
        if use_case.footprint
    ]
    ticks = [
        (_x(10**power), f"{10**power:g}" if power < 3 else f"{10 ** (power - 3):g} t")
        for power in range(LOG_MIN, LOG_MAX + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "x_threshold": _x(limits.impact_threshold_kgco2e),
        "y_threshold": _y(limits.value_threshold),
        "points": points,
        "x_ticks": ticks,
        "y_ticks": [(_y(value), value) for value in range(6)],
        "limits": limits,
    }
