"""The four levers, in one place: what each one changes, the constants the portal uses for them, and
the split of a saving between them (Shapley values). Pure Python, no Django.

Used by the scenario (estimator/scenarios.py), the use-case savings (governance) and the
organisation's what-if (usage). The levers come from the study page (The Brandtech Group, fifty-five
and Scope3, 2025): #1 a low-carbon region, #2 fewer iterations, #3 smaller outputs, #4 a model sized to
the need. The constants below are our assumptions; every page that applies them says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

REGION = "region"
ITERATIONS = "iterations"
OUTPUT_SIZE = "output_size"
MODEL = "model"
LEVERS = (REGION, ITERATIONS, OUTPUT_SIZE, MODEL)

# Lever #4: the smaller model a task moves to, and which models count as large enough to move from.
SMALL_TEXT_MODEL = "llama-3.1-8b"
SMALL_IMAGE_MODEL = "sd-2.1"
LARGE_MODEL_ACTIVE_PARAMS_B = 20.0

# Lever #3 on a use case: answers capped at this share of their current length; images at this side.
OUTPUT_CAP_SHARE = 0.6
CAPPED_IMAGE_SIDE_PX = 768

# Lever #2 on a use case: prompting training removes this share of the prompts beyond the first.
EXTRA_ITERATIONS_REMOVED = 0.5


def iterations_after_training(iterations_per_task: float) -> float:
    """Lever #2 on a use case: the first prompt stays, half of the extra ones go."""
    return 1 + (iterations_per_task - 1) * (1 - EXTRA_ITERATIONS_REMOVED)


def capped_output_tokens(output_tokens: float) -> int:
    """Lever #3 on a text use case: answers capped at OUTPUT_CAP_SHARE of their length (at least 1)."""
    return max(1, round(output_tokens * OUTPUT_CAP_SHARE))


def capped_image_size(width: int | None, height: int | None) -> tuple[int, int]:
    """Lever #3 on an image use case: the longer side at most CAPPED_IMAGE_SIDE_PX, aspect kept."""
    width, height = width or CAPPED_IMAGE_SIDE_PX, height or CAPPED_IMAGE_SIDE_PX
    scale = min(1.0, CAPPED_IMAGE_SIDE_PX / max(width, height))
    return round(width * scale), round(height * scale)


def is_large_model(active_params_b: float | None) -> bool:
    """Lever #4 moves a share of the work of models above LARGE_MODEL_ACTIVE_PARAMS_B active parameters."""
    return (active_params_b or 0) > LARGE_MODEL_ACTIVE_PARAMS_B


@dataclass(frozen=True, slots=True)
class LeverSaving:
    name: str
    saving_kgco2e: float
    share: float

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "saving_kgco2e": self.saving_kgco2e, "share": self.share}


def rounded_percents(shares: Sequence[float]) -> list[int]:
    """Shares of a whole as whole percentages that add up to the whole's rounded percentage (100 for
    Shapley shares): each rounded down, then the points left go to the largest remainders (Hamilton's
    method). Rounding each share alone gives 23.8 + 37.1 + 20.4 + 18.7 → 24 + 37 + 20 + 19 = 100 here,
    but 98 or 101 elsewhere; truncating, as the pages once did, 97 or 98."""
    exact = [share * 100 for share in shares]
    floors = [math.floor(value) for value in exact]
    left = round(sum(exact)) - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for index in by_remainder[: max(left, 0)]:
        floors[index] += 1
    return floors


SHAPLEY_METHOD = "Shapley values over the 16 combinations of the four levers (order-independent)"


def shapley_savings(
    levers: Sequence[str], emissions_of: Callable[[frozenset[str]], float]
) -> tuple[LeverSaving, ...]:
    """Each lever's saving as its Shapley value, from the emissions with any set of levers applied.

    A lever's saving is its marginal saving averaged over every order in which the levers could be
    applied (over every subset of the other levers, weighted |S|!(n−|S|−1)!/n!), so the savings add up
    to the total saving and do not depend on the order the levers are listed in. 2^n evaluations.
    """
    emissions = {
        frozenset(subset): emissions_of(frozenset(subset))
        for size in range(len(levers) + 1)
        for subset in combinations(levers, size)
    }
    n = len(levers)
    total_saving = emissions[frozenset()] - emissions[frozenset(levers)]
    savings = []
    for lever in levers:
        others = [other for other in levers if other != lever]
        value = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in combinations(others, size):
                key = frozenset(subset)
                value += weight * (emissions[key] - emissions[key | {lever}])
        savings.append(
            LeverSaving(name=lever, saving_kgco2e=value, share=value / total_saving if total_saving else 0.0)
        )
    return tuple(savings)


@dataclass(frozen=True, slots=True)
class LeverSplit:
    """Emissions before and after all the levers, and each lever's Shapley share of the saving."""

    baseline_kgco2e: float
    improved_kgco2e: float
    levers: tuple[LeverSaving, ...]

    @property
    def ratio(self) -> float | None:
        return self.baseline_kgco2e / self.improved_kgco2e if self.improved_kgco2e else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline_kgco2e": self.baseline_kgco2e,
            "improved_kgco2e": self.improved_kgco2e,
            "ratio": self.ratio,
            "levers": [saving.as_dict() for saving in self.levers],
        }


def lever_split(emissions_of: Callable[[frozenset[str]], float]) -> LeverSplit:
    """The four levers' split of the saving, evaluating each of the 16 combinations once."""
    cache: dict[frozenset[str], float] = {}

    def cached(switched: frozenset[str]) -> float:
        if switched not in cache:
            cache[switched] = emissions_of(switched)
        return cache[switched]

    savings = shapley_savings(LEVERS, cached)
    return LeverSplit(
        baseline_kgco2e=cached(frozenset()), improved_kgco2e=cached(frozenset(LEVERS)), levers=savings
    )
