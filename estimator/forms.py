"""Forms of the estimator pages. They parse and label inputs; the method checks ranges and references."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estimator import labels, services
from estimator.models import Modality
from estimator.picker import ModelPickerField, bind_search
from estimator.scenarios import PRESETS
from portal.forms import form_field


def region_choices(*, blank: bool = True) -> Sequence[tuple[str, str | Promise]]:
    ref = services.reference_data()
    choices = []
    for name in sorted(ref.regions):
        region = ref.latest_region(name)
        assert region is not None
        choices.append(
            (
                name,
                f"{name} · {labels.place_name(region.location)} · "
                f"{number_format(region.grid_gco2e_per_kwh, use_l10n=True)} gCO2e/kWh ({region.year})",
            )
        )
    return [("", _("— none —")), *choices] if blank else choices


# The "where" control's choices and the input each one uses: one place at a time.
WHERE_INPUTS = {"region": "region", "country": "country", "grid": "grid_intensity"}
WHERE_UNKNOWN = "unknown"


def where_given(data: Mapping[str, Any]) -> list[str]:
    """The places a query or a form's data gives, by the where control's choice."""
    return [mode for mode, name in WHERE_INPUTS.items() if data.get(name) not in (None, "")]


class PlaceForm(forms.Form):
    """Where the work runs (one choice: a cloud region, a country, a grid intensity or not known), the PUE
    and the emissions basis. Without JavaScript the three inputs stay on the page; only the chosen one
    counts, and a query that gives two places without choosing is refused."""

    template_name = "estimator/place_form.html"
    where = forms.ChoiceField(
        label=_("Where the model runs"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("region", _("Cloud region")),
            ("country", _("Country")),
            ("grid", _("Grid intensity")),
            (WHERE_UNKNOWN, _("Not known")),
        ],
    )
    region = forms.ChoiceField(label=_("Cloud region"), required=False)
    country = forms.CharField(
        label=_("Country (ISO code)"), required=False, max_length=3, help_text=_("e.g. FRA")
    )
    grid_intensity = forms.FloatField(label=_("Grid intensity (gCO2e/kWh)"), required=False)
    pue = forms.FloatField(label=_("PUE"), required=False, help_text=_("empty: the data centre's own"))
    basis = forms.ChoiceField(
        label=_("Emissions basis"),
        required=False,
        choices=[
            ("location", _("Location-based (the grid's average)")),
            ("market", _("Market-based (after the operator's clean-energy purchases)")),
        ],
    )

    def __init__(self, data: QueryDict | dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> None:
        # A query without the where control (a saved estimate reopened, a link, the API's habits) chose
        # the one place it gives; one that gives none chose "not known".
        if data is not None and not data.get("where"):
            given = where_given(data)
            if len(given) <= 1:
                data = data.copy()
                data["where"] = given[0] if given else WHERE_UNKNOWN
        super().__init__(data, *args, **kwargs)
        form_field(self, "region", forms.ChoiceField).choices = region_choices()
        bind_search(self)

    @property
    def where_fields(self) -> list[tuple[str, forms.BoundField]]:
        """The where control's inputs, each with the choice it belongs to (for the form's template)."""
        return [(mode, self[name]) for mode, name in WHERE_INPUTS.items()]

    @property
    def where_input_names(self) -> list[str]:
        return list(WHERE_INPUTS.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        where = data.get("where")
        if not where:  # only a crafted query gives two places without choosing
            given = where_given(self.data)
            if len(given) > 1:
                self.add_error("where", _("Give only one of region, country or grid intensity."))
            return data
        for mode, name in WHERE_INPUTS.items():
            if mode != where:  # a value left in a hidden input: not used, and not an error
                data[name] = None
                self.errors.pop(name, None)
        chosen = WHERE_INPUTS.get(where)
        if chosen and data.get(chosen) in (None, "") and chosen not in self.errors:
            missing = {
                "region": _("Cloud region chosen: choose the region."),
                "country": _("Country chosen: give its ISO code, e.g. FRA."),
                "grid": _("Grid intensity chosen: give it in gCO2e/kWh."),
            }
            self.add_error(chosen, missing[where])
        return data

    def params(self) -> dict[str, Any]:
        """The cleaned inputs a service takes: empty fields left out, so the method's defaults apply."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name != "where"
        }


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
    model = ModelPickerField(label=_("Model"), modality=Modality.TEXT)
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


class ImageEstimateForm(PlaceForm):
    field_order = ["model", "images", "iterations", "width", "height", "steps"]
    model = ModelPickerField(label=_("Model"), modality=Modality.IMAGE)
    images = forms.FloatField(label=_("Images"), required=False, initial=1)
    iterations = forms.FloatField(label=_("Generations per kept image"), required=False, initial=1)
    width = forms.IntegerField(
        label=_("Width (px)"), required=False, help_text=_("empty: the model's default")
    )
    height = forms.IntegerField(label=_("Height (px)"), required=False)
    steps = forms.IntegerField(
        label=_("Denoising steps"), required=False, help_text=_("empty: the model's default")
    )


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
    baseline_model = ModelPickerField(label=_("Model"), modality=Modality.TEXT)
    baseline_region = forms.ChoiceField(label=_("Region"))
    baseline_output_tokens = forms.FloatField(label=_("Output tokens per answer"))
    baseline_iterations = forms.FloatField(label=_("Prompts per task"))
    improved_model = ModelPickerField(label=_("Smaller model"), modality=Modality.TEXT)
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
        bind_search(self)
        for name in ("baseline_region", "improved_region"):
            form_field(self, name, forms.ChoiceField).choices = region_choices(blank=False)


class CatalogueFilterForm(forms.Form):
    """The model catalogue's search: words in a model's slug, name or provider, and its modality."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    modality = forms.ChoiceField(
        label=_("Modality"), required=False, choices=[("", _("All")), *Modality.choices]
    )


class ModelOptionsForm(forms.Form):
    """Which picker asks the catalogue search for its options: its field's name, the modality and whether
    its options carry the models' slugs or their ids. The search and the current choice come under the
    field's own names ('<name>_q', '<name>'), as the picker's inputs send them."""

    name = forms.RegexField(regex=r"^[a-z][a-z_]{0,39}$")
    modality = forms.ChoiceField(required=False, choices=[("", ""), *Modality.choices])
    value_field = forms.ChoiceField(required=False, choices=[("slug", "slug"), ("pk", "pk")])
    used = forms.CharField(required=False, max_length=6000)  # up to 40 slugs (governance.forms)


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
