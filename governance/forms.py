from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from estimator import services as estimator_services
from estimator.forms import region_choices
from estimator.models import AIModel
from estimator.picker import SHORT_NAMES, ModelSelect, bind_search
from estimator.templatetags.footprint import significant
from governance.models import NOTE_MAX_CHARS, UseCase
from governance.selectors import registrable_departments
from governance.services import EDITABLE_FIELDS
from portal.forms import form_field
from portal.models import Department, User

MODEL_SEARCH = "model_search"  # the name of the model picker's Search button
USED_MODELS_SHOWN = 40  # the organisation's models outside the short list: the others are one search away
VALUE_CHOICES = [(n, str(n)) for n in range(6)]
IMAGE_FIELDS = ("images_per_request", "image_width", "image_height")
# Bounds on what an estimate's address may carry (the use case's own fields are checked by the model).
MAX_COUNT = 1e12
MAX_PIXELS = 16384


class UseCaseForm(forms.ModelForm):
    region = forms.ChoiceField(label=_("Cloud region"))
    value_environmental = forms.TypedChoiceField(
        label=_("Environmental value"), choices=VALUE_CHOICES, coerce=int
    )
    value_social = forms.TypedChoiceField(label=_("Social value"), choices=VALUE_CHOICES, coerce=int)
    value_economic = forms.TypedChoiceField(label=_("Economic value"), choices=VALUE_CHOICES, coerce=int)

    class Meta:
        model = UseCase
        fields = EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "value_justification": forms.Textarea(attrs={"rows": 3}),
            "alternatives": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "requests_per_month": _("All users together."),
            "input_tokens": _("Text: prompt and context, about 0.75 words per token."),
            "output_tokens": _("Text: the answer's length."),
            "images_per_request": _("Images only."),
            "iterations_per_task": _("How many prompts until the result is usable."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices say what to do, not "---------".
        form_field(self, "task_type", forms.ChoiceField).choices = [
            ("", _("Choose a task type")),
            *UseCase.TaskType.choices,
        ]
        form_field(self, "ai_act_tier", forms.ChoiceField).choices = [
            ("", _("Choose a tier")),
            *UseCase.AiActTier.choices,
        ]
        # Image-only fields: the page hides them for other tasks (JavaScript); clean() ignores them there.
        for name in IMAGE_FIELDS:
            self.fields[name].required = False
        self.fields["images_per_request"].help_text = _("Image generation only: ignored for other tasks.")
        form_field(self, "region", forms.ChoiceField).choices = region_choices(blank=False)
        # Any catalogue model: the picker's short list, the models already in the organisation's use cases,
        # and a search for the others.
        model = form_field(self, "model", forms.ModelChoiceField)
        model.queryset = AIModel.objects.all()
        model.empty_label = None
        picker = ModelSelect(value_field="pk")
        used = AIModel.objects.filter(pk__in=UseCase.objects.values("model_id")).exclude(slug__in=SHORT_NAMES)
        picker.used = list(used.order_by("name")[:USED_MODELS_SHOWN])
        picker.is_required = model.required
        model.widget = picker
        bind_search(self)
        # The picker's Search button without JavaScript posts the form: show the matches, save nothing.
        self.searching = self.is_bound and MODEL_SEARCH in self.data and picker.query.strip() != ""
        # Only the departments the owner belongs to (and the use case's current one, kept as it is).
        departments = registrable_departments(user)
        if self.instance.pk:
            departments = Department.objects.filter(
                Q(pk__in=departments.values("pk")) | Q(pk=self.instance.department_id)
            )
        department = form_field(self, "department", forms.ModelChoiceField)
        department.queryset = departments
        department.empty_label = None
        # Similar use cases appear while the title is typed (htmx; without JavaScript, nothing is lost).
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("governance:similar"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar",
                "hx-swap": "outerHTML",
                "hx-include": "#similar-exclude",
            }
        )

    def full_clean(self) -> None:
        if self.searching:  # nothing is checked (nor shown as an error) until the form is saved
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.searching and super().is_valid()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("task_type") and data["task_type"] != UseCase.TaskType.IMAGE_GENERATION:
            # Kept from an image task, or typed with JavaScript off: a text task has no images.
            data.update(images_per_request=0, image_width=None, image_height=None)
        elif data.get("images_per_request") is None:
            data["images_per_request"] = 0  # the service names the missing count
        return data

    @property
    def cleared_fields(self) -> list[str]:
        """The image-only fields clean() emptied for a task that is not image generation (an edit saves
        them too: switching a task from images to text drops its image settings)."""
        if self.cleaned_data.get("task_type") == UseCase.TaskType.IMAGE_GENERATION:
            return []
        return list(IMAGE_FIELDS)


class EstimatePrefillForm(forms.Form):
    """A new use case from an estimate: the estimator's inputs (by the estimator's names, from its
    result's link) or a saved estimate's inputs, read like any input. The odd values are named and left
    out; the use case's form takes the others as its initial values."""

    estimate = forms.IntegerField(label=_("Saved estimate"), required=False, min_value=1, max_value=2**31 - 1)
    kind = forms.ChoiceField(
        label=_("Kind of estimate"),
        required=False,
        choices=[("text", "text"), ("image", "image")],
        error_messages={"invalid_choice": _("Only a text or image estimate describes a use case.")},
    )
    name = forms.CharField(required=False, max_length=200)
    model = forms.SlugField(label=_("Model"), required=False, max_length=100)
    region = forms.CharField(label=_("Cloud region"), required=False, max_length=40)
    country = forms.CharField(required=False, max_length=3)
    grid_intensity = forms.FloatField(required=False)
    input_tokens = forms.FloatField(
        label=_("input tokens per request"), required=False, min_value=0, max_value=MAX_COUNT
    )
    output_tokens = forms.FloatField(
        label=_("output tokens per request"), required=False, min_value=0, max_value=MAX_COUNT
    )
    requests = forms.FloatField(label=_("Requests"), required=False, min_value=0, max_value=MAX_COUNT)
    images = forms.FloatField(label=_("Images"), required=False, min_value=0, max_value=MAX_COUNT)
    iterations = forms.FloatField(label=_("prompts per task"), required=False, min_value=1, max_value=1000)
    width = forms.IntegerField(label=_("image width (px)"), required=False, min_value=1, max_value=MAX_PIXELS)
    height = forms.IntegerField(
        label=_("image height (px)"), required=False, min_value=1, max_value=MAX_PIXELS
    )

    def clean_model(self) -> AIModel | None:
        slug = self.cleaned_data.get("model")
        if not slug:
            return None
        model = AIModel.objects.filter(slug=slug).first()
        if model is None:
            raise forms.ValidationError(_("No model “%(slug)s” in the catalogue.") % {"slug": slug})
        return model

    def clean_region(self) -> str:
        region = self.cleaned_data.get("region") or ""
        if region and region not in estimator_services.reference_data().regions:
            raise forms.ValidationError(_("No cloud region “%(region)s”.") % {"region": region})
        return region

    def use_case_initial(self) -> tuple[dict[str, Any], list[str]]:
        """The use case's initial values from the valid inputs, and notes on how they were read."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        initial: dict[str, Any] = {}
        notes: list[str] = []
        is_image = data.get("kind") == "image"
        if "kind" in data:
            initial["task_type"] = (
                UseCase.TaskType.IMAGE_GENERATION if is_image else UseCase.TaskType.TEXT_GENERATION
            )
        if data.get("name"):
            initial["title"] = data["name"]
        if "model" in data:
            initial["model"] = data["model"].pk
        if "region" in data:
            initial["region"] = data["region"]
        elif "country" in data or "grid_intensity" in data:
            notes.append(
                gettext(
                    "The estimate used a country's electricity or a given grid intensity: a use case runs in a "
                    "cloud region, choose one."
                )
            )
        for name in ("input_tokens", "output_tokens"):
            if name in data and not is_image:
                initial[name] = round(data[name])
        if "iterations" in data:
            initial["iterations_per_task"] = data["iterations"]
        if is_image:
            initial.update({"image_width": data.get("width"), "image_height": data.get("height")})
        volume = data.get("images" if is_image else "requests")
        if volume is not None:
            rounded_per_month = round(volume / 12)
            # A use case is at least one request a month: fewer than twelve in the estimate cannot be a year's.
            per_month = max(1, rounded_per_month)
            initial["requests_per_month"] = per_month
            if is_image:
                initial["images_per_request"] = 1
            count = (
                ngettext("%(n)s image", "%(n)s images", round(volume))
                if is_image
                else ngettext("%(n)s request", "%(n)s requests", round(volume))
            ) % {"n": floatformat(volume, "-2g")}
            if rounded_per_month >= 1:
                message = gettext(
                    "The estimate's volume, %(count)s, is taken as a year's: %(per_month)s. "
                    "Change it if the estimate was for another period."
                )
            else:
                message = gettext(
                    "The estimate's volume, %(count)s, is less than one request a month over a year: the form "
                    "starts at %(per_month)s (12 a year). Enter the use case's real volume."
                )
            per_month_text = ngettext("%(n)s request a month", "%(n)s requests a month", per_month) % {
                "n": floatformat(per_month, "g")
            }
            notes.append(message % {"count": count, "per_month": per_month_text})
        return initial, notes


class RetireForm(forms.Form):
    """The retirement's confirmation page: an optional reason (posted as the decision's comment)."""

    comment = forms.CharField(
        label=_("Why retire it? (optional)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conditions = forms.CharField(
        label=_("Conditions (approval only)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. EU regions only; answers capped at 300 tokens."),
    )
    budget_kgco2e_per_year = forms.FloatField(
        label=_("Yearly footprint budget, kgCO2e (approval only)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        help_text=_("Empty: the approved estimate's high bound."),
    )
    budget_reason = forms.CharField(
        label=_("Reason for another budget"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the budget differs from the default."),
    )

    def __init__(self, *args: Any, use_case: UseCase | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = use_case.default_budget_kgco2e_per_year if use_case is not None else None
        budget = self.fields["budget_kgco2e_per_year"]
        if use_case is not None and use_case.budget_reason and use_case.budget_kgco2e_per_year:
            # A budget a decider set with a reason: approving again without a figure keeps it.
            budget.help_text = _(
                "Empty: the current budget, %(current)s kgCO2e a year, set with the reason “%(reason)s”. "
                "%(default)s is the approved estimate's high bound."
            ) % {
                "current": significant(use_case.budget_kgco2e_per_year),
                # Help text is rendered as HTML (Django's field template marks it safe): the decider's
                # own words are escaped here.
                "reason": escape(use_case.budget_reason),
                "default": significant(default) if default is not None else "—",
            }
            budget.widget.attrs["placeholder"] = floatformat(use_case.budget_kgco2e_per_year, "-3")
        elif default is not None:
            budget.help_text = _("Empty: the approved estimate's high bound, %(default)s kgCO2e a year.") % {
                "default": significant(default)
            }
            budget.widget.attrs["placeholder"] = floatformat(default, "-3")


class BudgetChangeForm(forms.Form):
    """A decider changes the budget of a use case in force, without a new decision."""

    budget_kgco2e_per_year = forms.FloatField(
        label=_("New yearly footprint budget, kgCO2e"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        help_text=_("Empty: the approved estimate's high bound."),
    )
    budget_reason = forms.CharField(
        label=_("Why it changes"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, use_case: UseCase | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = use_case.default_budget_kgco2e_per_year if use_case is not None else None
        if default is not None:
            budget = self.fields["budget_kgco2e_per_year"]
            budget.help_text = _("Empty: the approved estimate's high bound, %(default)s kgCO2e a year.") % {
                "default": significant(default)
            }
            budget.widget.attrs["placeholder"] = floatformat(default, "-3")


class UseCaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *UseCase.Status.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("All departments"),
    )
    quadrant = forms.ChoiceField(
        label=_("Quadrant"),
        required=False,
        choices=[
            ("", _("All quadrants")),
            ("go", _("Go")),
            ("optimise", _("Optimise")),
            ("reconsider", _("Reconsider")),
            ("stop", _("Stop")),
        ],
    )
