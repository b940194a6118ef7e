"""Data for the estimator's tables and server-side SVG charts (no chart library)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from estimator import services
from estimator.calculations import Scenario
from estimator.labels import LEVER_LABELS, place_name
from estimator.levers import rounded_percents

# A bar chart is HTML text (each bar's label and value) over one small SVG per bar with no viewBox and no
# text: one user unit is one CSS pixel. Heights are in px; horizontal positions in % of the chart's width.
BAR_HEIGHT_PX = 16  # the bar under its label line
BAR_AREA_PERCENT = 98  # the largest high value ends here, so its whisker's cap stays inside the chart


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    low: float
    high: float
    x_percent: float  # where the bar ends, in % of the chart's width
    x_low_percent: float
    x_high_percent: float
    highlight: bool = False


@dataclass(frozen=True)
class BarChart:
    title: str
    # "%"; a unit of footprint.SCALES ("kgco2e"), each bar's figure then in the unit it is read in, as
    # tables show it; or the unit every bar's figure is written in ("gCO2e", bars compared in one unit).
    unit: str
    bars: list[Bar]
    bar_height_px: int = BAR_HEIGHT_PX


def bar_chart(title: str, unit: str, rows: list[tuple[str, float, float, float, bool]]) -> BarChart:
    """Horizontal bars of (label, central, low, high, highlighted), scaled to the largest high value."""
    top = max((high for _, _, _, high, _ in rows), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=central,
            low=low,
            high=high,
            x_percent=central / top * BAR_AREA_PERCENT,
            x_low_percent=low / top * BAR_AREA_PERCENT,
            x_high_percent=high / top * BAR_AREA_PERCENT,
            highlight=highlight,
        )
        for label, central, low, high, highlight in rows
    ]
    return BarChart(title, unit, bars)


@dataclass(frozen=True)
class Cell:
    central_g: float
    low_g: float
    high_g: float
    lowest: bool
    chosen: bool = False  # the model and region of the task being compared


def model_region_table(
    *, models: list[str], regions: list[str], task: dict[str, Any], current: tuple[str | None, str]
) -> dict[str, Any]:
    """Emissions of one task (gCO2e, central, with low and high) for each model in each region."""
    ref = services.reference_data()
    model_rows = [ref.models[slug] for slug in models if slug in ref.models]
    region_rows = [region for name in regions if (region := ref.latest_region(name)) is not None]
    grid: list[list[Cell]] = []
    for model in model_rows:
        row = []
        for region in region_rows:
            footprint = services.estimate_text(model=model.slug, region=region.name, **task)
            emissions = footprint.emissions_kgco2e
            row.append(Cell(emissions.central * 1000, emissions.low * 1000, emissions.high * 1000, False))
        grid.append(row)
    lowest = min(cell.central_g for row in grid for cell in row)
    current_model, current_region = current
    model_index = next((i for i, m in enumerate(model_rows) if m.slug == current_model), 0)
    region_index = next((i for i, r in enumerate(region_rows) if r.name == current_region), 0)
    grid = [
        [
            Cell(c.central_g, c.low_g, c.high_g, c.central_g == lowest, (i, j) == (model_index, region_index))
            for j, c in enumerate(row)
        ]
        for i, row in enumerate(grid)
    ]
    by_region = bar_chart(
        model_rows[model_index].name,
        "gCO2e",
        [
            (
                f"{r.name} ({place_name(r.location)})",
                grid[model_index][i].central_g,
                grid[model_index][i].low_g,
                grid[model_index][i].high_g,
                i == region_index,
            )
            for i, r in enumerate(region_rows)
        ],
    )
    by_model = bar_chart(
        f"{region_rows[region_index].name}",
        "gCO2e",
        [
            (
                m.name,
                grid[i][region_index].central_g,
                grid[i][region_index].low_g,
                grid[i][region_index].high_g,
                i == model_index,
            )
            for i, m in enumerate(model_rows)
        ],
    )
    energies = [services.energy_wh_per_million_output_tokens(model) for model in model_rows]
    return {
        "models": model_rows,
        "regions": region_rows,
        "rows": list(zip(model_rows, energies, grid, strict=True)),
        "by_region": by_region,
        "by_model": by_model,
        "ratio": max(c.central_g for row in grid for c in row) / lowest if lowest else None,
    }


def scenario_chart(scenario: Scenario) -> dict[str, BarChart]:
    baseline, improved = scenario.baseline.emissions_kgco2e, scenario.improved.emissions_kgco2e
    totals = bar_chart(
        "tCO2e",
        "tCO2e",
        [
            (_("Baseline"), baseline.central / 1000, baseline.low / 1000, baseline.high / 1000, False),
            (
                _("With the good practices"),
                improved.central / 1000,
                improved.low / 1000,
                improved.high / 1000,
                True,
            ),
        ],
    )
    # The shares as the table beside the chart shows them: whole percentages adding up to 100.
    percents = rounded_percents([lever.share for lever in scenario.levers])
    levers = bar_chart(
        "share",
        "%",
        [
            (str(LEVER_LABELS[lever.name]), percent / 100, percent / 100, percent / 100, False)
            for lever, percent in zip(scenario.levers, percents, strict=True)
        ],
    )
    return {"totals": totals, "levers": levers}
