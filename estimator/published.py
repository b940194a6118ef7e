"""Published figures, each run like for like through the estimator: the method page's agreement table
and the published-figures test (tests/estimator/test_published_figures.py).

Each figure states its boundary and the inputs that reproduce it: the source's own where it gives them,
otherwise ours, written in `assumptions`. A figure whose boundary the estimator cannot reproduce yet is
listed with `comparable=False` and the reason, so the page shows it without a band.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estimator import calculations as calc
from estimator import services
from estimator.ecologits_adapter import llm_request_impacts
from estimator.models import Modality

# Epoch AI's "typical query" (≈500 output tokens): our workload where a source gives no token counts.
TYPICAL_QUERY = {"output_tokens": 500}
GOOGLE_2025 = (
    "Google, 'Measuring the environmental impact of delivering AI at Google scale', arXiv 2508.15734"
)
GEMINI_NOTE = _(
    "Gemini 2.5 Flash stands for Gemini Apps (its default model in 2025, our assumption); 500 output tokens: "
    "Epoch AI's 'typical query' (the source gives no token counts)."
)
EPOCH = "Epoch AI, 'How much energy does ChatGPT use?', February 2025"
META_LLAMA3 = "Meta, Llama 3 model card, April 2024"
META_LLAMA31 = "Meta, Llama 3.1 model card, July 2024"
META_NOTE = _(
    "Meta's 700 W per H100 includes the data centre's overhead (PUE 1 here); grid 425 gCO2e/kWh, derived "
    "from the Llama 3 card's totals (2,290 t for 7.7M H100-hours)."
)
PATTERSON = "Patterson et al., 'Carbon Emissions and Large Neural Network Training', arXiv 2104.10350, 2021"
BLOOM = "Luccioni, Viguier & Ligozat, 'Estimating the Carbon Footprint of BLOOM', JMLR 2023"
BLOOM_NOTE = _(
    "1,082,990 A100-hours at 400 W, no PUE (the paper's dynamic consumption); grid 57 gCO2e/kWh (France)."
)
GPT3_NOTE = _("10,000 V100 for 14.8 days at 330 W, PUE 1.1, 429 gCO2e/kWh (the paper's inputs).")
INPUT_NOTE = _(
    "This measurement is one of the model's inputs: the check is that scaling leaves it in the band."
)
MISTRAL_LCA = "Mistral AI with Carbone 4 and ADEME, 'Our contribution to a global environmental standard for AI', July 2025"
MISTRAL_PARAMS = {"model": "mistral-large-2", "output_tokens": 400, "scope": "lifecycle"}
MISTRAL_NOTE = _(
    "Ours at the life-cycle scope: inference where EcoLogits places Mistral AI's data centres (Sweden), plus the "
    "answer's share of a training derived from 123B parameters (no training figure is published). Mistral calls "
    "its figure the marginal impact of inference including upstream hardware manufacturing, and does not say "
    "whether training is shared into it; at our central lifetime the training share is about 0.03 g either way."
)
FULL_SERVING = _("Full serving stack: accelerators, host CPU and memory, idle capacity, PUE 1.09")
ELECTRICITY_ONLY = _("Location-based electricity emissions (no manufacturing)")
GPU_ONLY = _("GPU energy only, NVIDIA H100, no PUE")

# Units: our result (kWh, kgCO2e, L) × scale = the published unit.
SCALES = {"Wh": 1e3, "MWh": 1e-3, "gCO2e": 1e3, "tCO2e": 1e-3, "mL": 1e3}


@dataclass(frozen=True)
class PublishedFigure:
    key: str
    label: str | Promise
    value: float
    unit: str
    boundary: str | Promise
    source: str
    year: int
    kind: str  # the estimate kind: text, image or training
    measure: str  # a Footprint range, or "accelerator_energy_kwh"
    params: dict[str, Any] = field(default_factory=dict)
    assumptions: str | Promise = ""
    comparable: bool = True
    reason: str | Promise = ""  # why not comparable

    def ours(self) -> calc.Range | None:
        """Our low / central / high in the published unit, or None when not comparable."""
        if not self.comparable:
            return None
        scale = SCALES[self.unit]
        if self.measure == "accelerator_energy_kwh":
            return accelerator_energy_kwh(**self.params) * scale
        result = services.estimate(self.kind, **self.params)
        measured: calc.Range = getattr(result, self.measure)
        return measured * scale


def accelerator_energy_kwh(*, model: str, output_tokens: float, input_tokens: float = 0) -> calc.Range:
    """The GPUs' energy alone (no host, no idle capacity, no PUE): the narrow boundary."""
    row = services.catalogue_model(model, Modality.TEXT)
    spec = services.text_model(row)
    place = services.place_resolve(provider=row.datacenter)
    datacenter = services.datacenter_for(place, row, None)
    tokens = output_tokens + calc.prefill_equivalent_tokens(input_tokens)
    values = [
        llm_request_impacts(
            bound.active_params_b, bound.total_params_b, bound.serving, spec.tps, spec.ttft_s
        ).accelerator_energy_kwh_per_token
        * tokens
        for bound in calc.text_bounds(spec, datacenter)
    ]
    return calc.Range(*values)


FIGURES: tuple[PublishedFigure, ...] = (
    PublishedFigure(
        "gemini-median-energy",
        _("Gemini Apps, median text prompt: energy"),
        0.24,
        "Wh",
        FULL_SERVING,
        GOOGLE_2025,
        2025,
        "text",
        "energy_kwh",
        {"model": "gemini-2.5-flash", **TYPICAL_QUERY},
        GEMINI_NOTE,
    ),
    PublishedFigure(
        "gemini-median-accelerator",
        _("Gemini Apps, median text prompt: accelerators only"),
        0.10,
        "Wh",
        _("Active accelerators only (the narrow boundary of many estimates)"),
        GOOGLE_2025,
        2025,
        "text",
        "accelerator_energy_kwh",
        {"model": "gemini-2.5-flash", **TYPICAL_QUERY},
        _(
            "Gemini 2.5 Flash stands for Gemini Apps (our assumption); 500 output tokens (Epoch AI's typical "
            "query); ours: the GPUs' energy alone in EcoLogits' formula."
        ),
    ),
    PublishedFigure(
        "gemini-median-market-co2",
        _("Gemini Apps, median text prompt: emissions (market-based)"),
        0.03,
        "gCO2e",
        _("Market-based electricity (scope 2) plus hardware manufacturing"),
        GOOGLE_2025,
        2025,
        "text",
        "emissions_kgco2e",
        {"model": "gemini-2.5-flash", **TYPICAL_QUERY, "basis": "market"},
        _(
            "Gemini 2.5 Flash stands for Gemini Apps (our assumption); 500 output tokens (Epoch AI's typical "
            "query); Google's market-based factor from the same paper."
        ),
    ),
    PublishedFigure(
        "gemini-median-water",
        _("Gemini Apps, median text prompt: water (on-site)"),
        0.26,
        "mL",
        _("Data-centre cooling water only (no electricity generation)"),
        GOOGLE_2025,
        2025,
        "text",
        "water_onsite_l",
        {"model": "gemini-2.5-flash", **TYPICAL_QUERY},
        GEMINI_NOTE,
    ),
    PublishedFigure(
        "chatgpt-average-energy",
        _("ChatGPT, average query: energy"),
        0.34,
        "Wh",
        _("Not stated (no method published); compared at our full serving boundary"),
        "Sam Altman (OpenAI), 'The Gentle Singularity', June 2025",
        2025,
        "text",
        "energy_kwh",
        {"model": "gpt-4o", **TYPICAL_QUERY},
        _(
            "GPT-4o stands for ChatGPT (its default model until August 2025, our assumption); 500 output "
            "tokens: Epoch AI's 'typical query' (the source gives no token counts)."
        ),
    ),
    PublishedFigure(
        "epoch-gpt4o-typical",
        _("GPT-4o, typical query (≈500 output tokens)"),
        0.3,
        "Wh",
        _("Estimate from model size, H100 servers and utilisation, with data-centre overhead"),
        EPOCH,
        2025,
        "text",
        "energy_kwh",
        {"model": "gpt-4o", "output_tokens": 500},
    ),
    PublishedFigure(
        "epoch-gpt4o-10k",
        _("GPT-4o, 10k input tokens"),
        2.5,
        "Wh",
        _("As above, with 10,000 input tokens"),
        EPOCH,
        2025,
        "text",
        "energy_kwh",
        {"model": "gpt-4o", "output_tokens": 500, "input_tokens": 10_000},
    ),
    PublishedFigure(
        "epoch-gpt4o-100k",
        _("GPT-4o, 100k input tokens"),
        40,
        "Wh",
        _("As above, with 100,000 input tokens"),
        EPOCH,
        2025,
        "text",
        "energy_kwh",
        {"model": "gpt-4o", "output_tokens": 500, "input_tokens": 100_000},
    ),
    PublishedFigure(
        "ecologits-70b",
        _("70B dense model, 500 output tokens (EcoLogits method)"),
        0.27,
        "Wh",
        _("EcoLogits' method: GPUs and server, batch 64, PUE 1.2 (derived)"),
        "EcoLogits methodology, LLM inference",
        2025,
        "text",
        "energy_kwh",
        {"active_params_b": 70, "output_tokens": 500, "pue": 1.2},
    ),
    PublishedFigure(
        "sdxl-energy",
        _("Stable Diffusion XL, one 1024×1024 image"),
        1.64,
        "Wh",
        GPU_ONLY,
        "AI Energy Score (Hugging Face), text-to-image leaderboard",
        2025,
        "image",
        "energy_kwh",
        {"model": "sdxl", "images": 1, "pue": 1.0},
        INPUT_NOTE,
    ),
    PublishedFigure(
        "sd21-energy",
        _("Stable Diffusion 2.1, one image"),
        0.53,
        "Wh",
        GPU_ONLY,
        "EcoLogits documentation (image methodology), from AI Energy Score",
        2025,
        "image",
        "energy_kwh",
        {"model": "sd-2.1", "images": 1, "pue": 1.0},
        INPUT_NOTE,
    ),
    PublishedFigure(
        "llama3-8b-training",
        _("Llama 3 8B pre-training"),
        390,
        "tCO2e",
        ELECTRICITY_ONLY,
        META_LLAMA3,
        2024,
        "training",
        "usage_emissions_kgco2e",
        {"gpu_hours": 1.3e6, "gpu_power_w": 700, "gpu_type": "h100", "pue": 1.0, "grid_intensity": 425},
        META_NOTE,
    ),
    PublishedFigure(
        "llama3-70b-training",
        _("Llama 3 70B pre-training"),
        1_900,
        "tCO2e",
        ELECTRICITY_ONLY,
        META_LLAMA3,
        2024,
        "training",
        "usage_emissions_kgco2e",
        {"gpu_hours": 6.4e6, "gpu_power_w": 700, "gpu_type": "h100", "pue": 1.0, "grid_intensity": 425},
        META_NOTE,
    ),
    PublishedFigure(
        "llama3-training",
        _("Llama 3 8B + 70B pre-training"),
        2_290,
        "tCO2e",
        ELECTRICITY_ONLY,
        META_LLAMA3,
        2024,
        "training",
        "usage_emissions_kgco2e",
        {"gpu_hours": 7.7e6, "gpu_power_w": 700, "gpu_type": "h100", "pue": 1.0, "grid_intensity": 425},
        META_NOTE,
    ),
    PublishedFigure(
        "llama31-405b-training",
        _("Llama 3.1 405B pre-training"),
        8_930,
        "tCO2e",
        ELECTRICITY_ONLY,
        META_LLAMA31,
        2024,
        "training",
        "usage_emissions_kgco2e",
        {"gpu_hours": 30.84e6, "gpu_power_w": 700, "gpu_type": "h100", "pue": 1.0, "grid_intensity": 425},
        _(
            "Meta's 700 W per H100 includes the data centre's overhead (PUE 1 here); grid 425 gCO2e/kWh from "
            "the Llama 3 card's totals, assumed for Llama 3.1."
        ),
    ),
    PublishedFigure(
        "gpt3-training-energy",
        _("GPT-3 training: energy"),
        1_287,
        "MWh",
        _("Measured system power per processor (host included) × PUE 1.1"),
        PATTERSON,
        2021,
        "training",
        "energy_kwh",
        {
            "gpu_hours": 10_000 * 14.8 * 24,
            "gpu_power_w": 330,
            "gpu_type": "v100",
            "pue": 1.1,
            "grid_intensity": 429,
        },
        GPT3_NOTE,
    ),
    PublishedFigure(
        "gpt3-training-co2",
        _("GPT-3 training: emissions"),
        552,
        "tCO2e",
        ELECTRICITY_ONLY,
        PATTERSON,
        2021,
        "training",
        "usage_emissions_kgco2e",
        {
            "gpu_hours": 10_000 * 14.8 * 24,
            "gpu_power_w": 330,
            "gpu_type": "v100",
            "pue": 1.1,
            "grid_intensity": 429,
        },
        GPT3_NOTE,
    ),
    PublishedFigure(
        "bloom-training-energy",
        _("BLOOM 176B training: dynamic energy"),
        433,
        "MWh",
        _("GPU dynamic power only (no idle cluster, no PUE)"),
        BLOOM,
        2023,
        "training",
        "energy_kwh",
        {"gpu_hours": 1_082_990, "gpu_power_w": 400, "gpu_type": "a100", "pue": 1.0, "grid_intensity": 57},
        BLOOM_NOTE,
    ),
    PublishedFigure(
        "bloom-training-co2",
        _("BLOOM 176B training: dynamic emissions"),
        24.7,
        "tCO2e",
        _("Location-based emissions of the dynamic energy"),
        BLOOM,
        2023,
        "training",
        "usage_emissions_kgco2e",
        {"gpu_hours": 1_082_990, "gpu_power_w": 400, "gpu_type": "a100", "pue": 1.0, "grid_intensity": 57},
        BLOOM_NOTE,
    ),
    PublishedFigure(
        "bloom-training-embodied",
        _("BLOOM 176B training: hardware manufacturing"),
        11.2,
        "tCO2e",
        _("Embodied emissions of the servers and GPUs, shared over the training time"),
        BLOOM,
        2023,
        "training",
        "embodied_emissions_kgco2e",
        {"gpu_hours": 1_082_990, "gpu_power_w": 400, "gpu_type": "a100", "pue": 1.0, "grid_intensity": 57},
        _(
            "1,082,990 A100-hours; 11.2 t = 50.5 t in all − 24.7 t dynamic − 14.6 t idle (the paper's totals)."
        ),
    ),
    PublishedFigure(
        "mistral-large-2-lifecycle-co2",
        _("Mistral Large 2, 400-token answer: life cycle emissions"),
        1.14,
        "gCO2e",
        _("Full life cycle: a share of training and of hardware manufacturing"),
        MISTRAL_LCA,
        2025,
        "text",
        "emissions_kgco2e",
        MISTRAL_PARAMS,
        MISTRAL_NOTE,
    ),
    PublishedFigure(
        "mistral-large-2-lifecycle-water",
        _("Mistral Large 2, 400-token answer: life cycle water"),
        45,
        "mL",
        _("Full life cycle water"),
        MISTRAL_LCA,
        2025,
        "text",
        "water_l",
        MISTRAL_PARAMS,
        MISTRAL_NOTE,
    ),
)


@dataclass(frozen=True)
class Comparison:
    figure: PublishedFigure
    ours: calc.Range | None

    @property
    def inside(self) -> bool | None:
        if self.ours is None:
            return None
        tolerance = 1e-9 * self.figure.value  # a published input reproduced exactly sits on a bound
        return self.ours.low - tolerance <= self.figure.value <= self.ours.high + tolerance

    @property
    def ratio(self) -> float | None:
        return self.ours.central / self.figure.value if self.ours is not None else None


@dataclass(frozen=True)
class Agreement:
    rows: tuple[Comparison, ...]

    @property
    def compared(self) -> tuple[Comparison, ...]:
        return tuple(row for row in self.rows if row.ours is not None)

    @property
    def share_inside(self) -> float:
        compared = self.compared
        return sum(bool(row.inside) for row in compared) / len(compared) if compared else 0.0

    @property
    def median_ratio(self) -> float:
        return statistics.median(row.ratio for row in self.compared if row.ratio is not None)


def agreement() -> Agreement:
    """Every published figure against our band, like for like."""
    return Agreement(tuple(Comparison(figure, figure.ours()) for figure in FIGURES))
