"""The model picker every form shares: a short list of the models people use, grouped by maker under
friendly names, and a search of the whole catalogue for the others (live with htmx; without JavaScript,
a Search button that re-renders the form with the matches). The submitted value stays the model's id
(its slug, or its primary key where a form stores the model itself)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from estimator.footprints import reference_data
from estimator.labels import provider_name
from estimator.models import AIModel
from estimator.selectors import catalogue_search

# The short list every picker offers, by maker: for each mainstream provider, its current general-purpose
# models of the EcoLogits catalogue, one per size (no dated snapshots, previews, search, audio or code
# variants), plus the open-weight models the study, the presets and the comparison use. Why: the whole
# catalogue (343 entries) in one list was unusable and weighed 20 KB per picker (issue #13, item 9);
# these are the models employees are offered at work. Every other model is one search away.
SHORT_LIST: dict[str, dict[str, str]] = {
    "OpenAI": {
        "gpt-5": "GPT-5",
        "gpt-5-mini": "GPT-5 mini",
        "gpt-5-nano": "GPT-5 nano",
        "gpt-4.1": "GPT-4.1",
        "gpt-4.1-mini": "GPT-4.1 mini",
        "gpt-4o": "GPT-4o",
        "gpt-4o-mini": "GPT-4o mini",
        "o4-mini": "o4-mini",
    },
    "Anthropic": {
        "claude-opus-4-5-20251101": "Claude Opus 4.5",
        "claude-sonnet-4-5-20250929": "Claude Sonnet 4.5",
        "claude-haiku-4-5-20251001": "Claude Haiku 4.5",
    },
    "Google": {
        "gemini-2.5-pro": "Gemini 2.5 Pro",
        "gemini-2.5-flash": "Gemini 2.5 Flash",
        "gemini-2.5-flash-lite": "Gemini 2.5 Flash-Lite",
    },
    "Mistral AI": {
        "mistral-large-2": "Mistral Large 2",
        "mistral-medium-3": "Mistral Medium 3",
        "mistral-small": "Mistral Small",
        "ministral-8b-latest": "Ministral 8B",
    },
    "Meta": {
        "llama-4-maverick": "Llama 4 Maverick",
        "llama-4-scout": "Llama 4 Scout",
        "llama-3.3-70b": "Llama 3.3 70B",
        "llama-3.1-405b": "Llama 3.1 405B",
        "llama-3.1-70b": "Llama 3.1 70B",
        "llama-3.1-8b": "Llama 3.1 8B",
        "llama-3-70b": "Llama 3 70B",
        "llama-3-8b": "Llama 3 8B",
    },
    "DeepSeek": {"deepseek-v3": "DeepSeek-V3", "deepseek-r1": "DeepSeek-R1"},
    "Alibaba (Qwen)": {
        "qwen3-235b-a22b": "Qwen3 235B-A22B",
        "qwen3-32b": "Qwen3 32B",
        "qwen3-30b-a3b": "Qwen3 30B-A3B",
    },
    "Stability AI": {
        "sd-3.5-large": "Stable Diffusion 3.5 Large",
        "sd-3.5-medium": "Stable Diffusion 3.5 Medium",
        "sdxl": "Stable Diffusion XL",
        "sd-2.1": "Stable Diffusion 2.1",
    },
    "Black Forest Labs": {"flux.1-dev": "FLUX.1 [dev]"},
}
SHORT_NAMES = {slug: (name, maker) for maker, models in SHORT_LIST.items() for slug, name in models.items()}
QUERY_MAX_CHARS = 100
MATCHES_SHOWN = 30

Choices = list[tuple[str, list[tuple[str, str]]]]


def model_label(model: AIModel) -> str:
    """'GPT-4o mini — OpenAI': the short list's name, else the catalogue's, with who makes the model."""
    if model.slug in SHORT_NAMES:
        name, maker = SHORT_NAMES[model.slug]
        return f"{name} — {maker}"
    provider = provider_name(model.provider)
    if "/" in model.name:  # a Hugging Face entry: "CohereForAI/aya-23-35B"
        owner, name = model.name.split("/", 1)
        return f"{name} — {owner} ({provider})"
    return f"{model.name} — {provider}"


def search_error(query: str) -> str | None:
    """Why a search cannot run, or None: too long, or with a character no model name has."""
    if len(query) > QUERY_MAX_CHARS:
        return _("Search: at most %(count)d characters.") % {"count": QUERY_MAX_CHARS}
    if any(ord(char) < 32 for char in query):
        return _("Search: control characters are not allowed.")
    return None


class ModelSelect(forms.Select):
    """A model's select: the short list grouped by maker, the model already chosen wherever it comes from,
    the models of the organisation's use cases and, after a search, its matches; then the search itself."""

    template_name = "estimator/widgets/model_select.html"
    option_template_name = "django/forms/widgets/select_option.html"

    def __init__(
        self,
        *,
        modality: str | None = None,
        value_field: str = "slug",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.modality = modality
        self.value_field = value_field
        self.query = ""
        self.used: Sequence[AIModel] = ()

    def used_from(self, slugs: str) -> list[AIModel]:
        """The models a comma-separated list of slugs names (the organisation's, sent back by the search)."""
        models = reference_data().models
        return [models[slug] for slug in slugs.split(",") if slug in models]

    def _value(self, model: AIModel) -> str:
        return str(getattr(model, self.value_field))

    def chosen(self, value: Any) -> AIModel | None:
        """The catalogue model a submitted value names, or None."""
        if value in (None, ""):
            return None
        models = reference_data().models.values()
        return next((m for m in models if self._value(m) == str(value)), None)

    def matches(self) -> tuple[list[AIModel], str]:
        """The search's matches (at most MATCHES_SHOWN) and what to tell the user about them."""
        query = self.query.strip()
        if not query:
            return [], ""
        error = search_error(query)
        if error:
            return [], error
        found = catalogue_search(q=query, modality=self.modality or "")
        if not found:
            return [], _("No model matches “%(query)s”.") % {"query": query}
        status = ngettext(
            "%(count)d model matches “%(query)s”: listed first in the model list.",
            "%(count)d models match “%(query)s”: listed first in the model list.",
            len(found),
        ) % {"count": len(found), "query": query}
        if len(found) > MATCHES_SHOWN:
            status += " " + _("The first %(shown)d are listed: add a word to narrow the search.") % {
                "shown": MATCHES_SHOWN
            }
        return found[:MATCHES_SHOWN], status

    def grouped_choices(self, value: Any) -> tuple[Choices, str]:
        models = reference_data().models
        listed: set[str] = set()

        def group(label: str, members: Iterable[AIModel]) -> list[tuple[str, list[tuple[str, str]]]]:
            options = [(self._value(m), model_label(m)) for m in members if m.slug not in listed]
            listed.update(m.slug for m in members)
            return [(label, options)] if options else []

        def fits(model: AIModel | None) -> bool:
            return model is not None and (self.modality is None or model.modality == self.modality)

        matches, status = self.matches()
        chosen = self.chosen(value)
        choices: Choices = []
        if query := self.query.strip():
            choices += group(_("Matches for “%(query)s”") % {"query": query[:QUERY_MAX_CHARS]}, matches)
        if chosen is not None and chosen.slug not in SHORT_NAMES:
            choices += group(_("Your choice"), [chosen])
        for maker, slugs in SHORT_LIST.items():
            choices += group(maker, [m for slug in slugs if fits(m := models.get(slug)) and m is not None])
        choices += group(_("In your organisation's use cases"), [m for m in self.used if fits(m)])
        return choices, status

    def searchable(self) -> bool:
        """Whether the catalogue holds models of this modality beyond the short list."""
        return any(
            slug not in SHORT_NAMES
            for slug, model in reference_data().models.items()
            if self.modality is None or model.modality == self.modality
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        choices, status = self.grouped_choices(value)
        self.choices = choices
        context = super().get_context(name, value, attrs)
        query = {"name": name, "value_field": self.value_field, "modality": self.modality or ""}
        if self.used:
            query["used"] = ",".join(model.slug for model in self.used)
        context["widget"].update(
            query=self.query[:QUERY_MAX_CHARS],
            query_max_chars=QUERY_MAX_CHARS,
            status=status,
            searchable=self.searchable(),
            search_url=f"{reverse('estimator:model-options')}?{urlencode(query)}",
        )
        return context


def bind_search(form: forms.BaseForm) -> None:
    """Give each model picker of a bound form the search typed beside it ('<field>_q')."""
    for name, field in form.fields.items():
        if isinstance(field.widget, ModelSelect) and form.is_bound:
            field.widget.query = str(form.data.get(f"{form.add_prefix(name)}_q", ""))


class ModelPickerField(forms.ChoiceField):
    """A catalogue model by slug: any model of the modality, whether from the short list or a search."""

    widget = ModelSelect

    def __init__(self, *, modality: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ModelSelect(modality=modality))
        super().__init__(**kwargs)
        self.modality = modality

    def valid_value(self, value: Any) -> bool:
        model = reference_data().models.get(str(value))
        return model is not None and model.modality == self.modality
