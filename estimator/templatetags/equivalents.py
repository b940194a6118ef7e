"""Everyday equivalents of an amount of CO2e in words (estimator.equivalents has the numbers).

Each equivalent reads in the unit that suits its size (km, then m; L, then mL; hours, minutes,
seconds; years, a percentage, then days, hours… of a person's footprint), with two significant digits,
and "less than 1 …" below the smallest unit: never "0.0 km".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext_lazy, npgettext
from django.utils.translation import gettext_lazy as _

from estimator.equivalents import IMPACTCO2_URL, EverydayEquivalent, everyday_equivalents, impactco2_factors
from estimator.templatetags.footprint import round_significant

register = template.Library()

DIGITS = 2


@dataclass(frozen=True)
class Scale:
    """From `threshold` (in the factor's unit) up: the amount × `factor`, worded by `words` (its
    placeholders: `amount`, and `n` to choose the plural)."""

    threshold: float
    factor: float
    words: Any


SCALES: dict[str, list[Scale]] = {
    "voiturethermique": [
        Scale(1, 1, _("%(amount)s km by car")),
        Scale(1e-3, 1e3, _("%(amount)s m by car")),
    ],
    "eaudurobinet": [
        Scale(1, 1, _("%(amount)s L of tap water")),
        Scale(1e-3, 1e3, _("%(amount)s mL of tap water")),
    ],
    "streamingvideo": [
        Scale(1, 1, _("%(amount)s h of video streaming")),
        Scale(1 / 60, 60, _("%(amount)s min of video streaming")),
        Scale(1 / 3600, 3600, _("%(amount)s s of video streaming")),
    ],
    "francais": [
        Scale(
            1,
            1,
            ngettext_lazy(
                "%(amount)s year of a person's carbon footprint in France",
                "%(amount)s years of a person's carbon footprint in France",
                "n",
            ),
        ),
        Scale(0.01, 100, _("%(amount)s%% of a person's yearly carbon footprint in France")),
        Scale(
            1 / 365,
            365,
            ngettext_lazy(
                "%(amount)s day of a person's carbon footprint in France",
                "%(amount)s days of a person's carbon footprint in France",
                "n",
            ),
        ),
        Scale(1 / 8760, 8760, _("%(amount)s h of a person's carbon footprint in France")),
        Scale(1 / 525_600, 525_600, _("%(amount)s min of a person's carbon footprint in France")),
        Scale(1 / 31_536_000, 31_536_000, _("%(amount)s s of a person's carbon footprint in France")),
    ],
}


def _worded(scale: Scale, amount: str, shown: float) -> str:
    """The scale's words for an amount; `shown` (the rounded number) picks singular or plural."""
    return str(scale.words % {"amount": amount, "n": 1 if shown == 1 else 2})


def rounded(value: float) -> float:
    """Two significant digits: 7576 → 7600, 0.998 → 1.0."""
    return round_significant(value, DIGITS)


def _digits(value: float) -> str:
    """A rounded value, localised, without trailing zeros: 7600 → "7,600", 7.0 → "7", 0.48 → "0.48"."""
    value = rounded(value)
    decimals = 0 if value == 0 else max(0, DIGITS - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    shown = len(text.split(".")[1]) if "." in text else 0
    return number_format(float(text), shown, use_l10n=True, force_grouping=True)


def amount_text(value: float) -> str:
    """Two significant digits, localised; millions and billions in words, from the rounded value (999,600
    is "1.0 million", not "1,000,000")."""
    if abs(rounded(value)) >= 1e9:
        n = 1 if rounded(value / 1e9) < 2 else 2
        return npgettext("amount", "%(amount)s billion", "%(amount)s billion", n) % {
            "amount": _digits(value / 1e9)
        }
    if abs(rounded(value)) >= 1e6:
        n = 1 if rounded(value / 1e6) < 2 else 2
        return npgettext("amount", "%(amount)s million", "%(amount)s million", n) % {
            "amount": _digits(value / 1e6)
        }
    return _digits(value)


def equivalent_text(equivalent: EverydayEquivalent) -> dict[str, Any]:
    """The central amount in words, the range in the same unit, and the source page."""
    scales = SCALES[equivalent.slug]
    text, range_text, approximate = "", "", True
    for scale in scales:
        if rounded(equivalent.central) >= scale.threshold:
            central = equivalent.central * scale.factor
            text = _worded(scale, amount_text(central), rounded(central))
            low, high = (
                amount_text(equivalent.low * scale.factor),
                amount_text(equivalent.high * scale.factor),
            )
            if (low, high) != (amount_text(central),) * 2:
                range_text = gettext("%(low)s to %(high)s") % {"low": low, "high": high}
            break
    else:
        smallest = scales[-1]
        text = gettext("less than %(amount)s") % {"amount": _worded(smallest, _digits(1), 1)}
        approximate = False
    return {
        "slug": equivalent.slug,
        "text": text,
        "approximate": approximate,
        "range": range_text,
        "source_url": equivalent.source_url,
    }


@register.filter
def everyday(kgco2e: float | Mapping[str, float] | Sequence[float] | None) -> list[dict[str, Any]]:
    """`result.emissions_kgco2e|everyday`: the equivalents in words, none for no amount, zero or less."""
    equivalents = everyday_equivalents(kgco2e)
    if not equivalents or equivalents[0].central <= 0:
        return []
    return [equivalent_text(equivalent) for equivalent in equivalents]


# Each factor's name, unit and boundary for the method page (data/impactco2/equivalents.json has them in
# English with their upstream sources).
FACTOR_LABELS = {
    "voiturethermique": (
        _("a km by combustion car"),
        _("kgCO2e/km"),
        _(
            "One person aboard a medium diesel car: exhaust, fuel production and the car's manufacture, "
            "upkeep and end of life; not the roads."
        ),
    ),
    "eaudurobinet": (
        _("a litre of tap water"),
        _("kgCO2e/L"),
        _("Drinking water from the tap in France: production, distribution and use."),
    ),
    "streamingvideo": (
        _("an hour of video streaming"),
        _("kgCO2e/h"),
        _(
            "Impact CO2's default settings: the screen's manufacture and electricity, the network, and the "
            "data centres. Impact CO2 gives no figure for charging a smartphone: this digital use stands in."
        ),
    ),
    "francais": (
        _("a person's yearly carbon footprint in France"),
        _("kgCO2e/year"),
        _("Average consumption-based footprint, imports included (9.1 t a year, as Impact CO2 uses it)."),
    ),
}


@register.simple_tag
def impactco2_factor_rows() -> list[dict[str, Any]]:
    """The factors behind the equivalents, for the method page."""
    return [
        {
            "name": FACTOR_LABELS[factor.slug][0],
            "unit": FACTOR_LABELS[factor.slug][1],
            "boundary": FACTOR_LABELS[factor.slug][2],
            "kgco2e_per_unit": factor.kgco2e_per_unit,
            "source_url": factor.source_url,
        }
        for factor in impactco2_factors()
    ]


@register.simple_tag
def impactco2_url() -> str:
    return IMPACTCO2_URL
