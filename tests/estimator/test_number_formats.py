"""Figures as pages show them: three significant digits, in the unit people read at a glance, in the
reader's language."""

import pytest
from django.utils import translation

from estimator.templatetags.footprint import quantity, significant


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.012345, "0.0123"),
        (1.5, "1.50"),
        (9.996, "10.0"),  # rounding up to the next power of ten keeps three digits, not four
        (99.96, "100"),
        (0.09996, "0.100"),
        (-9.996, "-10.0"),
        (12345.6, "12,346"),  # whole numbers stay whole
        (0, "0"),
        (-0.0, "0"),  # not "-0"
    ],
)
def test_three_significant_digits(value, shown):
    with translation.override("en"):
        assert significant(value) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1811, "kgco2e", "1.81 tCO2e"),
        (999.7, "kgco2e", "1.00 tCO2e"),  # 1,000 kgCO2e once rounded: read in tonnes
        (999.4, "kgco2e", "999 kgCO2e"),
        (0.9996, "kgco2e", "1.00 kgCO2e"),
        (0.0004, "kwh", "0.400 Wh"),
        (9.9996, "kwh", "10.0 kWh"),
        (1500, "l", "1.50 m³"),
        (None, "l", "—"),
    ],
)
def test_quantities_in_the_unit_read_at_a_glance(value, unit, shown):
    with translation.override("en"):
        assert quantity(value, unit) == shown


def test_french_figures_use_a_decimal_comma():
    with translation.override("fr"):
        assert quantity(1811, "kgco2e") == "1,81 tCO2e"
        assert significant(9.996) == "10,0"
