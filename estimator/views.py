"""Estimator pages: the live estimator, the model × region comparison, the scenario and saved estimates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estimator import calculations as calc
from estimator import charts, published, selectors, services
from estimator.forms import (
    DEFAULTS,
    ESTIMATE_FORMS,
    CatalogueFilterForm,
    CompareSavedForm,
    ModelOptionsForm,
    PlaceForm,
    PresetForm,
    SaveEstimateForm,
    ScenarioForm,
    TextEstimateForm,
)
from estimator.labels import LEVER_LABELS
from estimator.levers import rounded_percents
from estimator.models import ReferencePoint
from estimator.picker import ModelSelect
from estimator.scenarios import LLAMA3_YEAR, scenario_preset_run
from portal.forms import add_service_errors

if TYPE_CHECKING:  # the estimator sits below the organisation: it needs only the type of its users
    from portal.http import AuthenticatedHttpRequest

COMPARE_MODELS = ["llama-3-8b", "mistral-small", "gpt-4o-mini", "llama-3-70b", "gpt-4o", "llama-3.1-405b"]
COMPARE_REGIONS = [
    "europe-north2",
    "europe-west9",
    "europe-north1",
    "us-west1",
    "europe-west3",
    "us-central1",
    "australia-southeast1",
    "asia-south1",
]


EstimateForm = TypeVar("EstimateForm", bound=PlaceForm)
# The kinds of estimate a use case's usage profile can start from.
USE_CASE_KINDS = ("text", "image")


def _bound(
    form_class: type[EstimateForm], request: AuthenticatedHttpRequest, defaults: dict[str, str]
) -> EstimateForm:
    """Bind a GET form to the query, or to the defaults when the query says nothing about it."""
    fields = form_class.base_fields
    data: QueryDict | dict[str, str] = (
        request.GET if any(name in request.GET for name in fields) else defaults
    )
    return form_class(data)


def _run(form: PlaceForm, kind: str) -> dict[str, Any] | None:
    """The estimate for a valid form; service errors go back onto the form's fields."""
    if not form.is_valid():
        return None
    try:
        return services.estimate(kind, **form.params()).as_dict()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _per_unit(kind: str, result: dict[str, Any]) -> dict[str, float] | None:
    """Central energy and emissions of one request (text) or one image, to set beside reference points."""
    inputs = result["inputs"]
    count = {"text": inputs.get("requests", 1), "image": inputs.get("images", 1)}.get(kind)
    if count is None:
        return None
    count *= inputs.get("iterations", 1)
    return {
        "energy_wh": result["energy_kwh"]["central"] * 1000 / count,
        "emissions_g": result["emissions_kgco2e"]["central"] * 1000 / count,
    }


@login_required
@require_GET
def estimate_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "text")
    if kind not in ESTIMATE_FORMS:
        kind = "text"
    form = _bound(ESTIMATE_FORMS[kind], request, DEFAULTS[kind])
    result = _run(form, kind)
    context = {
        "kind": kind,
        "kinds": [("text", _("Text")), ("image", _("Images")), ("training", _("Training"))],
        "form": form,
        "result": result,
        "per_unit": _per_unit(kind, result) if result else None,
        "reference_points": ReferencePoint.objects.filter(kind=kind) if kind != "training" else [],
        "query": form.data.urlencode() if isinstance(form.data, QueryDict) else "",
        "save_form": SaveEstimateForm(initial={"kind": kind}),
        # "Register a use case from this estimate": governance's form reads these inputs (and checks them).
        "use_case_query": urlencode({"kind": kind, **form.params()})
        if result and kind in USE_CASE_KINDS
        else "",
    }
    template = (
        "estimator/estimate_page.html#estimate-result" if request.htmx else "estimator/estimate_page.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def estimate_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the estimate of the inputs posted with it (the live form's current values)."""
    save_form = SaveEstimateForm(request.POST)
    kind = request.POST.get("kind", "text")
    form = ESTIMATE_FORMS[kind](request.POST) if kind in ESTIMATE_FORMS else None
    if form is None or not save_form.is_valid() or not form.is_valid():
        messages.error(request, _("The estimate could not be saved: give it a name and check its inputs."))
        return redirect("estimator:estimate")
    try:
        estimate = services.estimate_save(
            owner=request.user, name=save_form.cleaned_data["name"], kind=kind, inputs=form.params()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("estimator:estimate")
    messages.success(request, _("Estimate “%(name)s” saved.") % {"name": estimate.name})
    return redirect("estimator:saved-detail", estimate_id=estimate.pk)


@login_required
@require_GET
def compare_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current text task across ~6 models and ~8 regions: levers #1 and #4 side by side."""
    form = _bound(TextEstimateForm, request, DEFAULTS["text"])
    table = None
    if form.is_valid():
        params = form.params()
        model, region = params.get("model"), params.get("region") or "europe-west9"
        models = COMPARE_MODELS + ([model] if model and model not in COMPARE_MODELS else [])
        regions = COMPARE_REGIONS + ([region] if region not in COMPARE_REGIONS else [])
        task = {
            k: v
            for k, v in params.items()
            if k in ("output_tokens", "input_tokens", "iterations", "pue", "scope", "lifetime_requests")
        }
        try:
            table = charts.model_region_table(
                models=models, regions=regions, task=task, current=(model, region)
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "estimator/compare_page.html", {"form": form, "table": table})


@login_required
@require_GET
def catalogue_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The model catalogue with each text model's energy per million output tokens, lowest first."""
    form = CatalogueFilterForm(request.GET)
    models = (
        selectors.catalogue_search(**form.cleaned_data)
        if form.is_valid()
        else selectors.catalogue_search(q="", modality="")
    )
    return render(
        request,
        "estimator/catalogue_page.html",
        {"form": form, "models": [services.model_summary(model) for model in models]},
    )


@login_required
@require_GET
def model_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A model picker's options after a catalogue search (an htmx fragment of every form with a picker):
    the matches first, the model already chosen kept selected, then the short list."""
    form = ModelOptionsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown model picker."))
    name = form.cleaned_data["name"]
    widget = ModelSelect(
        modality=form.cleaned_data["modality"] or None, value_field=form.cleaned_data["value_field"] or "slug"
    )
    widget.query = request.GET.get(f"{name}_q", "")
    widget.used = widget.used_from(form.cleaned_data["used"])
    context = widget.get_context(name, request.GET.get(name), {"id": f"id_{name}"})
    return render(request, "estimator/model_options.html", context)


@login_required
@require_GET
def scenario_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The study's preset, or the user's own baseline and improved workloads."""
    custom = ScenarioForm(request.GET) if "tasks" in request.GET else None
    scenario, preset_name = None, None
    if custom is None:
        preset = PresetForm(request.GET or {"preset": "llama3-year"})
        preset_name = preset.cleaned_data["preset"] if preset.is_valid() else "llama3-year"
        scenario = scenario_preset_run(preset=preset_name)
        base, improved = LLAMA3_YEAR["baseline"], LLAMA3_YEAR["improved"]
        custom = ScenarioForm(
            initial={
                "tasks": LLAMA3_YEAR["tasks"],
                "input_tokens": LLAMA3_YEAR["input_tokens"],
                "baseline_model": base["models"][0][0],
                "baseline_region": base["region"],
                "baseline_output_tokens": base["output_tokens"],
                "baseline_iterations": base["iterations"],
                "improved_model": improved["models"][1][0],
                "improved_model_share": improved["models"][1][1],
                "improved_region": improved["region"],
                "improved_output_tokens": improved["output_tokens"],
                "improved_iterations": improved["iterations"],
                "training": "llama3",  # the preset counts it: the same inputs give the same result
            }
        )
    elif custom.is_valid():
        try:
            scenario = scenario_preset_run(**custom.cleaned_data)
        except ValidationError as error:
            add_service_errors(custom, error)
    context = {
        "scenario": scenario.as_dict() if scenario else None,
        "preset": preset_name,
        "form": custom,
        "chart": charts.scenario_chart(scenario) if scenario else None,
        # What the good practices save (central): shown in everyday equivalents.
        "saving_kgco2e": (
            scenario.baseline.emissions_kgco2e.central - scenario.improved.emissions_kgco2e.central
            if scenario
            else None
        ),
        "lever_rows": [
            (LEVER_LABELS[lever.name], lever, percent / 100)
            for lever, percent in zip(
                scenario.levers, rounded_percents([lever.share for lever in scenario.levers]), strict=True
            )
        ]
        if scenario
        else [],
    }
    return render(request, "estimator/scenario_page.html", context)


@login_required
@require_GET
def saved_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    estimates = selectors.estimates_of(request.user)
    form = CompareSavedForm(choices=[(e.pk, e.name) for e in estimates])
    return render(request, "estimator/saved_list.html", {"estimates": estimates, "form": form})


@login_required
@require_GET
def saved_detail(request: AuthenticatedHttpRequest, estimate_id: int) -> HttpResponse:
    estimate = get_object_or_404(selectors.estimates_of(request.user), pk=estimate_id)
    reopen = QueryDict(mutable=True)
    reopen.update(
        {"kind": estimate.kind, **{k: str(v) for k, v in estimate.inputs.items() if k != "include_embodied"}}
    )
    if estimate.inputs.get("include_embodied", True) and estimate.kind == "training":
        reopen["include_embodied"] = "on"
    outdated = estimate.estimator_version != calc.ESTIMATOR_VERSION
    context = {
        "estimate": estimate,
        "recomputed": services.estimate_recompute(saved=estimate) if outdated else None,
        "result": estimate.result,
        "per_unit": _per_unit(estimate.kind, estimate.result),
        "reopen_query": reopen.urlencode(),
        "registrable": estimate.kind in USE_CASE_KINDS,
    }
    return render(request, "estimator/saved_detail.html", context)


@login_required
@require_GET
def saved_compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    estimates = selectors.estimates_of(request.user)
    form = CompareSavedForm(request.GET, choices=[(e.pk, e.name) for e in estimates])
    if not form.is_valid():
        return render(
            request, "estimator/saved_list.html", {"estimates": estimates, "form": form}, status=400
        )
    chosen = list(estimates.filter(pk__in=form.cleaned_data["ids"]))
    # A scenario is compared through its improved side.
    figures = [e.result["improved"] if e.kind == "scenario" else e.result for e in chosen]
    rows = [
        (_("Emissions"), "emissions_kgco2e", "kgco2e"),
        (_("of which electricity"), "usage_emissions_kgco2e", "kgco2e"),
        (_("of which hardware manufacturing"), "embodied_emissions_kgco2e", "kgco2e"),
        (_("Energy"), "energy_kwh", "kwh"),
        (_("Water"), "water_l", "l"),
    ]
    matrix = [(label, unit, [f.get(key) for f in figures]) for label, key, unit in rows]
    return render(request, "estimator/saved_compare.html", {"estimates": chosen, "matrix": matrix})


@login_required
@require_http_methods(["GET", "POST"])
def saved_delete(request: AuthenticatedHttpRequest, estimate_id: int) -> HttpResponse:
    """GET asks for confirmation (the detail page links here), POST deletes."""
    estimate = get_object_or_404(selectors.estimates_of(request.user), pk=estimate_id)
    if request.method == "GET":
        context = {
            "title": _("Delete an estimate"),
            "question": _("Delete the estimate “%(name)s”?") % {"name": estimate.name},
            "consequences": [_("It is removed from your saved estimates. This cannot be undone.")],
            "action_label": _("Delete the estimate"),
            "cancel_url": reverse("estimator:saved-detail", args=[estimate.pk]),
            "cancel_label": _("Keep it"),
        }
        return render(request, "portal/confirm.html", context)
    services.estimate_delete(estimate=estimate)
    messages.success(request, _("Estimate “%(name)s” deleted.") % {"name": estimate.name})
    return redirect("estimator:saved-list")


@login_required
@require_GET
def method_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"reference_points": ReferencePoint.objects.all(), "agreement": published.agreement()}
    return render(request, "estimator/method_page.html", context)
