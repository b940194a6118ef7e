"""Forms of the estimator pages. They parse and label inputs; the method checks ranges and references."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estimator import services
from estimator.models import Modality
from estimator.scenarios import PRESETS
from portal.forms import form_field


def model_choices(modality: str) -> Sequence[tuple[str | Promise, str | list[tuple[str, str]]]]:
    """The catalogue's models of a modality: the featured ones, then the others in a second group."""
    models = [m for m in services.reference_data().models.values() if m.modality == modality]
    featured = [(m.slug, m.name) for m in models if m.featured]
    others = sorted((m.slug, f"{m.name} ({m.provider})") for m in models if not m.featured)
    if not others:
        return featured
    return [(_("Most used"), featured), (_("EcoLogits catalogue"), others)]


def region_choices(*, blank: bool = True) -> Sequence[tuple[str, str | Promise]]:
    ref = services.reference_data()
    choices = []
    for name in sorted(ref.regions):
        region = ref.latest_region(name)
        assert region is not None
        choices.append(
            (name, f"{name} · {region.location} · {region.grid_gco2e_per_kwh:g} gCO2e/kWh ({region.year})")
        )
    return [("", _("— none —")), *choices] if blank else choices


class PlaceForm(forms.Form):
    region = forms.ChoiceField(label=_("Cloud region"), required=False)
    country = forms.CharField(
        label=_("or country (ISO code)"),
        required=False,
        max_length=3,
        help_text=_("e.g. FRA; all empty: the provider's data-centre location (else the world average)"),
    )
    grid_intensity = forms.FloatField(label=_("or grid intensity (gCO2e/kWh)"), required=False)
    pue = forms.FloatField(label=_("PUE"), required=False, help_text=_("empty: the data centre's own"))
    basis = forms.ChoiceField(
        label=_("Emissions basis"),
        required=False,
        choices=[
            ("location", _("Location-based (the grid's average)")),
            ("market", _("Market-based (after the operator's clean-energy purchases)")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "region", forms.ChoiceField).choices = region_choices()

    def params(self) -> dict[str, Any]:
        """The cleaned inputs a service takes: empty fields left out, so the method's defaults apply."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class TextEstimateForm(PlaceForm):
    field_order = [
        "model",
        "output_tokens",
        "input_tokens",
        "reasoning_tokens",
        "requests",
        "iterations",
        "scope",
        "lifetime_requests",
    ]
    model = forms.ChoiceField(label=_("Model"))
    output_tokens = forms.FloatField(
        label=_("Output tokens per answer"), help_text=_("about 0.75 words per token")
    )
    input_tokens = forms.FloatField(label=_("Input tokens per request"), required=False, initial=0)
    reasoning_tokens = forms.FloatField(
        label=_("Reasoning tokens per request"),
        required=False,
        help_text=_("hidden thinking, counted like output; empty: the model's default"),
    )
    requests = forms.FloatField(
        label=_("Requests"), required=False, initial=1, help_text=_("tasks, or requests")
    )
    iterations = forms.FloatField(label=_("Prompts per task"), required=False, initial=1)
    scope = forms.ChoiceField(
        label=_("Scope"),
        required=False,
        choices=[
            ("inference", _("Inference (running the model)")),
            ("lifecycle", _("Life cycle (plus a share of the model's training)")),
        ],
    )
    lifetime_requests = forms.FloatField(
        label=_("Requests in the model's lifetime"),
        required=False,
        help_text=_("life cycle only; empty: a range from 1.8 billion to 1.4 trillion (see the method)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "model", forms.ChoiceField).choices = model_choices(Modality.TEXT)


class ImageEstimateForm(PlaceForm):
    field_order = ["model", "images", "iterations", "width", "height", "steps"]
    model = forms.ChoiceField(label=_("Model"))
    images = forms.FloatField(label=_("Images"), required=False, initial=1)
    iterations = forms.FloatField(label=_("Generations per kept image"), required=False, initial=1)
    width = forms.IntegerField(
        label=_("Width (px)"), required=False, help_text=_("empty: the model's default")
    )
    height = forms.IntegerField(label=_("Height (px)"), required=False)
    steps = forms.IntegerField(
        label=_("Denoising steps"), required=False, help_text=_("empty: the model's default")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "model", forms.ChoiceField).choices = model_choices(Modality.IMAGE)


class TrainingEstimateForm(PlaceForm):
    field_order = ["gpu_hours", "gpu_type", "gpu_power_w", "include_embodied"]
    gpu_hours = forms.FloatField(label=_("GPU-hours"))
    gpu_type = forms.ChoiceField(label=_("GPU type"))
    gpu_power_w = forms.FloatField(
        label=_("GPU power (W)"), required=False, help_text=_("empty: the GPU's own")
    )
    include_embodied = forms.BooleanField(
        label=_("Include the GPUs' manufacturing (embodied)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "gpu_type", forms.ChoiceField).choices = [
            (slug, gpu.name) for slug, gpu in services.reference_data().gpus.items()
        ]

    def params(self) -> dict[str, Any]:
        params = super().params()
        params["include_embodied"] = self.cleaned_data["include_embodied"]
        return params


ESTIMATE_FORMS: dict[str, type[PlaceForm]] = {
    "text": TextEstimateForm,
    "image": ImageEstimateForm,
    "training": TrainingEstimateForm,
}

# What a page shows before the user types anything.
DEFAULTS: dict[str, dict[str, str]] = {
    "text": {
        "model": "llama-3-70b",
        "output_tokens": "400",
        "input_tokens": "300",
        "requests": "1",
        "iterations": "1",
        "region": "europe-west9",
    },
    "image": {"model": "sdxl", "images": "1", "iterations": "1", "region": "europe-west9"},
    "training": {"gpu_hours": "1000", "gpu_type": "h100", "include_embodied": "on", "region": "europe-west9"},
}


class ScenarioForm(forms.Form):
    tasks = forms.FloatField(label=_("Tasks in the period"))
    input_tokens = forms.FloatField(label=_("Input tokens per request"), initial=300)
    baseline_model = forms.ChoiceField(label=_("Model"))
    baseline_region = forms.ChoiceField(label=_("Region"))
    baseline_output_tokens = forms.FloatField(label=_("Output tokens per answer"))
    baseline_iterations = forms.FloatField(label=_("Prompts per task"))
    improved_model = forms.ChoiceField(label=_("Smaller model"))
    improved_model_share = forms.FloatField(label=_("Share of tasks moved to it (0–1)"))
    improved_region = forms.ChoiceField(label=_("Region"))
    improved_output_tokens = forms.FloatField(label=_("Output tokens per answer"))
    improved_iterations = forms.FloatField(label=_("Prompts per task"))
    training = forms.ChoiceField(
        label=_("Training counted once on both sides"),
        choices=[
            ("", _("None: compare the use only")),
            ("llama3", _("Llama 3 and 3.1 pre-training (Meta's model cards), as in the study's example")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("baseline_model", "improved_model"):
            form_field(self, name, forms.ChoiceField).choices = model_choices(Modality.TEXT)
        for name in ("baseline_region", "improved_region"):
            form_field(self, name, forms.ChoiceField).choices = region_choices(blank=False)


class CatalogueFilterForm(forms.Form):
    """The model catalogue's search: words in a model's slug, name or provider, and its modality."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    modality = forms.ChoiceField(
        label=_("Modality"), required=False, choices=[("", _("All")), *Modality.choices]
    )


class PresetForm(forms.Form):
    preset = forms.ChoiceField(choices=[(name, name) for name in PRESETS])


class SaveEstimateForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in ESTIMATE_FORMS])
    name = forms.CharField(label=_("Name"), max_length=200)


class CompareSavedForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Estimates to compare"))

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "ids", forms.TypedMultipleChoiceField).choices = choices

    def clean_ids(self) -> list[int]:
        ids = self.cleaned_data["ids"]
        if not 2 <= len(ids) <= 6:
            raise forms.ValidationError(_("Choose between 2 and 6 estimates."))
        return ids
