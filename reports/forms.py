from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import month_start, months_back
from portal.forms import form_field
from portal.models import Department, User


@dataclass(frozen=True)
class Period:
    """A month, a quarter, a year or a range of months: its first and last months (inclusive) and its
    label (which parse_period reads back)."""

    kind: str  # month, quarter, year, range
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def slug(self) -> str:
        return self.label


def period_between(start: datetime.date, end: datetime.date) -> Period:
    """The months from `start` to `end` (first days, start ≤ end): a month, a quarter or a calendar year
    when they are exactly one, else a range."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months == 0:
        return Period("month", start, end, f"{start:%Y-%m}")
    if months == 2 and start.month % 3 == 1:
        return Period("quarter", start, end, f"{start.year}-Q{start.month // 3 + 1}")
    if months == 11 and start.month == 1:
        return Period("year", start, end, str(start.year))
    return Period("range", start, end, f"{start:%Y-%m}..{end:%Y-%m}")


def parse_period(text: str) -> Period | None:
    """'2026-11' (a month), '2026-Q4' (a quarter), '2026' (a year) or '2025-12..2026-11' (the months from
    one to the other, inclusive: the dashboard's period); None if it is none of them."""
    text = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})\.\.(\d{4})-(\d{1,2})", text):
        first, last = (int(match[1]), int(match[2])), (int(match[3]), int(match[4]))
        if 1 <= first[1] <= 12 and 1 <= last[1] <= 12 and first <= last:
            return period_between(datetime.date(*first, 1), datetime.date(*last, 1))
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            start = datetime.date(year, month, 1)
            return Period("month", start, start, f"{year}-{month:02d}")
    elif match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(match[1]), int(match[2])
        start = datetime.date(year, 3 * quarter - 2, 1)
        return Period("quarter", start, months_back(start, -2), f"{year}-Q{quarter}")
    elif re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 1), str(year))
    return None


class PeriodField(forms.CharField):
    default_error_messages = {
        "invalid": _(
            "Give a month (2026-11), a quarter (2026-Q4), a year (2026) or a range of months "
            "(2025-12..2026-11), between 2000 and 2100."
        ),
    }

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        period = parse_period(text)
        if period is None or not (2000 <= period.start.year <= period.end.year <= 2100):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return period


def this_month_label() -> str:
    return f"{month_start(timezone.localdate()):%Y-%m}"


def this_month() -> Period:
    month = month_start(timezone.localdate())
    return Period("month", month, month, f"{month:%Y-%m}")


class ScopeForm(forms.Form):
    """A department the user may see (empty: everything in their scope) and a period."""

    period = PeriodField(
        label=_("Period"),
        required=False,
        help_text=_(
            "A month (2026-11), a quarter (2026-Q4), a year (2026) or a range of months (2025-12..2026-11)."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_org_admin:
            department = form_field(self, "department", forms.ModelChoiceField)
            department.queryset = user.managed_departments.all()
            department.empty_label = _("All my departments")

    def chosen_period(self) -> Period:
        """The period asked for, or this month."""
        chosen: Period | None = self.cleaned_data.get("period") if self.is_valid() else None
        return chosen or this_month()


class ReportForm(ScopeForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)


class ExportForm(ScopeForm):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], required=False)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    emissions_kgco2e = forms.FloatField(label=_("Emissions target (kgCO2e a year)"), min_value=0.001)
    energy_kwh = forms.FloatField(
        label=_("Energy target (kWh a year, optional)"), min_value=0.001, required=False
    )


class RegisterFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Page")), ("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")],
        required=False,
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_org_admin:
            form_field(self, "department", forms.ModelChoiceField).queryset = user.managed_departments.all()


class RegisterSettingsForm(forms.Form):
    refresher_months = forms.IntegerField(label=_("Refresher due after (months)"), min_value=1, max_value=60)


def previous_month_label(today: datetime.date | None = None) -> str:
    return f"{months_back(month_start(today or timezone.localdate()), 1):%Y-%m}"
