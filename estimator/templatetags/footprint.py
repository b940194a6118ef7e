"""Show quantities in a unit people read at a glance, formatted for the active language."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from estimator import labels
from estimator.levers import rounded_percents
from portal.formats import month_label as format_month

register = template.Library()

# (threshold, factor from the base unit, label), largest first
SCALES: dict[str, list[tuple[float, float, str]]] = {
    "kwh": [(1e6, 1e-6, "GWh"), (1e3, 1e-3, "MWh"), (1, 1, "kWh"), (0, 1e3, "Wh")],
    "kgco2e": [(1e3, 1e-3, "tCO2e"), (1, 1, "kgCO2e"), (0, 1e3, "gCO2e")],
    "l": [(1e3, 1e-3, "m³"), (1, 1, "L"), (0, 1e3, "mL")],
}


def round_significant(value: float, digits: int = 3) -> float:
    """`value` rounded to `digits` significant digits (7576 → 7600.0 with two), as a number."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def significant(value: float, digits: int = 3) -> str:
    """`digits` significant digits, localised, whole numbers kept whole: 0.012345 → "0.0123", 9.996 →
    "10.0" (not "10.00": the decimals are those of the rounded number), 12345 → "12,345"."""
    if value == 0:
        return number_format(0, 0)  # also -0.0, which number_format shows as "-0"
    if not math.isfinite(value):
        return number_format(value, 0)
    rounded = round_significant(value, digits)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


@register.filter
def quantity(value: float | None, unit: str) -> str:
    """`0.0003|quantity:"kwh"` → "0.300 Wh"; `999.7|quantity:"kgco2e"` → "1.00 tCO2e" (it reads 1,000 kgCO2e
    once rounded, so the next unit up)."""
    if value is None:
        return "—"
    magnitude = abs(round_significant(value))
    for threshold, factor, label in SCALES[unit]:
        if magnitude >= threshold:
            return f"{significant(value * factor)} {label}"
    return f"{significant(value)} {unit}"


@register.filter
def bar_value(value: float, unit: str) -> str:
    """A bar's figure (estimator/bar_chart.html): a share as a percentage; a quantity with a SCALES unit
    ("kgco2e") in the unit it is read in, bar by bar, as the tables beside the charts show it; else three
    significant digits and the unit ("gCO2e", when the bars of a comparison are to be read in one unit)."""
    if unit == "%":
        return percent(value)
    if unit in SCALES:
        return quantity(value, unit)
    return f"{significant(value)} {unit}"


@register.filter
def sig(value: float | None) -> str:
    """A number with three significant digits, localised."""
    return "—" if value is None else significant(value)


@register.filter
def percent(value: float | None) -> str:
    """`-0.6667|percent` → "-67%" (rounded: Django's number_format alone cuts the decimals off)."""
    if value is None:
        return "—"
    rounded = round(value * 100)
    return _("%(value)s%%") % {"value": number_format(rounded, 0, use_l10n=True, force_grouping=True)}


@register.filter
def with_shares(levers: Sequence[Any]) -> list[tuple[Any, float]]:
    """Levers (objects or dicts with a `share`) with their share rounded so that the shares shown add
    up to 100% (levers.rounded_percents): `{% for lever, share in split.levers|with_shares %}`."""
    shares = [lever["share"] if isinstance(lever, dict) else lever.share for lever in levers]
    return [(lever, percent / 100) for lever, percent in zip(levers, rounded_percents(shares), strict=True)]


@register.filter
def month_label(month: datetime.date | None) -> str:
    """`{{ month|month_label }}` → "Jan 2026" / "janv. 2026": the one way months are named on pages."""
    return "—" if month is None else format_month(month)


@register.filter
def percent_magnitude(value: float | None) -> str:
    """`-0.6667|percent_magnitude` → "67%": the size of a change, for sentences that say its direction."""
    return "—" if value is None else percent(abs(value))


@register.filter
def direction(value: float | None) -> str:
    """Which sentence tells a change: down, up, or the same (also when it rounds to 0%)."""
    if value is None or round(value * 100) == 0:
        return "same"
    return "down" if value < 0 else "up"


@register.filter
def field_label(form: object, name: str) -> str:
    """The label of a form's field, for error summaries."""
    field = getattr(form, "fields", {}).get(name)
    return str(field.label) if field is not None and field.label else name


# Names and values in the reader's language (estimator.labels), as filters.
register.filter("factor_name", labels.factor_label)
register.filter("factor_source", labels.factor_source)
register.filter("factor_value", labels.factor_value)
register.filter("factor_unit", labels.factor_unit)
register.filter("kind_label", labels.kind_label)
register.filter("input_label", labels.input_label)
register.filter("input_value", labels.input_value)
register.filter("place_name", labels.place_name)
register.filter("place_label", labels.place_label)
register.filter("provider_name", labels.provider_name)
