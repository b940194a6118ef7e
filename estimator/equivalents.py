"""Everyday equivalents of an amount of CO2e, with ADEME's Impact CO2 factors: pure Python, no Django.

The factors (km by combustion car, litres of tap water, hours of video streaming, a person's yearly
footprint in France), each with its unit, boundary and page, are in data/impactco2/equivalents.json,
read once; data/impactco2/SOURCE.md says where they come from. An equivalent is the amount of CO2e
divided by the factor, for each bound of the range: `everyday_equivalents(0.142)` → about 1 km by car.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "impactco2" / "equivalents.json"
IMPACTCO2_URL = "https://impactco2.fr"


@dataclass(frozen=True)
class ImpactCO2Factor:
    """One Impact CO2 equivalent: `kgco2e_per_unit` for one `unit` (km, l, h, person_year)."""

    slug: str
    unit: str
    kgco2e_per_unit: float
    boundary: str
    source_url: str
    upstream_source: str


@dataclass(frozen=True)
class EverydayEquivalent:
    """How many units of one factor an amount of CO2e makes, for its low, central and high bound."""

    slug: str
    unit: str
    source_url: str
    low: float
    central: float
    high: float


@functools.cache
def impactco2_factors() -> tuple[ImpactCO2Factor, ...]:
    """The factors of the data file, in its order (read once per process)."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(
        ImpactCO2Factor(
            slug=entry["slug"],
            unit=entry["unit"],
            kgco2e_per_unit=float(entry["kgco2e_per_unit"]),
            boundary=entry["boundary"],
            source_url=entry["source_url"],
            upstream_source=entry["upstream_source"],
        )
        for entry in raw["equivalents"]
    )


def _bounds(
    kgco2e: float | Mapping[str, float] | Sequence[float] | None,
) -> tuple[float, float, float] | None:
    """(low, central, high) from a number, a {"low", "central", "high"} mapping or a triple; None when
    there is no finite central value (a missing bound takes the central one)."""
    if kgco2e is None:
        return None
    if isinstance(kgco2e, Mapping):
        central = kgco2e.get("central")
        low, high = kgco2e.get("low", central), kgco2e.get("high", central)
    elif isinstance(kgco2e, Sequence) and not isinstance(kgco2e, str):
        if len(kgco2e) != 3:
            return None
        low, central, high = kgco2e
    else:
        low = central = high = kgco2e
    try:
        central = float(central)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(central):
        return None

    def bound(value: object) -> float:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return central
        return number if math.isfinite(number) else central

    return bound(low), central, bound(high)


def everyday_equivalents(
    kgco2e: float | Mapping[str, float] | Sequence[float] | None,
) -> list[EverydayEquivalent]:
    """Each Impact CO2 equivalent of this amount of CO2e (kg): a number, a low/central/high mapping (as
    the estimator's results) or a (low, central, high) triple. Empty when there is no amount."""
    bounds = _bounds(kgco2e)
    if bounds is None:
        return []
    low, central, high = bounds
    return [
        EverydayEquivalent(
            slug=factor.slug,
            unit=factor.unit,
            source_url=factor.source_url,
            low=low / factor.kgco2e_per_unit,
            central=central / factor.kgco2e_per_unit,
            high=high / factor.kgco2e_per_unit,
        )
        for factor in impactco2_factors()
    ]
