"""The value × impact matrix as SVG coordinates (no chart library)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import number_format

from governance import services
from governance.models import MatrixThresholds, UseCase

# No viewBox, so text keeps its CSS px size at any width: horizontal positions are % of the chart's width,
# vertical ones px. LEFT leaves room for the value ticks, RIGHT for half of the last tick label ("1000 t").
WIDTH = 100  # %
HEIGHT = 360  # px
LEFT, RIGHT, TOP, BOTTOM = 10, 5, 16, 44
LOG_MIN, LOG_MAX = -1, 6  # 0.1 kgCO2e to 1,000 tCO2e a year
DOT_RADIUS, HIGHLIGHT_RADIUS = 6.0, 8.0
# A label is centred over its dot, except near the sides, where it runs inwards from the dot: about
# 6 px a character at 11 px, for labels of up to 24 characters, 75 px: 20 % of a phone's chart.
LABEL_HALF_WIDTH = 20  # %
QUADRANT_ORDER = ("go", "optimise", "reconsider", "stop")


def _tick(value: float) -> str:
    """An axis label in the active language ("0,1", "1 000 t"); the coordinates stay dot-decimal."""
    return number_format(value, 1 if value < 1 else 0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Point:
    use_case: UseCase
    x: float
    y: float
    highlight: bool
    quadrant: str  # go, optimise, reconsider or stop: the dot's colour and shape
    marker: str  # the dot's outline as an SVG path around (0, 0), placed by a nested <svg> at (x %, y px)
    label_x: float  # %, moved by DOT_RADIUS px inwards when the label runs from the dot
    label_y: float
    label_anchor: str  # start, middle or end: labels stay inside the drawing


def _x(kgco2e: float) -> float:
    log = min(max(math.log10(max(kgco2e, 10**LOG_MIN)), LOG_MIN), LOG_MAX)
    return LEFT + (log - LOG_MIN) / (LOG_MAX - LOG_MIN) * (WIDTH - LEFT - RIGHT)


def _y(value: float) -> float:
    return TOP + (5 - value) / 5 * (HEIGHT - TOP - BOTTOM)


def marker(quadrant: str, x: float, y: float, r: float) -> str:
    """A quadrant's dot as a path: go a circle, optimise a square, reconsider a diamond, stop a triangle
    (the shape says the quadrant where the colour cannot)."""
    if quadrant == "optimise":
        side = r * 0.9
        return f"M{x - side:.1f} {y - side:.1f}h{2 * side:.1f}v{2 * side:.1f}h{-2 * side:.1f}Z"
    if quadrant == "reconsider":
        d = r * 1.25
        return f"M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z"
    if quadrant == "stop":
        d = r * 1.3
        return f"M{x:.1f} {y - d:.1f}L{x + d * 0.87:.1f} {y + d / 2:.1f}L{x - d * 0.87:.1f} {y + d / 2:.1f}Z"
    return f"M{x - r:.1f} {y:.1f}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0Z"


def _label_position(x: float, y: float) -> tuple[float, float, str]:
    """Where a dot's label goes: above it (below it near the top), running inwards near the sides."""
    label_y = y - 12 if y - 12 >= TOP + 12 else y + 20
    if x - LABEL_HALF_WIDTH < 0:
        return x, label_y, "start"
    if x + LABEL_HALF_WIDTH > WIDTH:
        return x, label_y, "end"
    return x, label_y, "middle"


def _point(use_case: UseCase, limits: MatrixThresholds, highlight: int | None) -> Point:
    x, y = _x(use_case.yearly_emissions_kgco2e or 0), _y(use_case.value_score)
    highlighted = use_case.pk == highlight
    quadrant = services.quadrant(use_case, limits) or "go"  # only use cases with a footprint are drawn
    label_x, label_y, anchor = _label_position(x, y)
    radius = HIGHLIGHT_RADIUS if highlighted else DOT_RADIUS
    return Point(
        use_case, x, y, highlighted, quadrant, marker(quadrant, 0, 0, radius), label_x, label_y, anchor
    )


def matrix(
    use_cases: list[UseCase], limits: MatrixThresholds, highlight: int | None = None
) -> dict[str, object]:
    points = [_point(use_case, limits, highlight) for use_case in use_cases if use_case.footprint]
    ticks = [
        (_x(10**power), _tick(10**power) if power < 3 else f"{_tick(10 ** (power - 3))} t")
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
        # The legend: each quadrant's shape, drawn in a 16 px square.
        "legend": [(quadrant, marker(quadrant, 8, 8, 5)) for quadrant in QUADRANT_ORDER],
    }
