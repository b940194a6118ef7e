"""Translated display names of the method's factors, by key (calculations.FACTOR_NAMES has the English)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from estimator import calculations as calc
from estimator import levers, lifecycle, reference_data
from estimator.calculations import USER_GIVEN
from estimator.ecologits_adapter import ECOLOGITS_VERSION

FACTOR_LABELS = {
    "model_active_params": _("%(model)s: active parameters"),
    "model_total_params": _("%(model)s: total parameters"),
    "active_params": _("active parameters"),
    "batch_size": _("serving batch size (low / central / high impact)"),
    "weight_bits": _("bits per model weight when served (low / central / high impact)"),
    "gpu_memory": _("memory of one serving GPU (low / central / high impact)"),
    "idle_capacity": _("idle serving capacity kept for peaks, × active energy (low / central / high impact)"),
    "generation_speed": _("%(model)s: generation speed and time to first token"),
    "context_window": _("%(model)s: context window"),
    "server_embodied": _("host server embodied emissions (low / central / high impact)"),
    "hardware_lifetime": _("hardware lifetime (low / central / high impact)"),
    "training_power_share": _("GPU draw under training load (low / central / high impact)"),
    "market_factor": _("market-based electricity emissions, %(where)s"),
    "prefill": _("input token cost, as a share of an output token"),
    "serving_overhead": _("full serving stack ÷ accelerator-only energy (before PUE)"),
    "image_pixels": _("image size: energy × (pixel ratio)^exponent (low / central / high)"),
    "image_steps": _("denoising steps: energy scales"),
    "image_campaign_spread": _("one measurement campaign: spread between campaigns applied (low ÷, high ×)"),
    "image_energy": _("%(model)s: energy per image, %(width)s×%(height)s, %(steps)s steps"),
    "gpu_power": _("%(gpu)s: power"),
    "gpu_embodied": _("%(gpu)s: embodied emissions"),
    "gpu_lifetime": _("%(gpu)s: lifetime"),
    "pue": _("PUE (%(datacenter)s)"),
    "pue_given": _("PUE"),
    "wue": _("on-site water, WUE (%(datacenter)s)"),
    "grid_intensity": _("grid carbon intensity, %(where)s"),
    "grid_intensity_given": _("grid carbon intensity"),
    "grid_water": _("water consumed by electricity generation, %(where)s"),
    "training_published": _("%(model)s: training as published"),
    "training_tokens": _("%(model)s: training tokens"),
    "training_utilisation": _("training: effective use of the GPUs' peak (low / central / high impact)"),
    "training_grid": _("training electricity, %(where)s"),
    "lifetime_requests": _("requests served in the model's lifetime"),
}
LEVER_LABELS = {
    levers.REGION: _("#1 Greener region"),
    levers.ITERATIONS: _("#2 Fewer iterations"),
    levers.OUTPUT_SIZE: _("#3 Smaller outputs"),
    levers.MODEL: _("#4 Model sized to the need"),
}
# The notes the method writes beside its own factors, by factor key: the page shows them in the reader's
# language when the saved source is still the method's current wording (an older result keeps its own).
# tests/estimator/test_source_notes.py checks that each English text is the method's word for word.
SOURCE_NOTES = {
    "prefill": _(
        "Our model, calibrated on Epoch AI, 'How much energy does ChatGPT use?' (2025): GPT-4o ≈0.3 Wh per "
        "query, ≈2.5 Wh with 10k input tokens, ≈40 Wh with 100k"
    ),
    "batch_size": _(
        "EcoLogits %(ecologits)s assumes 64; vLLM's default ceiling is 256 concurrent sequences (engine "
        "argument max_num_seqs); the central value is our assumption"
    ),
    "weight_bits": _(
        "EcoLogits %(ecologits)s assumes 16; FP8 serving: DeepSeek-V3 technical report (arXiv 2412.19437), "
        "Meta Llama 4 Maverick FP8 weights (2025)"
    ),
    "gpu_memory": _("NVIDIA H100 SXM (80 GB) and H200 (141 GB) datasheets"),
    "idle_capacity": _(
        "Google, 'Measuring the environmental impact of delivering AI at Google scale', arXiv 2508.15734: "
        "idle machines 10 % of the full serving energy, active machines 83 %"
    ),
    "image_pixels": _(
        "Bertazzini et al., 'The Hidden Cost of an Image', arXiv 2506.17016 (2025): ×1.3 to ×4.7 energy when "
        "doubling the resolution; the centre is their geometric middle"
    ),
    "image_steps": _(
        "ML.ENERGY Leaderboard v2 (2024), SDXL and SD 2.1 on an A100 at 30 and 50 steps: energy ×1.65 and "
        "×1.64 for ×1.67 steps"
    ),
    "image_campaign_spread": _(
        "One measurement campaign only: the low and high ends get the spread between campaigns of the models "
        "measured by several (SDXL: AI Energy Score, ML.ENERGY v2, Luccioni et al.; SD 2.1: AI Energy Score, "
        "ML.ENERGY v2), geometric mean"
    ),
    "server_embodied": _(
        "EcoLogits %(ecologits)s (server embodied impact, the same figure as for inference)"
    ),
    "hardware_lifetime": _(
        "Low: 6 years, the cloud providers' server life until 2024; central: 5 years, AWS for AI servers "
        "from 2025 (2024 annual report); high: EcoLogits %(ecologits)s (3 years)"
    ),
    "training_power_share": _(
        "High: Patterson et al. 2021, arXiv 2104.10350 (measured 330 W per 300 W V100 for GPT-3, host "
        "included); low: our assumption for GPUs drawing below their rating between steps"
    ),
    "lifetime_requests": _(
        "Over 18 months, Mistral AI's life-cycle analysis period. Fewest: our assumption (a tenth of the "
        "centre); central: implied by Mistral Large 2's figures (20.4 ktCO2e for training and 18 months of "
        "use ÷ 1.14 gCO2e per 400-token answer, derived); most: ChatGPT's 2.5 billion prompts a day (OpenAI "
        "to Axios, July 2025) over 18 months"
    ),
    "training_utilisation": _(
        "Derived from the published trainings of the catalogue (Meta's Llama 3, 3.1 and 4 model cards, "
        "DeepSeek-V3 technical report): 6 × active parameters × tokens ÷ (GPU-hours × peak), highest / "
        "median / lowest; peak from the NVIDIA H100 SXM datasheet"
    ),
}
TOKENS_NOTE = _(
    "Not published: from compute-optimal, 20 tokens per parameter (Hoffmann et al. 2022, arXiv 2203.15556), "
    "through 15T (Llama 3, DeepSeek-V3) to 40T (Llama 4 Scout model card), our range"
)
# The method's factors that carry these notes, by key (a pure-Python module: its wording is English).
CODE_FACTORS = {
    factor.key: factor
    for factor in (
        calc.PREFILL_FACTOR,
        *calc.SERVING_FACTORS,
        *calc.IMAGE_FACTORS,
        calc.CAMPAIGN_SPREAD_FACTOR,
        *calc.SERVER_FACTORS,
        calc.TRAINING_POWER_FACTOR,
        lifecycle.LIFETIME_FACTOR,
        lifecycle.UTILISATION_FACTOR,
    )
}
# The reference data's own notes (estimator/reference_data.py, loaded into the database): GPUs by slug.
GPU_SOURCE_NOTES = {
    "h100": _(
        "Power: NVIDIA H100 datasheet (TDP 700 W). Embodied and 3-year lifetime: EcoLogits %(ecologits)s "
        "(MPL-2.0) defaults for a data-centre GPU"
    ),
    "a100": _(
        "Power: NVIDIA A100 datasheet (TDP 400 W). Embodied: Luccioni, Viguier & Ligozat, 'Estimating the "
        "Carbon Footprint of BLOOM', JMLR 2023 (≈150 kgCO2e per A100). Lifetime: EcoLogits %(ecologits)s "
        "(MPL-2.0) (3 years)"
    ),
    "h200": _(
        "Power: NVIDIA H200 datasheet (TDP up to 700 W). Embodied: no published figure; assumed equal to the "
        "H100's (EcoLogits %(ecologits)s (MPL-2.0) default). Lifetime: EcoLogits %(ecologits)s (MPL-2.0) "
        "(3 years)"
    ),
    "b200": _(
        "Power: NVIDIA HGX B200 specifications (1,000 W per GPU). Embodied: no published figure; assumed "
        "equal to the H100's (EcoLogits %(ecologits)s (MPL-2.0) default). Lifetime: EcoLogits "
        "%(ecologits)s (MPL-2.0) (3 years)"
    ),
    "v100": _(
        "Power: NVIDIA V100 datasheet (TDP 300 W). Embodied: no published figure; assumed equal to the "
        "A100's (Luccioni et al., JMLR 2023). Lifetime: EcoLogits (3 years)"
    ),
}
DATACENTER_NOTE = _(
    "EcoLogits %(ecologits)s (MPL-2.0) provider data-centre assumptions (from the providers' reports)"
)
SOURCES = {
    USER_GIVEN: _("given by the user"),
    reference_data.DATACENTER_SOURCE: DATACENTER_NOTE,
    **{str(gpu["source"]): GPU_SOURCE_NOTES[str(gpu["slug"])] for gpu in reference_data.GPUS},
    lifecycle.TOKENS_SOURCE: TOKENS_NOTE,
    **{CODE_FACTORS[key].source: note for key, note in SOURCE_NOTES.items()},
}
ZONES = {"WOR": _("world average")}


def factor_label(factor: dict[str, Any]) -> str:
    """A factor's name in the active language; its English name when its key is unknown (older results)."""
    template = FACTOR_LABELS.get(factor.get("key", ""))
    if template is None:
        return str(factor.get("name", ""))
    params = {
        name: str(ZONES[value]) if value in ZONES else place_label(value) if name == "where" else value
        for name, value in factor.get("params", {}).items()
    }
    return gettext(str(template)) % params if params else str(template)


# Sources whose wording the method writes (the cited titles inside them stay as published), by pattern.
SOURCE_PATTERNS = [
    (
        re.compile(
            r"^Google Cloud region carbon data \(GoogleCloudPlatform/region-carbon-info, Apache-2\.0\), "
            r"location-based grid carbon intensity, (?P<year>\d{4})$"
        ),
        _(
            "Google Cloud region carbon data (GoogleCloudPlatform/region-carbon-info, Apache-2.0), "
            "location-based grid carbon intensity, %(year)s"
        ),
    ),
    (
        re.compile(
            r"^Google Cloud region carbon data: grid intensity × \(1 − Google carbon-free energy share "
            r"(?P<cfe>\d+)%\)$"
        ),
        _(
            "Google Cloud region carbon data: grid intensity × (1 − Google carbon-free energy share %(cfe)s%%)"
        ),
    ),
]


def source_note(note: Any) -> str:
    """A note of SOURCES in the active language (the EcoLogits version is a parameter of some)."""
    text = gettext(str(note))
    return text % {"ecologits": ECOLOGITS_VERSION} if "%(ecologits)s" in text else text


def factor_source(source: str) -> str:
    if source in SOURCES:
        return source_note(SOURCES[source])
    for pattern, template in SOURCE_PATTERNS:
        if match := pattern.match(source):
            return gettext(str(template)) % match.groupdict()
    return source


# What an estimate is of, by its kind (saved estimates, the catalogue's modality).
KIND_LABELS = {
    "text": _("text generation"),
    "image": _("image generation"),
    "training": _("training"),
    "scenario": _("four-lever scenario"),
}

# The inputs a saved estimate keeps, by their key in its JSON.
INPUT_LABELS = {
    "model": _("model"),
    "region": _("region"),
    "region_year": _("year of the region's data"),
    "country": _("country"),
    "grid_intensity": _("grid carbon intensity (gCO2e/kWh)"),
    "pue": _("PUE"),
    "basis": _("emissions basis"),
    "scope": _("scope"),
    "output_tokens": _("output tokens per answer"),
    "input_tokens": _("input tokens per answer"),
    "reasoning_tokens": _("reasoning tokens per answer"),
    "requests": _("requests"),
    "iterations": _("prompts per task"),
    "lifetime_requests": _("requests served in the model's lifetime"),
    "active_params_b": _("active parameters (billions)"),
    "total_params_b": _("total parameters (billions)"),
    "images": _("images"),
    "width": _("width (px)"),
    "height": _("height (px)"),
    "steps": _("denoising steps"),
    "gpu_hours": _("GPU-hours"),
    "gpu_type": _("GPU"),
    "gpu_power_w": _("GPU power (W)"),
    "include_embodied": _("hardware manufacturing included"),
}
# The catalogue's provider codes (EcoLogits' names) as people know them.
PROVIDER_NAMES = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "google_genai": "Google",
    "mistralai": "Mistral AI",
    "cohere": "Cohere",
    "huggingface_hub": "Hugging Face",
    "stabilityai": "Stability AI",
    "black-forest-labs": "Black Forest Labs",
}


def provider_name(code: str) -> str:
    """'Google' for 'google_genai': a provider as people know it (its code when we have no name for it)."""
    return PROVIDER_NAMES.get(code, code)


BASIS_LABELS = {"location": _("location-based"), "market": _("market-based")}

# Google Cloud's names of the places of its regions (estimator/data/gcp-region-carbon), in the active
# language; a name missing here is the same in both languages (Paris, Tokyo, Iowa).
PLACE_NAMES = {
    "Belgium": _("Belgium"),
    "Finland": _("Finland"),
    "Frankfurt": _("Frankfurt"),
    "Georgia": _("Georgia (US)"),
    "London": _("London"),
    "Mexico": _("Mexico"),
    "Montreal": _("Montréal"),
    "Mumbai": _("Mumbai"),
    "Netherlands": _("Netherlands"),
    "Northern Virginia": _("Northern Virginia"),
    "Sao Paulo": _("São Paulo"),
    "Sāo Paulo": _("São Paulo"),
    "Seoul": _("Seoul"),
    "Singapore": _("Singapore"),
    "South Carolina": _("South Carolina"),
    "Taiwan": _("Taiwan"),
    "Warsaw": _("Warsaw"),
    "Zurich": _("Zurich"),
    "Zürich": _("Zurich"),
}
_REGION_LABEL = re.compile(r"^(?P<region>.+) \((?P<place>[^()]+)\)$")

# Units of the factors (estimator.calculations), in the active language.
UNITS = {
    "exponent of the pixel ratio": _("exponent of the pixel ratio"),
    "kgCO2e per 8-GPU server": _("kgCO2e per 8-GPU server"),
    "years": _("years"),
    "billion": _("billion"),
    "trillion": _("trillion"),
    "tokens": _("tokens"),
    "concurrent requests": _("concurrent requests"),
    "bits per weight": _("bits per weight"),
    "output-token equivalents": _("output-token equivalents"),
    "requests (fewest / central / most)": _("requests (fewest / central / most)"),
    "of the H100's 989 TFLOPS (BF16)": _("of the H100's 989 TFLOPS (BF16)"),
    "× the power given": _("× the power given"),
}
# Words inside a factor's value ("2,788,000 GPU-hours × 700 W", "0.333 × (1 + input tokens / 100,000)").
VALUE_WORDS = {
    "GPU-hours": pgettext_lazy("in a factor's value", "GPU-hours"),
    "input tokens": pgettext_lazy("in a factor's value", "input tokens"),
    "linear": pgettext_lazy("in a factor's value", "linear"),
}
# A number as the method writes it: "2,788,000", "0.61", "1.8e9", "100,000".
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(e\d+)?(?![\w])")


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def input_label(name: str) -> str:
    return str(INPUT_LABELS.get(name, name))


def place_name(name: str) -> str:
    return str(PLACE_NAMES.get(name, name))


def place_label(label: str) -> str:
    """ "europe-north1 (Finland)" in the active language: "europe-north1 (Finlande)"."""
    match = _REGION_LABEL.match(label)
    if match is None:
        return place_name(label)
    return f"{match['region']} ({place_name(match['place'])})"


def localize_numbers(text: str) -> str:
    """The numbers of a text the method wrote in English, with the active language's separators."""

    def localized(match: re.Match[str]) -> str:
        whole, fraction, exponent = match[1], match[2] or "", match[3] or ""
        decimals = len(fraction) - 1 if fraction else 0
        number = float(whole.replace(",", "") + fraction)
        grouped = number_format(number, decimals, use_l10n=True, force_grouping=not exponent)
        return grouped + exponent

    return _NUMBER.sub(localized, text)


def factor_value(value: Any) -> str:
    """A factor's value in the active language: numbers grouped and with the language's decimal mark."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
        return localize_numbers(text) if "e" not in text else text
    text = str(value)
    for english, translated in VALUE_WORDS.items():
        text = text.replace(english, str(translated))
    return localize_numbers(text)


def factor_unit(unit: str) -> str:
    return str(UNITS.get(unit, unit))


def input_value(value: Any, name: str) -> str:
    """A saved estimate's input as a reader reads it: "location-based", "yes", "1,500"."""
    if name == "basis":
        return str(BASIS_LABELS.get(value, value))
    if name == "region" and isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return factor_value(value)
