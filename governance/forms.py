from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from estimator.forms import region_choices
from estimator.models import AIModel
from estimator.picker import SHORT_NAMES, ModelSelect, bind_search
from governance.models import NOTE_MAX_CHARS, UseCase
from governance.selectors import registrable_departments
from governance.services import EDITABLE_FIELDS
from portal.forms import form_field
from portal.models import Department, User

MODEL_SEARCH = "model_search"  # the name of the model picker's Search button
USED_MODELS_SHOWN = 40  # the organisation's models outside the short list: the others are one search away
VALUE_CHOICES = [(n, str(n)) for n in range(6)]


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
        if default is not None:
            budget = self.fields["budget_kgco2e_per_year"]
            budget.help_text = _("Empty: the approved estimate's high bound, %(default)s kgCO2e a year.") % {
                "default": floatformat(default, "-3g")
            }
            budget.widget.attrs["placeholder"] = floatformat(default, "-3")


class UseCaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *UseCase.Status.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), empty_label=_("All")
    )
    quadrant = forms.ChoiceField(
        label=_("Quadrant"),
        required=False,
        choices=[
            ("", _("All")),
            ("go", _("Go")),
            ("optimise", _("Optimise")),
            ("reconsider", _("Reconsider")),
            ("stop", _("Stop")),
        ],
    )
