from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estimator import services as estimator
from governance.models import UseCase
from portal.forms import form_field
from portal.models import Department
from usage.models import Connection, MappingRule


def clean_region(value: str, *, required: bool) -> str:
    """A Google Cloud region (europe-west9) or an ISO 3166 alpha-3 country code (FRA)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise forms.ValidationError(_("Give a region or a country code."))
        return ""
    ref = estimator.reference_data()
    if value in ref.regions:
        return value
    if value.upper() in ref.mixes:
        return value.upper()
    raise forms.ValidationError(_("Unknown region or country: %(value)s.") % {"value": value[:40]})


class ConnectionForm(forms.ModelForm):
    base_url = forms.URLField(
        label=_("base URL"),
        required=False,
        assume_scheme="https",
        help_text=Connection._meta.get_field("base_url").help_text,
    )
    secret = forms.CharField(
        label=_("API key"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "OpenAI and Anthropic: an admin key. LiteLLM: a key allowed to read spend logs. "
            "Stored encrypted and never shown again; leave empty to keep the current one."
        ),
    )

    class Meta:
        model = Connection
        fields = ["name", "kind", "base_url", "secret", "default_region", "schedule_hours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [
            ("", _("Choose a kind of source")),
            *Connection.Kind.choices,
        ]
        if self.instance.pk:
            self.fields["kind"].disabled = True

    def clean_default_region(self) -> str:
        return clean_region(self.cleaned_data.get("default_region", ""), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or self.instance.kind
        if kind == Connection.Kind.LITELLM and not data.get("base_url"):
            self.add_error("base_url", _("A LiteLLM connection needs the proxy's address."))
        if kind != Connection.Kind.OTLP and not data.get("secret") and not self.instance.secret_encrypted:
            self.add_error("secret", _("Give the API key."))
        return data


class BackfillForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        today = timezone.now().astimezone(datetime.UTC).date()
        if start and start > today:
            self.add_error("start_date", _("This day has not happened yet."))
        if start and end and end < start:
            self.add_error("end_date", _("The end is before the start."))
        if start and (end or today) - start > datetime.timedelta(days=3 * 366):
            self.add_error("start_date", _("At most three years at a time."))
        return data


class MappingRuleForm(forms.ModelForm):
    class Meta:
        model = MappingRule
        fields = ["field", "value", "department", "use_case", "region"]

    def __init__(self, *args: Any, connection: Connection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connection = connection
        form_field(self, "field", forms.ChoiceField).choices = [
            ("", _("Choose what to match on")),
            *MappingRule.Field.choices,
        ]
        department = form_field(self, "department", forms.ModelChoiceField)
        department.queryset = Department.objects.all()
        department.empty_label = _("Choose a department")
        use_case = form_field(self, "use_case", forms.ModelChoiceField)
        use_case.queryset = UseCase.objects.order_by("title")
        use_case.required = False
        use_case.empty_label = _("No use case")

    def clean_region(self) -> str:
        return clean_region(self.cleaned_data.get("region", ""), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        field, value = data.get("field"), (data.get("value") or "").strip()
        data["value"] = value
        if (
            field
            and value
            and MappingRule.objects.filter(connection=self.connection, field=field, value=value).exists()
        ):
            self.add_error("value", _("A rule already maps this value."))
        return data
