from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estimator.forms import region_choices
from estimator.models import AIModel
from portal import scope
from portal.dates import PERIOD_PRESETS, month_start, months_back, preset_period
from portal.forms import form_field
from portal.models import Department, User
from usage.models import MonthlyRollup


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return month_start(day) if day else None


PERIOD_PRESET_LABELS = {
    "this-month": _("This month"),
    "last-month": _("Last month"),
    "this-quarter": _("This quarter"),
    "last-quarter": _("Last quarter"),
    "this-year": _("This year"),
    "last-year": _("Last year"),
    "last-12-months": _("Last 12 months"),
}


@dataclass(frozen=True)
class PeriodLink:
    """A preset period as a link: its label, the dashboard's query for it, and whether it is shown now."""

    preset: str
    label: str
    start: datetime.date
    end: datetime.date
    query: str
    current: bool


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From"), required=False)
    end = MonthField(label=_("To"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
    )
    model = forms.ModelChoiceField(
        label=_("Model"),
        queryset=AIModel.objects.filter(featured=True),
        required=False,
        empty_label=_("All models"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._show_default_period()
        form_field(self, "region", forms.ChoiceField).choices = [
            ("", _("All regions")),
            *region_choices(blank=False),
        ]
        if user is not None:
            departments = scope.departments_visible_to(user)
            form_field(self, "department", forms.ModelChoiceField).queryset = departments
            # Only the models and regions their usage names: any other choice could only show nothing,
            # and the whole catalogue's were most of the page's elements. One query for both (order_by():
            # the rollups' own ordering, month and id, would make DISTINCT read every rollup); the models in
            # the catalogue's order (featured first, then by provider and name, in the database's collation).
            used = list(
                MonthlyRollup.objects.filter(department__in=departments)
                .order_by("-model__featured", "model__provider", "model__name")
                .values_list("model__featured", "model__provider", "model__name", "model_id", "region")
                .distinct()
            )
            models = {model_id: name for _featured, _provider, name, model_id, _region in used}
            model_field = form_field(self, "model", forms.ModelChoiceField)
            model_field.queryset = AIModel.objects.filter(pk__in=models)  # read only to check a choice
            model_field.choices = [("", model_field.empty_label), *models.items()]
            regions = {region for *_model, region in used}
            form_field(self, "region", forms.ChoiceField).choices = [
                ("", _("All regions")),
                *[(code, label) for code, label in region_choices(blank=False) if code in regions],
            ]

    def _show_default_period(self) -> None:
        """An empty From or To means the default period (period()): the fields show its months, so they
        say which months the page covers (an empty month input reads '--------- ----')."""
        this_month = month_start(timezone.localdate())
        if not self.is_bound:
            self.initial = {"start": months_back(this_month, 11), "end": this_month, **self.initial}
            return
        data = QueryDict(mutable=True)
        data.update(self.data)
        if not data.get("end"):
            data["end"] = f"{this_month:%Y-%m}"
        if not data.get("start"):
            try:
                end = self.fields["end"].clean(data["end"])
            except forms.ValidationError:
                return  # the To month's own error says what is wrong
            data["start"] = f"{months_back(end, 11):%Y-%m}"
        self.data = data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("“To” is before “From”: choose a To month on or after the From month."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The months asked for; by default (or when the filters are invalid) the last 12 months."""
        this_month = month_start(timezone.localdate())
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or this_month
        start = data.get("start") or months_back(end, 11)
        return start, end

    def selection(self) -> dict[str, Any]:
        """filtered_rows()'s arguments: the period, and a department, model and region or None."""
        start, end = self.period()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "start": start,
            "end": end,
            "department": data["department"].pk if data.get("department") else None,
            "model": data["model"].pk if data.get("model") else None,
            "region": data.get("region") or None,
        }

    def presets(self, today: datetime.date | None = None) -> list[PeriodLink]:
        """The preset periods as links that keep the other filters (portal.dates.preset_period)."""
        today = today or timezone.localdate()
        shown = self.period()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kept = {name: self.data[name] for name in ("department", "model", "region") if data.get(name)}
        links, marked = [], False
        for preset in PERIOD_PRESETS:
            start, end = preset_period(preset, today)
            query = urlencode({**kept, "start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}"})
            # Two presets can be the same months (this year and the last 12 months, in December): the
            # first one is marked.
            current = not marked and (start, end) == shown
            marked = marked or current
            links.append(PeriodLink(preset, str(PERIOD_PRESET_LABELS[preset]), start, end, query, current))
        return links

    def query(self) -> str:
        """The filters as a query string (for the CSV export links); nothing when they are invalid."""
        if not (self.is_bound and self.is_valid()):
            return ""
        return urlencode({name: self.data[name] for name in self.fields if self.data.get(name)})


class WhatIfForm(forms.Form):
    region = forms.ChoiceField(label=_("Move everything to"), required=False)
    output_cap_percent = forms.IntegerField(
        label=_("Cap outputs: shorter by (percent)"), min_value=0, max_value=90, initial=30
    )
    train_remaining = forms.BooleanField(label=_("Train the remaining staff"), required=False, initial=True)
    small_model_percent = forms.IntegerField(
        label=_("Share of large-model requests moved to a small model (percent)"),
        min_value=0,
        max_value=100,
        initial=30,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "region", forms.ChoiceField).choices = [
            ("", _("— keep the regions —")),
            *region_choices(blank=False),
        ]


class UsageImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (UTF-8) or Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.USAGE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
                % {"size": f"{upload.size / 1e6:,.1f}", "limit": f"{limit / 1e6:,.0f}"}
            )
        return upload
