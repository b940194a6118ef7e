"""Four-lever scenarios: a custom baseline vs improved workload, and the study's preset."""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from estimator import calculations as calc
from estimator.footprints import (
    catalogue_model,
    datacenter_for,
    estimate_training,
    invalid_input_error,
    place_resolve,
    text_model,
)
from estimator.models import Modality


def workload(
    *, models: list[tuple[str, float]], region: str, output_tokens: float, iterations: float
) -> calc.Workload:
    rows = [(catalogue_model(slug, Modality.TEXT), share) for slug, share in models]
    place = place_resolve(region=region)
    return calc.Workload(
        models=tuple((text_model(row), share) for row, share in rows),
        location=place.location,
        # A cloud region fixes the data centre, whatever the models.
        datacenter=datacenter_for(place, rows[0][0], None),
        output_tokens=output_tokens,
        iterations=iterations,
    )


def scenario_run(
    *,
    tasks: float,
    input_tokens: float = 0,
    baseline_model: str,
    baseline_region: str,
    baseline_output_tokens: float,
    baseline_iterations: float,
    improved_model: str,
    improved_model_share: float = 1.0,
    improved_region: str,
    improved_output_tokens: float,
    improved_iterations: float,
    training: str = "",
) -> calc.Scenario:
    """A custom scenario. The improved side may move only a share of the tasks to its model. `training`
    names a training counted once on both sides (no lever changes it), as the study's example does:
    the same inputs as the preset give the preset's result."""
    if not 0 < improved_model_share <= 1:
        raise ValidationError({"improved_model_share": _("Must be more than 0 and at most 1.")})
    if training and training not in TRAININGS:
        raise ValidationError(
            {"training": _("Unknown training %(training)s: one of %(trainings)s.")
             % {"training": training, "trainings": ", ".join(TRAININGS)}}
        )  # fmt: skip
    improved_models = [(improved_model, improved_model_share)]
    if improved_model_share < 1:
        improved_models.append((baseline_model, 1 - improved_model_share))
    try:
        return calc.scenario(
            baseline=workload(
                models=[(baseline_model, 1.0)],
                region=baseline_region,
                output_tokens=baseline_output_tokens,
                iterations=baseline_iterations,
            ),
            improved=workload(
                models=improved_models,
                region=improved_region,
                output_tokens=improved_output_tokens,
                iterations=improved_iterations,
            ),
            tasks=tasks,
            input_tokens=input_tokens,
            fixed=TRAININGS[training]() if training else None,
            assumptions=[training_note(training)],
        )
    except calc.InvalidInput as error:
        raise invalid_input_error(error) from None


# --- The study's headline: "Llama 3 series, one year ≈ 240,000 tCO2e; ÷ about 4 with the good practices"

MONTHLY_USERS = 1_000_000_000
TASKS_PER_USER_PER_MONTH = 110  # our assumption: about 3.6 tasks a day


class WorkloadPreset(TypedDict):
    """workload()'s arguments."""

    models: list[tuple[str, float]]
    region: str
    output_tokens: float
    iterations: float


class ScenarioPreset(TypedDict):
    tasks: float
    input_tokens: float
    baseline: WorkloadPreset
    improved: WorkloadPreset


LLAMA3_YEAR: ScenarioPreset = {
    "tasks": MONTHLY_USERS * 12 * TASKS_PER_USER_PER_MONTH,
    "input_tokens": 300,
    "baseline": {
        "models": [("llama-3-70b", 1.0)],
        "region": "us-central1",
        "output_tokens": 400,
        "iterations": 3,
    },
    "improved": {
        "models": [("llama-3-70b", 0.7), ("llama-3-8b", 0.3)],
        "region": "us-west2",
        "output_tokens": 250,
        "iterations": 2,
    },
}

LLAMA3_TRAINING = [
    # (what, H100-hours, implied location-based grid, from the model cards' own totals)
    ("Llama 3 8B + 70B pre-training", 7_700_000, 2_290_000 / (7_700_000 * 0.7)),
    ("Llama 3.1 8B + 70B + 405B pre-training", 39_300_000, 11_390_000 / (39_300_000 * 0.7)),
]


def llama3_year_assumptions() -> list[str]:
    base, improved = LLAMA3_YEAR["baseline"], LLAMA3_YEAR["improved"]
    return [
        _(
            "The study (The Brandtech Group, fifty-five and Scope3, 2025) did not publish how it derived "
            "240,000 tCO2e or the division by about 4. The assumptions below are ours: plausible, each one "
            "stated, and chosen to reproduce the order of magnitude of its headline. Change them and the "
            "result changes."
        ),
        _(
            "Use: 1 billion monthly users (Meta reported about 1 billion monthly users of Meta AI in 2025), "
            "%(per_month)s tasks per user per month, so %(tasks)s tasks in the year."
        )
        % {"per_month": TASKS_PER_USER_PER_MONTH, "tasks": f"{LLAMA3_YEAR['tasks']:.3g}"},
        _("Each request: %(input)s input tokens.") % {"input": LLAMA3_YEAR["input_tokens"]},
        _(
            "Baseline: every task on Llama 3 70B, in %(region)s, %(iterations)s prompts per task, "
            "%(output)s output tokens per answer."
        )
        % {"region": base["region"], "iterations": base["iterations"], "output": base["output_tokens"]},
        _(
            "Improved, lever 1 (region): %(region)s, a lower-carbon Google Cloud region (2024 data). "
            "Levers 2 and 3 (prompting training): %(iterations)s prompts per task, %(output)s output tokens. "
            "Lever 4 (model sized to the need): 30%% of the tasks, the simple ones, on Llama 3 8B."
        )
        % {
            "region": improved["region"],
            "iterations": improved["iterations"],
            "output": improved["output_tokens"],
        },
        _(
            "Training counted once on both sides, from Meta's model cards: Llama 3 (7.7M H100-hours, 2,290 tCO2e) "
            "and Llama 3.1 (39.3M H100-hours, 11,390 tCO2e), at 700 W per GPU including data-centre overhead "
            "and the grid intensity their totals imply, plus the GPUs' embodied share. No lever changes it."
        ),
    ]


def llama3_year_training() -> calc.Footprint:
    parts = [
        estimate_training(
            gpu_hours=hours, gpu_power_w=700, gpu_type="h100", pue=1.0, grid_intensity=round(grid * 1000, 1)
        )
        for _, hours, grid in LLAMA3_TRAINING
    ]
    return calc.footprint_sum(
        parts, kind="training", inputs={"training": [name for name, _, _ in LLAMA3_TRAINING]}
    )


# Trainings a custom scenario may count once on both sides (the form's and the API's `training`).
TRAININGS = {"llama3": llama3_year_training}


def training_note(training: str) -> str:
    if training == "llama3":
        return _(
            "Training counted once on both sides, as in the study's example: Llama 3 and Llama 3.1 "
            "pre-training from Meta's model cards. No lever changes it, so it narrows the ratio."
        )
    return _(
        "Training not counted: only the use is compared. Count the Llama 3 training to compare with the "
        "study's example, which includes it."
    )


def llama3_year() -> calc.Scenario:
    preset = LLAMA3_YEAR
    return calc.scenario(
        baseline=workload(**preset["baseline"]),
        improved=workload(**preset["improved"]),
        tasks=preset["tasks"],
        input_tokens=preset["input_tokens"],
        fixed=llama3_year_training(),
        assumptions=llama3_year_assumptions(),
    )


PRESETS = {"llama3-year": llama3_year}


def scenario_preset_run(*, preset: str | None = None, **custom: Any) -> calc.Scenario:
    if preset:
        if custom:
            raise ValidationError({"preset": _("A preset takes no other inputs.")})
        if preset not in PRESETS:
            raise ValidationError(
                {
                    "preset": _("Unknown preset %(preset)s: one of %(presets)s.")
                    % {"preset": preset, "presets": ", ".join(PRESETS)}
                }
            )
        return PRESETS[preset]()
    return scenario_run(**custom)
