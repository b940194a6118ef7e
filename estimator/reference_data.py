"""The reference data the estimator starts with, loaded by migration 0002 (and safe to load again).

Sources are recorded on every row; the admin shows and edits them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, TypedDict

from estimator.ecologits_adapter import (
    ECOLOGITS_VERSION,
    electricity_mixes,
    model_catalogue,
    provider_datacenters,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
GCP_SOURCE = (
    "Google Cloud region carbon data (GoogleCloudPlatform/region-carbon-info, Apache-2.0), "
    "location-based grid carbon intensity, {year}"
)
ECOLOGITS = f"EcoLogits {ECOLOGITS_VERSION} (MPL-2.0)"

# Our slugs for the models people ask for most, and the EcoLogits entry each one is.
CURATED_TEXT_MODELS = {
    "llama-3-8b": ("huggingface_hub", "meta-llama/Meta-Llama-3-8B-Instruct", "Llama 3 8B"),
    "llama-3-70b": ("huggingface_hub", "meta-llama/Meta-Llama-3-70B-Instruct", "Llama 3 70B"),
    "llama-3.1-8b": ("huggingface_hub", "meta-llama/Meta-Llama-3.1-8B-Instruct", "Llama 3.1 8B"),
    "llama-3.1-70b": ("huggingface_hub", "meta-llama/Meta-Llama-3.1-70B-Instruct", "Llama 3.1 70B"),
    "llama-3.1-405b": ("huggingface_hub", "meta-llama/Meta-Llama-3.1-405B-Instruct", "Llama 3.1 405B"),
    "gpt-4o": ("openai", "gpt-4o", "GPT-4o"),
    "gpt-4o-mini": ("openai", "gpt-4o-mini", "GPT-4o mini"),
    "mistral-small": ("mistralai", "mistral-small-latest", "Mistral Small (latest)"),
    "gemini-2.5-flash": ("google_genai", "gemini-2.5-flash", "Gemini 2.5 Flash"),
    "gemini-2.5-pro": ("google_genai", "gemini-2.5-pro", "Gemini 2.5 Pro"),
    "gpt-5": ("openai", "gpt-5", "GPT-5"),
    "o4-mini": ("openai", "o4-mini", "o4-mini"),
}

# Published context windows (tokens) of the models people ask for most. Others get the longest window
# of the catalogue (calculations.LONGEST_CONTEXT_TOKENS) as their input limit.
CONTEXT_WINDOWS = {
    "llama-3-8b": (8_192, "Meta, Llama 3 model card (8k context), April 2024"),
    "llama-3-70b": (8_192, "Meta, Llama 3 model card (8k context), April 2024"),
    "llama-3.1-8b": (128_000, "Meta, Llama 3.1 model card (128k context), July 2024"),
    "llama-3.1-70b": (128_000, "Meta, Llama 3.1 model card (128k context), July 2024"),
    "llama-3.1-405b": (128_000, "Meta, Llama 3.1 model card (128k context), July 2024"),
    "gpt-4o": (128_000, "OpenAI platform documentation, GPT-4o (128,000-token context window)"),
    "gpt-4o-mini": (128_000, "OpenAI platform documentation, GPT-4o mini (128,000-token context window)"),
    "gpt-5": (400_000, "OpenAI platform documentation, GPT-5 (400,000-token context window)"),
    "o4-mini": (200_000, "OpenAI platform documentation, o4-mini (200,000-token context window)"),
    "mistral-small": (128_000, "Mistral AI documentation, Mistral Small 3.1 (128k context)"),
    "gemini-2.5-flash": (1_048_576, "Google AI for Developers, Gemini 2.5 Flash (1,048,576 input tokens)"),
    "gemini-2.5-pro": (1_048_576, "Google AI for Developers, Gemini 2.5 Pro (1,048,576 input tokens)"),
}

# Published context windows of model families, by slug pattern (dated snapshots, base and instruct,
# quantised and exported weights of the same model), for the catalogue entries CONTEXT_WINDOWS does not
# name. A model that matches none keeps the longest window of the catalogue as its input limit.
OPENAI_DOCS = "OpenAI platform documentation, model pages: {tokens:,}-token context window ({family})"
META_LLAMA = "Meta, {card} model card: {tokens:,}-token context"
CONTEXT_WINDOW_FAMILIES: list[tuple[str, int, str]] = [
    (
        r"^gpt-4o-(2024-05-13|2024-08-06|2024-11-20)$|^gpt-4o-mini-2024-07-18$"
        r"|^gpt-4o(-mini)?-search-preview(-2025-03-11)?$",
        128_000,
        OPENAI_DOCS.format(tokens=128_000, family="GPT-4o and GPT-4o mini snapshots, search previews"),
    ),
    (r"^gpt-4-turbo(-2024-04-09)?$", 128_000, OPENAI_DOCS.format(tokens=128_000, family="GPT-4 Turbo")),
    (r"^gpt-4(-0613)?$", 8_192, OPENAI_DOCS.format(tokens=8_192, family="GPT-4")),
    (
        r"^gpt-3\.5-turbo(-0125|-1106|-16k)?$",
        16_385,
        OPENAI_DOCS.format(tokens=16_385, family="GPT-3.5 Turbo"),
    ),
    (
        r"^gpt-3\.5-turbo-instruct(-0914)?$",
        4_096,
        OPENAI_DOCS.format(tokens=4_096, family="GPT-3.5 Turbo Instruct"),
    ),
    (
        r"^gpt-4\.1(-mini|-nano)?(-2025-04-14)?$",
        1_047_576,
        OPENAI_DOCS.format(tokens=1_047_576, family="GPT-4.1, 4.1 mini and 4.1 nano"),
    ),
    (
        r"^gpt-5(-mini|-nano|-pro|-codex)?(-\d{4}-\d{2}-\d{2})?$",
        400_000,
        OPENAI_DOCS.format(tokens=400_000, family="GPT-5, mini, nano, pro and codex"),
    ),
    (r"^gpt-5-chat-latest$", 128_000, OPENAI_DOCS.format(tokens=128_000, family="GPT-5 Chat")),
    (
        r"^(o1(-2024-12-17)?|o3-mini(-2025-01-31)?|o4-mini-2025-04-16)$",
        200_000,
        OPENAI_DOCS.format(tokens=200_000, family="o1, o3-mini, o4-mini"),
    ),
    (
        r"^claude-(haiku-4-5-20251001|opus-4-5-20251101)$",
        200_000,
        "Anthropic documentation, models overview: 200K-token context window",
    ),
    (
        r"^claude-sonnet-4-5-20250929$",
        1_000_000,
        "Anthropic documentation, models overview: 200K-token context window, 1M with the long-context beta "
        "(the larger is the input limit; Anthropic's usage report groups requests up to 1M)",
    ),
    (
        r"^command-(r|r-plus)-08-2024$|^command-r7b-12-2024$",
        128_000,
        "Cohere documentation, models (Command R and R+ 08-2024, Command R7B 12-2024): 128K context length",
    ),
    (
        r"^command-a-03-2025$",
        256_000,
        "Cohere documentation, models (Command A 03-2025): 256K context length",
    ),
    (
        r"^gemini-2\.5-flash-lite$",
        1_048_576,
        "Google AI for Developers, Gemini 2.5 Flash-Lite (1,048,576 input tokens)",
    ),
    (
        r"^llama-2-(7b|13b|70b)(-chat)?(-hf)?$",
        4_096,
        META_LLAMA.format(card="Llama 2", tokens=4_096) + ", July 2023",
    ),
    (r"^meta-llama-3-(8b|70b)$", 8_192, META_LLAMA.format(card="Llama 3", tokens=8_192) + ", April 2024"),
    (
        r"^meta-llama-3\.1-(8b|70b|405b)(-instruct)?(-fp8)?$",
        128_000,
        META_LLAMA.format(card="Llama 3.1", tokens=128_000) + ", July 2024",
    ),
    (
        r"^(code)?gemma-(1\.1-)?(2b|7b)(-it)?(-(cpp|flax|gguf|keras|pytorch|tflite|sfp-cpp))?$",
        8_192,
        "Google, Gemma and CodeGemma model cards: context length of 8,192 tokens",
    ),
    (
        r"^gemma-2-(2b|9b|27b)(-it)?(-(pytorch|keras))?$|^gemma-2-instruct-9b-keras$",
        8_192,
        "Google, Gemma 2 model card: context length of 8,192 tokens",
    ),
    (
        r"^phi-3-(mini|medium)-4k-instruct",
        4_096,
        "Microsoft, Phi-3 model cards and technical report (arXiv 2404.14219): the 4K-context variants",
    ),
    (
        r"^phi-3-small-8k-instruct",
        8_192,
        "Microsoft, Phi-3 model cards and technical report (arXiv 2404.14219): the 8K-context variant",
    ),
    (
        r"^phi-3-(mini|small|medium|vision)-128k-instruct",
        131_072,
        "Microsoft, Phi-3 model cards and technical report (arXiv 2404.14219): the 128K-context variants",
    ),
    (r"^phi-1(-5)?$", 2_048, "Microsoft, phi-1 and phi-1.5 model cards: 2,048-token context"),
    (
        r"^(huggingface-hub-)?mistral-7b-(instruct-)?v0\.[23]$",
        32_768,
        "Mistral AI, Mistral-7B v0.2 and v0.3 model cards: 32k context window",
    ),
    (
        r"^mixtral-8x7b(-instruct)?-v0\.1$",
        32_768,
        "Mistral AI, 'Mixtral of experts' (December 2023): handles a context of 32k tokens",
    ),
    (
        r"^(huggingface-hub-)?mixtral-8x22b",
        65_536,
        "Mistral AI, 'Cheaper, Better, Faster, Stronger' (Mixtral 8x22B, April 2024): 64K-token context window",
    ),
    (
        r"^mistral-nemo-(base|instruct)-2407$",
        128_000,
        "Mistral AI, 'Mistral NeMo' (July 2024): context window of up to 128k tokens",
    ),
    (
        r"^mistral-large-instruct-2407$",
        128_000,
        "Mistral AI, 'Large Enough' (Mistral Large 2, July 2024): 128k context window",
    ),
    (
        r"^(huggingface-hub-)?codestral-22b-v0\.1$",
        32_768,
        "Mistral AI, 'Codestral: Hello, World!' (May 2024): 32k context window",
    ),
    (r"^mathstral-7b-v0\.1$", 32_768, "Mistral AI, Mathstral 7B model card (July 2024): 32k context window"),
]


def family_context_window(slug: str) -> tuple[int, str] | None:
    """The published context window of the model family a catalogue slug belongs to, if one is known."""
    for pattern, tokens, source in CONTEXT_WINDOW_FAMILIES:
        if re.search(pattern, slug):
            return tokens, source
    return None


# Hidden reasoning tokens per request for reasoning models: OpenAI documents "a few hundred to tens of
# thousands" depending on the problem (platform documentation, reasoning models). 1,000 is our default
# (an assumption, shown with the estimate); give `reasoning_tokens` to change it.
REASONING_TOKENS_DEFAULT = 1_000
REASONING_SOURCE = (
    "Reasoning model: 1,000 hidden reasoning tokens per request by default (our assumption; OpenAI documents "
    "'a few hundred to tens of thousands', platform documentation on reasoning models)"
)


def is_reasoning_model(name: str) -> bool:
    """Reasoning models by name (OpenAI o-series and GPT-5, Magistral, DeepSeek-R1, Command A Reasoning)."""
    base = name.split("/")[-1].lower()
    return (
        any(base.startswith(prefix) for prefix in ("o1", "o3", "o4", "magistral", "deepseek-r1"))
        or "reasoning" in base
        or (base.startswith("gpt-5") and "chat" not in base)
    )


# Models EcoLogits does not have: (active, total) billion parameters, context window, source.
class OwnTextModel(TypedDict):
    slug: str
    name: str
    provider: str
    architecture: str
    params_b: tuple[float, float]  # (active, total)
    context_window_tokens: int
    source: str


OWN_TEXT_MODELS: list[OwnTextModel] = [
    {
        "slug": "mistral-large-2",
        "name": "Mistral Large 2 (2407)",
        "provider": "mistralai",
        "architecture": "dense",
        "params_b": (123.0, 123.0),
        "context_window_tokens": 128_000,
        "source": "Mistral AI, 'Large Enough' (Mistral Large 2 announcement, 123 billion parameters, 128k "
        "context window), July 2024",
    },
    {
        "slug": "llama-3.3-70b",
        "name": "Llama 3.3 70B",
        "provider": "huggingface_hub",
        "architecture": "dense",
        "params_b": (70.0, 70.0),
        "context_window_tokens": 128_000,
        "source": "Meta, Llama 3.3 model card (meta-llama/Llama-3.3-70B-Instruct: 70B, 128k context), "
        "December 2024",
    },
    {
        "slug": "llama-4-scout",
        "name": "Llama 4 Scout 17B-16E",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (17.0, 109.0),
        "context_window_tokens": 10_000_000,
        "source": "Meta, Llama 4 model card (Scout: 17B active, 109B total parameters, 10M context), April 2025",
    },
    {
        "slug": "llama-4-maverick",
        "name": "Llama 4 Maverick 17B-128E",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (17.0, 400.0),
        "context_window_tokens": 1_000_000,
        "source": "Meta, Llama 4 model card (Maverick: 17B active, 400B total parameters, 1M context), "
        "April 2025",
    },
    {
        "slug": "deepseek-v3",
        "name": "DeepSeek-V3",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (37.0, 671.0),
        "context_window_tokens": 128_000,
        "source": "DeepSeek-AI, 'DeepSeek-V3 Technical Report', arXiv 2412.19437 (671B total, 37B activated "
        "per token, 128k context)",
    },
    {
        "slug": "deepseek-r1",
        "name": "DeepSeek-R1",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (37.0, 671.0),
        "context_window_tokens": 128_000,
        "source": "DeepSeek-AI, 'DeepSeek-R1', arXiv 2501.12948 (built on DeepSeek-V3-Base: 671B total, 37B "
        "activated, 128k context)",
    },
    {
        "slug": "qwen3-32b",
        "name": "Qwen3 32B",
        "provider": "huggingface_hub",
        "architecture": "dense",
        "params_b": (32.8, 32.8),
        "context_window_tokens": 131_072,
        "source": "Qwen Team, 'Qwen3 Technical Report', arXiv 2505.09388 (Qwen3-32B: 32.8B parameters; "
        "128k context with YaRN)",
    },
    {
        "slug": "qwen3-30b-a3b",
        "name": "Qwen3 30B-A3B",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (3.3, 30.5),
        "context_window_tokens": 131_072,
        "source": "Qwen Team, 'Qwen3 Technical Report', arXiv 2505.09388 (30.5B total, 3.3B activated)",
    },
    {
        "slug": "qwen3-235b-a22b",
        "name": "Qwen3 235B-A22B",
        "provider": "huggingface_hub",
        "architecture": "moe",
        "params_b": (22.0, 235.0),
        "context_window_tokens": 131_072,
        "source": "Qwen Team, 'Qwen3 Technical Report', arXiv 2505.09388 (235B total, 22B activated)",
    },
]

# Market-based electricity emissions the operators publish (after clean-energy purchases).
MARKET_FACTORS = {
    "google_genai": (
        0.023 / 0.24 * 1000,
        "Google, arXiv 2508.15734: median Gemini Apps text prompt 0.24 Wh and 0.023 gCO2e of market-based "
        "scope 2 emissions (0.033 gCO2e in all), i.e. ≈96 gCO2e/kWh",
    ),
}

PROVIDER_DATACENTER_NAMES = {
    "anthropic": "Anthropic (AWS / Google Cloud)",
    "cohere": "Cohere",
    "google_genai": "Google",
    "huggingface_hub": "Cloud data centre (hosted open models)",
    "mistralai": "Mistral AI",
    "openai": "OpenAI (Microsoft Azure)",
}
DATACENTER_SOURCE = f"{ECOLOGITS} provider data-centre assumptions (from the providers' reports)"
GOOGLE_CLOUD_DATACENTER = "google_genai"  # GCP regions run in Google's data centres
DEFAULT_DATACENTER = "huggingface_hub"  # a model or workload with no known provider

GPUS = [
    {
        "slug": "h100",
        "name": "NVIDIA H100 SXM",
        "power_w": 700,
        "embodied_kgco2e": 273,
        "lifetime_hours": 3 * 365 * 24,
        "source": "Power: NVIDIA H100 datasheet (TDP 700 W). Embodied and 3-year lifetime: "
        f"{ECOLOGITS} defaults for a data-centre GPU",
        "year": 2025,
    },
    {
        "slug": "a100",
        "name": "NVIDIA A100 SXM 80GB",
        "power_w": 400,
        "embodied_kgco2e": 150,
        "lifetime_hours": 3 * 365 * 24,
        "source": "Power: NVIDIA A100 datasheet (TDP 400 W). Embodied: Luccioni, Viguier & Ligozat, "
        "'Estimating the Carbon Footprint of BLOOM', JMLR 2023 (≈150 kgCO2e per A100). Lifetime: "
        f"{ECOLOGITS} (3 years)",
        "year": 2023,
    },
    {
        "slug": "h200",
        "name": "NVIDIA H200 SXM",
        "power_w": 700,
        "embodied_kgco2e": 273,
        "lifetime_hours": 3 * 365 * 24,
        "source": "Power: NVIDIA H200 datasheet (TDP up to 700 W). Embodied: no published figure; assumed equal "
        f"to the H100's ({ECOLOGITS} default). Lifetime: {ECOLOGITS} (3 years)",
        "year": 2025,
    },
    {
        "slug": "b200",
        "name": "NVIDIA B200 (HGX)",
        "power_w": 1000,
        "embodied_kgco2e": 273,
        "lifetime_hours": 3 * 365 * 24,
        "source": "Power: NVIDIA HGX B200 specifications (1,000 W per GPU). Embodied: no published figure; "
        f"assumed equal to the H100's ({ECOLOGITS} default). Lifetime: {ECOLOGITS} (3 years)",
        "year": 2025,
    },
    {
        "slug": "v100",
        "name": "NVIDIA V100 SXM2",
        "power_w": 300,
        "embodied_kgco2e": 150,
        "lifetime_hours": 3 * 365 * 24,
        "source": "Power: NVIDIA V100 datasheet (TDP 300 W). Embodied: no published figure; assumed equal to "
        "the A100's (Luccioni et al., JMLR 2023). Lifetime: EcoLogits (3 years)",
        "year": 2023,
    },
]


# What training cost, per catalogue model, for the life-cycle scope. Published GPU-hours and emissions
# where the model card or paper gives them (Meta's power per GPU already includes the data centre's
# overhead: PUE 1); otherwise the published training tokens only, and the method derives the GPU-hours.
class TrainingRow(TypedDict, total=False):
    slugs: list[str]  # the catalogue entries of the same trained weights (base, instruct, quantised)
    tokens_t: float
    gpu_hours: float
    gpu: str  # a GPUS slug
    power_w: float
    pue: float
    location_tco2e: float
    market_tco2e: float
    grid_zone: str
    source: str
    year: int


META_POWER_NOTE = (
    "power per GPU as published, 'peak power capacity per GPU device used, adjusted for power usage "
    "efficiency' (PUE 1 here)"
)
LLAMA2 = f"Meta, Llama 2 model card (A100-80GB, 2T tokens; {META_POWER_NOTE}), July 2023"
LLAMA3 = f"Meta, Llama 3 model card (H100-80GB, 15T+ tokens; {META_POWER_NOTE}), April 2024"
LLAMA31 = (
    f"Meta, Llama 3.1 model card (H100-80GB, ~15T tokens; {META_POWER_NOTE}; market-based 0 t), July 2024"
)
LLAMA4 = (
    f"Meta, Llama 4 model card (H100-80GB; Scout ~40T, Maverick ~22T tokens; {META_POWER_NOTE}; "
    "market-based 0 t), April 2025"
)
TRAININGS: list[TrainingRow] = [
    {
        "slugs": ["llama-2-7b", "llama-2-7b-hf", "llama-2-7b-chat", "llama-2-7b-chat-hf"],
        "tokens_t": 2,
        "gpu_hours": 184_320,
        "gpu": "a100",
        "power_w": 400,
        "pue": 1.0,
        "location_tco2e": 31.22,
        "grid_zone": "USA",
        "source": LLAMA2,
        "year": 2023,
    },
    {
        "slugs": ["llama-2-13b", "llama-2-13b-hf", "llama-2-13b-chat", "llama-2-13b-chat-hf"],
        "tokens_t": 2,
        "gpu_hours": 368_640,
        "gpu": "a100",
        "power_w": 400,
        "pue": 1.0,
        "location_tco2e": 62.44,
        "grid_zone": "USA",
        "source": LLAMA2,
        "year": 2023,
    },
    {
        "slugs": ["llama-2-70b", "llama-2-70b-hf", "llama-2-70b-chat", "llama-2-70b-chat-hf"],
        "tokens_t": 2,
        "gpu_hours": 1_720_320,
        "gpu": "a100",
        "power_w": 400,
        "pue": 1.0,
        "location_tco2e": 291.42,
        "grid_zone": "USA",
        "source": LLAMA2,
        "year": 2023,
    },
    {
        "slugs": ["llama-3-8b", "meta-llama-3-8b"],
        "tokens_t": 15,
        "gpu_hours": 1_300_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 390,
        "grid_zone": "USA",
        "source": LLAMA3,
        "year": 2024,
    },
    {
        "slugs": ["llama-3-70b", "meta-llama-3-70b"],
        "tokens_t": 15,
        "gpu_hours": 6_400_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 1_900,
        "grid_zone": "USA",
        "source": LLAMA3,
        "year": 2024,
    },
    {
        "slugs": ["llama-3.1-8b", "meta-llama-3.1-8b"],
        "tokens_t": 15,
        "gpu_hours": 1_460_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 420,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": LLAMA31,
        "year": 2024,
    },
    {
        "slugs": ["llama-3.1-70b", "meta-llama-3.1-70b"],
        "tokens_t": 15,
        "gpu_hours": 7_000_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 2_040,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": LLAMA31,
        "year": 2024,
    },
    {
        "slugs": [
            "llama-3.1-405b",
            "meta-llama-3.1-405b",
            "meta-llama-3.1-405b-fp8",
            "meta-llama-3.1-405b-instruct-fp8",
        ],
        "tokens_t": 15,
        "gpu_hours": 30_840_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 8_930,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": LLAMA31,
        "year": 2024,
    },
    {
        "slugs": ["llama-3.3-70b"],
        "tokens_t": 15,
        "gpu_hours": 7_000_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 2_040,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": f"Meta, Llama 3.3 model card (meta-llama/Llama-3.3-70B-Instruct: 7.0M H100-hours, 2,040 t "
        f"location-based, 0 t market-based, ~15T tokens; {META_POWER_NOTE}), December 2024. A later revision of "
        "the card prints 12.9 t for the same 7.0M hours, which no grid can give: we keep 2,040 t",
        "year": 2024,
    },
    {
        "slugs": ["llama-4-scout"],
        "tokens_t": 40,
        "gpu_hours": 5_000_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 1_354,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": LLAMA4,
        "year": 2025,
    },
    {
        "slugs": ["llama-4-maverick"],
        "tokens_t": 22,
        "gpu_hours": 2_380_000,
        "gpu": "h100",
        "power_w": 700,
        "pue": 1.0,
        "location_tco2e": 645,
        "market_tco2e": 0,
        "grid_zone": "USA",
        "source": LLAMA4,
        "year": 2025,
    },
    {
        "slugs": ["deepseek-v3", "deepseek-r1"],
        "tokens_t": 14.8,
        "gpu_hours": 2_788_000,
        "gpu": "h100",
        "grid_zone": "CHN",
        "source": "DeepSeek-AI, 'DeepSeek-V3 Technical Report', arXiv 2412.19437: 2.788M H800 GPU-hours for the "
        "full training, 14.8T tokens (the H800 is the H100's export variant: same 700 W and compute; no "
        "emissions published, so the grid is China's). DeepSeek-R1 is trained from DeepSeek-V3-Base: its "
        "reinforcement-learning stage is not counted",
        "year": 2024,
    },
    {
        "slugs": ["qwen3-32b", "qwen3-30b-a3b", "qwen3-235b-a22b"],
        "tokens_t": 36,
        "grid_zone": "CHN",
        "source": "Qwen Team, 'Qwen3 Technical Report', arXiv 2505.09388 (pre-trained on 36 trillion tokens; "
        "no GPU-hours published: derived)",
        "year": 2025,
    },
]

AI_ENERGY_SCORE = (
    "AI Energy Score (Hugging Face), text-to-image leaderboard (2024 run, data/image_generation.csv): GPU "
    "energy per 1,000 images on an NVIDIA H100. It constrains every model to one image size that it does not "
    "state per model (its team, Leaderboard discussion #3, 2025): we take the model's default size"
)
ML_ENERGY_V2 = (
    "ML.ENERGY Leaderboard v2 (github.com/ml-energy/leaderboard, data/diffusion/text-to-image), 2024: GPU "
    "energy (Zeus) per image, NVIDIA A100-SXM4-40GB, batch 1, the model's default size"
)
ML_ENERGY_V3 = (
    "ML.ENERGY Leaderboard v3 (github.com/ml-energy/leaderboard, public/data/models, data of 2026-02-16): "
    "steady-state GPU energy (Zeus) per image, batch 1, one GPU"
)
POWER_HUNGRY = (
    "Luccioni, Jernite & Strubell, 'Power Hungry Processing: Watts Driving the Cost of AI Deployment?', "
    "FAccT 2024 (arXiv 2311.16863): 11.41 kWh per 1,000 inferences, NVIDIA A100-SXM4-80GB, GPU, CPU and "
    "memory (CodeCarbon), the model's default settings; figure as quoted by the AI Energy Score team "
    "(Leaderboard discussion #3, 2025)"
)
# Measurements stored before under another source text (estimator 2.0), removed by the loader: the same
# figures are kept under the texts above, without 2.0's claim that AI Energy Score ran each model's
# default size.
_AI_ENERGY_SCORE_2_0 = (
    "AI Energy Score (Hugging Face), text-to-image leaderboard: GPU energy per 1,000 images on an NVIDIA "
    "H100; resolution and steps are the model's default pipeline settings"
)
RETIRED_IMAGE_SOURCES = [
    _AI_ENERGY_SCORE_2_0 + " (1.64 kWh per 1,000 images)",
    _AI_ENERGY_SCORE_2_0 + " (0.53 kWh per 1,000 images), as cited by the EcoLogits documentation",
]


class ImageMeasurementRow(TypedDict):
    energy_wh_per_image: float
    boundary: str
    width: int
    height: int
    steps: int
    gpu: str  # a GPUS slug
    description: str
    campaign: str
    source: str
    year: int


class ImageModelRow(TypedDict):
    slug: str
    name: str
    provider: str
    source: str
    measurements: list[ImageMeasurementRow]


IMAGE_MODELS: list[ImageModelRow] = [
    {
        "slug": "sdxl",
        "name": "Stable Diffusion XL base 1.0",
        "provider": "stabilityai",
        "source": "Stability AI, stabilityai/stable-diffusion-xl-base-1.0",
        "measurements": [
            {
                "energy_wh_per_image": 1.64,
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 50,
                "gpu": "h100",
                "description": "H100, GPU energy only",
                "campaign": "AI Energy Score",
                "source": AI_ENERGY_SCORE + " (1.64 kWh per 1,000 images)",
                "year": 2025,
            },
            {
                "energy_wh_per_image": round(2152.7882 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 50,
                "gpu": "a100",
                "description": "A100, GPU energy only, 50 steps, batch 1",
                "campaign": "ML.ENERGY v2",
                "source": ML_ENERGY_V2 + " (stable-diffusion-xl-base-1.0, 50 steps: 2,152.8 J per image)",
                "year": 2024,
            },
            {
                "energy_wh_per_image": 11.41,
                "boundary": "server",
                "width": 1024,
                "height": 1024,
                "steps": 50,
                "gpu": "a100",
                "description": "A100, GPU, CPU and memory",
                "campaign": "Power Hungry Processing",
                "source": POWER_HUNGRY,
                "year": 2024,
            },
        ],
    },
    {
        "slug": "sd-2.1",
        "name": "Stable Diffusion 2.1",
        "provider": "stabilityai",
        "source": "Stability AI, stabilityai/stable-diffusion-2-1",
        "measurements": [
            {
                "energy_wh_per_image": 0.53,
                "boundary": "accelerator",
                "width": 768,
                "height": 768,
                "steps": 50,
                "gpu": "h100",
                "description": "H100, GPU energy only",
                "campaign": "AI Energy Score",
                "source": AI_ENERGY_SCORE
                + " (0.53 kWh per 1,000 images), as cited by the EcoLogits documentation",
                "year": 2025,
            },
            {
                "energy_wh_per_image": round(871.0938 / 3600, 4),
                "boundary": "accelerator",
                "width": 768,
                "height": 768,
                "steps": 50,
                "gpu": "a100",
                "description": "A100, GPU energy only, 50 steps, batch 1",
                "campaign": "ML.ENERGY v2",
                "source": ML_ENERGY_V2 + " (stable-diffusion-2-1, 50 steps: 871.1 J per image)",
                "year": 2024,
            },
        ],
    },
    {
        "slug": "flux.1-dev",
        "name": "FLUX.1 [dev]",
        "provider": "black-forest-labs",
        "source": "Black Forest Labs, black-forest-labs/FLUX.1-dev (12B-parameter rectified flow transformer), "
        "August 2024",
        "measurements": [
            {
                "energy_wh_per_image": round(7948.6 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 50,
                "gpu": "h100",
                "description": "H100, GPU energy only, 50 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3 + " (FLUX.1-dev, H100, 1024×1024, 50 steps: 7,948.6 J per image)",
                "year": 2026,
            },
            {
                "energy_wh_per_image": round(6678.8 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 50,
                "gpu": "b200",
                "description": "B200, GPU energy only, 50 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3 + " (FLUX.1-dev, B200, 1024×1024, 50 steps: 6,678.8 J per image)",
                "year": 2026,
            },
        ],
    },
    {
        "slug": "sd-3.5-large",
        "name": "Stable Diffusion 3.5 Large",
        "provider": "stabilityai",
        "source": "Stability AI, stabilityai/stable-diffusion-3.5-large (8.1B-parameter MMDiT), October 2024",
        "measurements": [
            {
                "energy_wh_per_image": round(4420.1 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 28,
                "gpu": "h100",
                "description": "H100, GPU energy only, 28 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3
                + " (stable-diffusion-3.5-large, H100, 1024×1024, 28 steps: 4,420.1 J per image)",
                "year": 2026,
            },
            {
                "energy_wh_per_image": round(3644.2 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 28,
                "gpu": "b200",
                "description": "B200, GPU energy only, 28 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3
                + " (stable-diffusion-3.5-large, B200, 1024×1024, 28 steps: 3,644.2 J per image)",
                "year": 2026,
            },
        ],
    },
    {
        "slug": "sd-3.5-medium",
        "name": "Stable Diffusion 3.5 Medium",
        "provider": "stabilityai",
        "source": "Stability AI, stabilityai/stable-diffusion-3.5-medium (2.5B-parameter MMDiT-X), October 2024",
        "measurements": [
            {
                "energy_wh_per_image": round(1581.3 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 28,
                "gpu": "h100",
                "description": "H100, GPU energy only, 28 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3
                + " (stable-diffusion-3.5-medium, H100, 1024×1024, 28 steps: 1,581.3 J per image)",
                "year": 2026,
            },
            {
                "energy_wh_per_image": round(1621.6 / 3600, 4),
                "boundary": "accelerator",
                "width": 1024,
                "height": 1024,
                "steps": 28,
                "gpu": "b200",
                "description": "B200, GPU energy only, 28 steps, batch 1",
                "campaign": "ML.ENERGY v3",
                "source": ML_ENERGY_V3
                + " (stable-diffusion-3.5-medium, B200, 1024×1024, 28 steps: 1,621.6 J per image)",
                "year": 2026,
            },
        ],
    },
]

REFERENCE_POINTS = [
    {
        "label": "Google Gemini Apps, median text prompt",
        "label_fr": "Google Gemini Apps, requête texte médiane",
        "boundary_fr": "Toute la chaîne de service : accélérateurs actifs, processeurs et mémoire des serveurs, capacité inactive, surcoût du centre de données (PUE 1,09). Aussi 0,03 gCO2e (méthode fondée sur le marché) et 0,26 mL d'eau (sur site seulement).",
        "value": 0.24,
        "unit": "Wh",
        "boundary": "Full serving stack: active accelerators, host CPU and memory, idle capacity, data-centre "
        "overhead (PUE 1.09). Also 0.03 gCO2e (market-based) and 0.26 mL of water (on-site only).",
        "source": "Google, 'Measuring the environmental impact of delivering AI at Google scale', arXiv 2508.15734",
        "year": 2025,
    },
    {
        "label": "Google Gemini Apps, median text prompt, accelerators only",
        "label_fr": "Google Gemini Apps, requête texte médiane, accélérateurs seuls",
        "boundary_fr": "Seuls les TPU actifs : le périmètre étroit de nombreuses estimations.",
        "value": 0.10,
        "unit": "Wh",
        "boundary": "Active TPUs only: the narrow boundary many estimates use.",
        "source": "Google, arXiv 2508.15734",
        "year": 2025,
    },
    {
        "label": "OpenAI ChatGPT, average query",
        "label_fr": "OpenAI ChatGPT, requête moyenne",
        "boundary_fr": "Non précisé (aucune méthode publiée).",
        "value": 0.34,
        "unit": "Wh",
        "boundary": "Not stated (no method published).",
        "source": "Sam Altman, 'The Gentle Singularity', June 2025",
        "year": 2025,
    },
    {
        "label": "Mistral Large 2 (Le Chat), 400-token answer",
        "label_fr": "Mistral Large 2 (Le Chat), réponse de 400 tokens",
        "boundary_fr": "Cycle de vie complet, y compris une part de l'entraînement et de la fabrication du matériel (analyse de cycle de vie avec Carbone 4 et l'ADEME). Aussi 45 mL d'eau.",
        "value": 1.14,
        "unit": "gCO2e",
        "boundary": "Full life cycle, including a share of training and of hardware manufacturing "
        "(life-cycle analysis with Carbone 4 and ADEME). Also 45 mL of water.",
        "source": "Mistral AI, 'Our contribution to a global environmental standard for AI', July 2025",
        "year": 2025,
    },
    {
        "label": "Epoch AI, GPT-4o typical query",
        "label_fr": "Epoch AI, requête GPT-4o typique",
        "boundary_fr": "Estimation à partir de la taille du modèle, du matériel et de son taux d'utilisation ; ≈ 2,5 Wh avec 10 000 tokens en entrée.",
        "value": 0.3,
        "unit": "Wh",
        "boundary": "Estimate from model size, hardware and utilisation; ≈2.5 Wh with 10k input tokens.",
        "source": "Epoch AI, 'How much energy does ChatGPT use?', February 2025",
        "year": 2025,
    },
    {
        "label": "Mean text-generation query (open models, A100)",
        "label_fr": "Requête moyenne de génération de texte (modèles ouverts, A100)",
        "boundary_fr": "Énergie mesurée du GPU, du processeur et de la mémoire (sans PUE), moyenne des tâches de génération de texte.",
        "value": 0.047,
        "unit": "Wh",
        "boundary": "Measured GPU, CPU and memory energy (no PUE), mean over text-generation tasks.",
        "source": "Luccioni, Jernite & Strubell, 'Power Hungry Processing', FAccT 2024",
        "year": 2024,
    },
    {
        "label": "Stable Diffusion XL, one 1024×1024 image",
        "label_fr": "Stable Diffusion XL, une image 1024×1024",
        "boundary_fr": "Énergie du GPU seul, sur une NVIDIA H100, sans PUE.",
        "kind": "image",
        "value": 1.64,
        "unit": "Wh",
        "boundary": "GPU energy only, on an NVIDIA H100, no PUE.",
        "source": "AI Energy Score (Hugging Face), text-to-image leaderboard",
        "year": 2025,
    },
    {
        "label": "Mean image generation (open models, A100)",
        "label_fr": "Génération d'image moyenne (modèles ouverts, A100)",
        "boundary_fr": "Énergie mesurée du GPU, du processeur et de la mémoire (sans PUE), moyenne des modèles de génération d'images : environ 60 fois la requête texte moyenne.",
        "kind": "image",
        "value": 2.907,
        "unit": "Wh",
        "boundary": "Measured GPU, CPU and memory energy (no PUE), mean over image-generation models: "
        "about 60 times the mean text-generation query.",
        "source": "Luccioni, Jernite & Strubell, 'Power Hungry Processing', FAccT 2024",
        "year": 2024,
    },
    {
        "label": "ChatGPT request, 2023 estimate",
        "label_fr": "Requête ChatGPT, estimation de 2023",
        "boundary_fr": "Serveurs entiers, hypothèses de matériel et de trafic du début de 2023.",
        "value": 2.9,
        "unit": "Wh",
        "boundary": "Whole servers, early-2023 hardware and traffic assumptions.",
        "source": "de Vries, 'The growing energy footprint of artificial intelligence', Joule, 2023",
        "year": 2023,
    },
]


def slugify_model(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.split("/")[-1].lower()).strip("-")


def region_rows() -> list[dict[str, Any]]:
    countries = {
        row["region"]: row["country_iso3"]
        for row in csv.DictReader((DATA_DIR / "gcp_region_countries.csv").open(encoding="utf-8"))
    }
    rows = []
    for path in sorted((DATA_DIR / "gcp-region-carbon").glob("*.csv")):
        year = int(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)  # header; the 4th column's name changed in 2021, so read by position
            for record in reader:
                if not record or not record[0].strip():
                    continue
                name, location, cfe, intensity = (cell.strip() for cell in record[:4])
                rows.append(
                    {
                        "name": name,
                        "location": location,
                        "country_iso3": countries[name],
                        "year": year,
                        "grid_gco2e_per_kwh": float(intensity),
                        "google_cfe": float(cfe) if cfe else None,
                        "source": GCP_SOURCE.format(year=year),
                    }
                )
    return rows


def _known(model: Any, defaults: dict[str, Any]) -> dict[str, Any]:
    """Only the fields this version of the model has (older migrations load with older models)."""
    names = {field.name for field in model._meta.get_fields()}
    return {name: value for name, value in defaults.items() if name in names}


def load(apps: Any) -> None:
    """Create or update every reference row. `apps` is a migration's app registry (or django.apps)."""
    Region = apps.get_model("estimator", "Region")
    ElectricityMix = apps.get_model("estimator", "ElectricityMix")
    Datacenter = apps.get_model("estimator", "Datacenter")
    GpuType = apps.get_model("estimator", "GpuType")
    AIModel = apps.get_model("estimator", "AIModel")
    ImageMeasurement = apps.get_model("estimator", "ImageMeasurement")
    ReferencePoint = apps.get_model("estimator", "ReferencePoint")

    for row in region_rows():
        Region.objects.update_or_create(name=row.pop("name"), year=row.pop("year"), defaults=row)

    for mix in electricity_mixes():
        ElectricityMix.objects.update_or_create(
            zone=mix.zone,
            defaults={
                "grid_gco2e_per_kwh": mix.gco2e_per_kwh,
                "water_l_per_kwh": mix.water_l_per_kwh,
                "source": f"{ECOLOGITS} electricity mixes (data/electricity_mixes.json)",
                "notes": ", ".join(mix.warnings),
            },
        )

    datacenters = {}
    for profile in provider_datacenters():
        market = MARKET_FACTORS.get(profile.provider)
        datacenters[profile.provider], _ = Datacenter.objects.update_or_create(
            slug=profile.provider.replace("_", "-"),
            defaults=_known(
                Datacenter,
                {
                    "name": PROVIDER_DATACENTER_NAMES.get(profile.provider, profile.provider),
                    "location_zone": profile.location or "",
                    "market_gco2e_per_kwh": market[0] if market else None,
                    "market_source": market[1] if market else "",
                    "pue_min": profile.pue[0],
                    "pue_max": profile.pue[1],
                    "wue_min_l_per_kwh": profile.wue_l_per_kwh[0],
                    "wue_max_l_per_kwh": profile.wue_l_per_kwh[1],
                    "source": DATACENTER_SOURCE,
                    "year": 2025,
                },
            ),
        )

    gpus: dict[str, Any] = {}
    for row in GPUS:
        gpus[str(row["slug"])], _ = GpuType.objects.update_or_create(
            slug=row["slug"], defaults=_known(GpuType, row)
        )

    curated = {(provider, name): slug for slug, (provider, name, _) in CURATED_TEXT_MODELS.items()}
    titles = {slug: title for slug, (_, _, title) in CURATED_TEXT_MODELS.items()}
    taken: set[str] = set(CURATED_TEXT_MODELS)
    for model in model_catalogue():
        slug = curated.get((model.provider, model.name))
        if slug is None:
            slug = slugify_model(model.name)
            if slug in taken:
                slug = f"{model.provider.replace('_', '-')}-{slug}"
            if slug in taken:
                continue  # the same model listed twice by one provider
        taken.add(slug)
        notes = ", ".join(model.warnings)
        window = CONTEXT_WINDOWS.get(slug) or family_context_window(slug)
        reasoning = is_reasoning_model(model.name)
        extra_sources = [window[1]] if window else []
        if reasoning:
            extra_sources.append(REASONING_SOURCE)
        AIModel.objects.update_or_create(
            slug=slug,
            defaults=_known(
                AIModel,
                {
                    "name": titles.get(slug, model.name),
                    "ecologits_name": model.name,
                    "generation_speed_tps": model.tps,
                    "first_token_latency_s": model.ttft_s,
                    "context_window_tokens": window[0] if window else None,
                    "reasoning_tokens_default": REASONING_TOKENS_DEFAULT if reasoning else 0,
                    "provider": model.provider,
                    "modality": "text",
                    "architecture": model.architecture,
                    "active_params_min_b": model.active_params_b[0],
                    "active_params_max_b": model.active_params_b[1],
                    "total_params_min_b": model.total_params_b[0],
                    "total_params_max_b": model.total_params_b[1],
                    "datacenter": datacenters.get(model.provider),
                    "source": f"{ECOLOGITS} model list ({model.provider}/{model.name}): "
                    + "; ".join([*model.sources, *extra_sources]),
                    "notes": notes,
                    "featured": slug in CURATED_TEXT_MODELS,
                },
            ),
        )

    for own in OWN_TEXT_MODELS:
        active, total = own["params_b"]
        reasoning = is_reasoning_model(own["slug"])
        AIModel.objects.update_or_create(
            slug=own["slug"],
            defaults=_known(
                AIModel,
                {
                    "name": own["name"],
                    "provider": own["provider"],
                    "modality": "text",
                    "architecture": own["architecture"],
                    "active_params_min_b": active,
                    "active_params_max_b": active,
                    "total_params_min_b": total,
                    "total_params_max_b": total,
                    "context_window_tokens": own["context_window_tokens"],
                    "reasoning_tokens_default": REASONING_TOKENS_DEFAULT if reasoning else 0,
                    "datacenter": datacenters.get(own["provider"]),
                    "source": own["source"] + (f"; {REASONING_SOURCE}" if reasoning else ""),
                    "featured": True,
                },
            ),
        )

    for image in IMAGE_MODELS:
        model, _ = AIModel.objects.update_or_create(
            slug=image["slug"],
            defaults={
                "name": image["name"],
                "provider": image["provider"],
                "modality": "image",
                "source": image["source"],
                "featured": True,
            },
        )
        ImageMeasurement.objects.filter(model=model, source__in=RETIRED_IMAGE_SOURCES).delete()
        for measurement in image["measurements"]:
            ImageMeasurement.objects.update_or_create(
                model=model,
                source=measurement["source"],
                defaults=_known(ImageMeasurement, {**measurement, "gpu": gpus[measurement["gpu"]]}),
            )

    _load_trainings(apps, gpus)

    for order, row in enumerate(REFERENCE_POINTS):
        ReferencePoint.objects.update_or_create(label=row["label"], defaults={**row, "order": order})


def _load_trainings(apps: Any, gpus: dict[str, Any]) -> None:
    """Training rows, one per catalogue entry of the same weights (from migration 0004 on)."""
    try:
        ModelTraining = apps.get_model("estimator", "ModelTraining")
    except LookupError:  # an older migration's app registry: the table does not exist yet
        return
    AIModel = apps.get_model("estimator", "AIModel")
    for row in TRAININGS:
        values: dict[str, Any] = {name: value for name, value in row.items() if name not in ("slugs", "gpu")}
        if "gpu" in row:
            values["gpu"] = gpus[row["gpu"]]
        for model in AIModel.objects.filter(slug__in=row["slugs"]):
            ModelTraining.objects.update_or_create(model=model, defaults=values)
