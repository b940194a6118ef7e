"""`manage.py estimate text|image|training|scenario|models`: footprints from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from estimator import selectors, services
from estimator.levers import rounded_percents
from estimator.scenarios import PRESETS


def add_place(parser: CommandParser, *, country: bool = True) -> None:
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--region", help="Google Cloud region, e.g. europe-west9 (latest year of data)")
    if country:
        place.add_argument("--country", help="country electricity mix, ISO 3166-1 alpha-3, e.g. FRA")
    place.add_argument("--grid-intensity", type=float, metavar="G_PER_KWH", help="grid intensity, gCO2e/kWh")
    parser.add_argument("--region-year", type=int, help="year of the region's data (default: latest)")
    parser.add_argument("--pue", type=float, help="data-centre PUE (default: the data centre's own)")
    parser.add_argument(
        "--basis",
        choices=["location", "market"],
        default="location",
        help="emissions basis: the grid's average (location, default) or after the operator's clean-energy "
        "purchases (market: Google Cloud regions' CFE, or the provider's disclosure)",
    )


class Command(BaseCommand):
    help = "Estimate the energy, emissions and water of text, images, training or a four-lever scenario."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(
            dest="kind", required=True, metavar="{text,image,training,scenario,models}"
        )

        text = kinds.add_parser("text", help="text generation")
        model = text.add_mutually_exclusive_group(required=True)
        model.add_argument("--model", help="catalogue slug, e.g. llama-3-70b (see `estimate models`)")
        model.add_argument("--active-params-b", type=float, help="active parameters, in billions")
        text.add_argument("--total-params-b", type=float, help="total parameters, in billions (MoE)")
        text.add_argument("--output-tokens", type=float, required=True)
        text.add_argument("--input-tokens", type=float, default=0)
        text.add_argument(
            "--reasoning-tokens",
            type=float,
            help="hidden thinking tokens per request, counted like output tokens (default: the model's)",
        )
        text.add_argument("--requests", type=float, default=1)
        text.add_argument("--iterations", type=float, default=1, help="prompts per task")
        text.add_argument(
            "--scope",
            choices=["inference", "lifecycle"],
            default="inference",
            help="inference (default), or lifecycle: plus each request's share of the model's training",
        )
        text.add_argument(
            "--lifetime-requests",
            type=float,
            help="with --scope lifecycle: the requests the model serves in its lifetime (default: a range, "
            "see the method page)",
        )
        add_place(text)

        image = kinds.add_parser("image", help="image generation")
        image.add_argument("--model", required=True, help="catalogue slug, e.g. sdxl")
        image.add_argument("--images", type=float, default=1)
        image.add_argument("--iterations", type=float, default=1, help="generations per kept image")
        image.add_argument("--width", type=int)
        image.add_argument("--height", type=int)
        image.add_argument("--steps", type=int)
        add_place(image)

        training = kinds.add_parser("training", help="training or fine-tuning")
        training.add_argument("--gpu-hours", type=float, required=True)
        training.add_argument("--gpu-power-w", type=float, help="default: the GPU type's power")
        training.add_argument(
            "--gpu-type", default="h100", help="h100, h200, b200, a100 or v100 (for power and embodied)"
        )
        training.add_argument("--no-embodied", action="store_true", help="leave out the GPUs' embodied share")
        add_place(training)

        scenario = kinds.add_parser("scenario", help="the four levers")
        scenario.add_argument("--preset", required=True, choices=sorted(PRESETS))

        models = kinds.add_parser("models", help="list the model catalogue")
        models.add_argument("--format", choices=["table", "json"], default="table")
        models.add_argument("--modality", choices=["text", "image"])

        for sub in (text, image, training, scenario):
            sub.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == "models":
            self.list_models(options["format"], options.get("modality"))
            return
        params = self.params(kind, options)
        try:
            result = services.estimate(kind, **params).as_dict()
        except ValidationError as error:
            messages = [
                f"--{field.replace('_', '-')}: {message}" if field != "__all__" else message
                for field, field_messages in error.message_dict.items()
                for message in field_messages
            ]
            raise CommandError(" ".join(messages)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        elif kind == "scenario":
            self.print_scenario(result)
        else:
            self.print_footprint(result)

    @staticmethod
    def params(kind: str, options: dict[str, Any]) -> dict[str, Any]:
        names = {
            "text": [
                "model",
                "active_params_b",
                "total_params_b",
                "output_tokens",
                "input_tokens",
                "reasoning_tokens",
                "requests",
                "iterations",
                "region",
                "region_year",
                "country",
                "grid_intensity",
                "pue",
                "basis",
                "scope",
                "lifetime_requests",
            ],
            "image": [
                "model",
                "images",
                "iterations",
                "width",
                "height",
                "steps",
                "region",
                "region_year",
                "country",
                "grid_intensity",
                "pue",
                "basis",
            ],
            "training": [
                "gpu_hours",
                "gpu_power_w",
                "gpu_type",
                "region",
                "region_year",
                "country",
                "grid_intensity",
                "pue",
                "basis",
            ],
            "scenario": ["preset"],
        }[kind]
        params = {name: options[name] for name in names if options.get(name) is not None}
        if kind == "training":
            params["include_embodied"] = not options["no_embodied"]
        return params

    def print_footprint(self, result: dict[str, Any]) -> None:
        rows = [
            ("energy (kWh)", result["energy_kwh"]),
            ("emissions (kgCO2e)", result["emissions_kgco2e"]),
            ("  usage", result["usage_emissions_kgco2e"]),
            ("  embodied", result["embodied_emissions_kgco2e"]),
            ("water (L)", result["water_l"]),
            ("  on-site", result["water_onsite_l"]),
            ("  off-site", result["water_offsite_l"]),
        ]
        self.stdout.write(f"{'':<20} {'low':>12} {'central':>12} {'high':>12}")
        for label, values in rows:
            self.stdout.write(
                f"{label:<20} {values['low']:>12.4g} {values['central']:>12.4g} {values['high']:>12.4g}"
            )
        self.stdout.write(f"\nEmissions {result['basis']}-based; water: {result['water_scope']}.")
        if result["scope"] == "lifecycle":
            training = result["inputs"]["training"]
            lifetime = result["inputs"]["lifetime_requests"]
            self.stdout.write(
                f"Scope: life cycle, with each request's share of the model's training ({training['origin']}: "
                f"{training['emissions_kgco2e']['central'] / 1000:,.0f} tCO2e central) over "
                f"{lifetime['low']:.3g} / {lifetime['central']:.3g} / {lifetime['high']:.3g} lifetime requests."
            )
        self.stdout.write(f"Place: {result['inputs']['location']['label']}.")
        self.stdout.write(f"Estimator {result['estimator_version']}. Factors:")
        for factor in result["factors"]:
            year = factor["year"] or "—"
            self.stdout.write(
                f"  - {factor['name']}: {factor['value']} {factor['unit']} ({factor['source']}; {year})"
            )

    def print_scenario(self, result: dict[str, Any]) -> None:
        baseline, improved = result["baseline"]["emissions_kgco2e"], result["improved"]["emissions_kgco2e"]
        self.stdout.write(f"{'tCO2e':<12} {'low':>12} {'central':>12} {'high':>12}")
        for label, values in (("baseline", baseline), ("improved", improved)):
            self.stdout.write(
                f"{label:<12} {values['low'] / 1000:>12,.0f} {values['central'] / 1000:>12,.0f} {values['high'] / 1000:>12,.0f}"
            )
        self.stdout.write(
            f"\nDivided by {result['ratio']:.2f}. Share of the saving by lever ({result['lever_method']}):"
        )
        # Whole percentages that add up to 100, as the pages show them.
        percents = rounded_percents([lever["share"] for lever in result["levers"]])
        for lever, percent in zip(result["levers"], percents, strict=True):
            self.stdout.write(
                f"  - {lever['name']:<12} {percent:>5}%  {lever['saving_kgco2e'] / 1000:>12,.0f} tCO2e"
            )
        self.stdout.write("\nAssumptions:")
        for assumption in result["assumptions"]:
            self.stdout.write(f"  - {assumption}")

    def list_models(self, output: str, modality: str | None) -> None:
        models = selectors.models_list(modality=modality).select_related("datacenter")
        if output == "json":
            summaries = [services.model_summary(model) for model in models]
            self.stdout.write(json.dumps(summaries, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{'slug':<42} {'modality':<8} {'provider':<16} {'active params (B)':>18} {'Wh/M output tokens':>19}"
        )
        for model in models:
            energy = services.energy_wh_per_million_output_tokens(model)
            if model.modality == "image":
                params = "—"
            elif model.params_are_range:
                params = f"{model.active_params_min_b:g}–{model.active_params_max_b:g}"
            else:
                params = f"{model.active_params_min_b:g}"
            wh = f"{energy.central:.3g}" if energy else "—"
            self.stdout.write(
                f"{model.slug:<42} {model.modality:<8} {model.provider:<16} {params:>18} {wh:>19}"
            )
        self.stdout.write(
            "\nWh/M output tokens: central energy of 1,000 answers of 1,000 tokens where the provider serves the "
            "model. Energy class (A–F): not given — Compar:IA publishes no A–F thresholds that we could find."
        )
