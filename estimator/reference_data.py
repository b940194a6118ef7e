"""The reference data the estimator starts with, loaded by migration 0002 (and safe to load again).

Sources are recorded on every row; the admin shows and edits them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

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
}

# Models EcoLogits does not have.
OWN_TEXT_MODELS = [
    {
        "slug": "mistral-large-2",
        "name": "Mistral Large 2 (2407)",
        "provider": "mistralai",
        "architecture": "dense",
        "params_b": 123.0,
        "source": "Mistral AI, 'Large Enough' (Mistral Large 2 announcement, 123 billion parameters), July 2024",
    },
]

PROVIDER_DATACENTER_NAMES = {
    "anthropic": "Anthropic (AWS / Google Cloud)",
    "cohere": "Cohere",
    "google_genai": "Google",
    "huggingface_hub": "Cloud data centre (hosted open models)",
    "mistralai": "Mistral AI",
    "openai": "OpenAI (Microsoft Azure)",
}
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

AI_ENERGY_SCORE = (
    "AI Energy Score (Hugging Face), text-to-image leaderboard: GPU energy per 1,000 images on an NVIDIA "
    "H100; resolution and steps are the model's default pipeline settings"
)
IMAGE_MODELS = [
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
                "source": AI_ENERGY_SCORE + " (1.64 kWh per 1,000 images)",
                "year": 2025,
            }
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
                "source": AI_ENERGY_SCORE
                + " (0.53 kWh per 1,000 images), as cited by the EcoLogits documentation",
                "year": 2025,
            }
        ],
    },
]

REFERENCE_POINTS = [
    {
        "label": "Google Gemini Apps, median text prompt",
        "label_fr": "Google Gemini Apps, requête texte médiane",
        "boundary_fr": "Toute la chaîne de service : accélérateurs actifs, processeurs et mémoire des serveurs, capacité inactive, surcoût du centre de données (PUE 1,09). Aussi 0,03 gCO2e (méthode market-based) et 0,26 mL d'eau (sur site seulement).",
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
        datacenters[profile.provider], _ = Datacenter.objects.update_or_create(
            slug=profile.provider.replace("_", "-"),
            defaults={
                "name": PROVIDER_DATACENTER_NAMES.get(profile.provider, profile.provider),
                "pue_min": profile.pue[0],
                "pue_max": profile.pue[1],
                "wue_min_l_per_kwh": profile.wue_l_per_kwh[0],
                "wue_max_l_per_kwh": profile.wue_l_per_kwh[1],
                "source": f"{ECOLOGITS} provider data-centre assumptions (from the providers' reports)",
                "year": 2025,
            },
        )

    gpus = {}
    for row in GPUS:
        gpus[row["slug"]], _ = GpuType.objects.update_or_create(slug=row["slug"], defaults=row)

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
        AIModel.objects.update_or_create(
            slug=slug,
            defaults={
                "name": titles.get(slug, model.name),
                "provider": model.provider,
                "modality": "text",
                "architecture": model.architecture,
                "active_params_min_b": model.active_params_b[0],
                "active_params_max_b": model.active_params_b[1],
                "total_params_min_b": model.total_params_b[0],
                "total_params_max_b": model.total_params_b[1],
                "datacenter": datacenters.get(model.provider),
                "source": f"{ECOLOGITS} model list ({model.provider}/{model.name}): "
                + "; ".join(model.sources),
                "notes": notes,
                "featured": slug in CURATED_TEXT_MODELS,
            },
        )

    for row in OWN_TEXT_MODELS:
        AIModel.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "provider": row["provider"],
                "modality": "text",
                "architecture": row["architecture"],
                "active_params_min_b": row["params_b"],
                "active_params_max_b": row["params_b"],
                "total_params_min_b": row["params_b"],
                "total_params_max_b": row["params_b"],
                "datacenter": datacenters.get(row["provider"]),
                "source": row["source"],
                "featured": True,
            },
        )

    for row in IMAGE_MODELS:
        model, _ = AIModel.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "provider": row["provider"],
                "modality": "image",
                "source": row["source"],
                "featured": True,
            },
        )
        for measurement in row["measurements"]:
            ImageMeasurement.objects.update_or_create(
                model=model,
                source=measurement["source"],
                defaults={**measurement, "gpu": gpus[measurement["gpu"]]},
            )

    for order, row in enumerate(REFERENCE_POINTS):
        ReferencePoint.objects.update_or_create(label=row["label"], defaults={**row, "order": order})
