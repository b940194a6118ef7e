"""Dates, decimals and thousands in each language's own format (issue 13, item 13): English showed
"11/30/2026 6:18 p.m.", French "De Déc 2025"; counts had no thousands separator ("30000 rows")."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import use_case

MOMENT = datetime.datetime(2026, 11, 30, 18, 18, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load humanize %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "short", "long", "month"),
    [
        ("en", "30 Nov 2026, 18:18", "30 November 2026, 18:18", "Nov 2026"),
        ("fr", "30 nov. 2026, 18:18", "30 novembre 2026, 18:18", "nov. 2026"),
    ],
)
def test_dates_and_months_in_the_languages_format(language, short, long, month):
    assert render('{{ d|date:"SHORT_DATETIME_FORMAT" }}', language, d=MOMENT) == short
    assert render('{{ d|date:"DATETIME_FORMAT" }}', language, d=MOMENT) == long
    assert render('{{ d|date:"YEAR_MONTH_FORMAT" }}', language, d=MOMENT) == month
    assert render('{{ d|time:"TIME_FORMAT" }}', language, d=MOMENT) == "18:18"


def test_french_months_are_french_abbreviations_in_lower_case():
    months = [
        render('{{ d|date:"YEAR_MONTH_FORMAT" }}', "fr", d=datetime.date(2025, m, 1)) for m in range(1, 13)
    ]
    # The usual French abbreviations (Django's own French says "jan.", "fév." and "sep.").
    assert months == [
        f"{name} 2025"
        for name in (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        )
    ]


@pytest.mark.parametrize(
    ("language", "count", "million", "decimal"),
    [("en", "30,000", "1,234,567", "2.5"), ("fr", "30\xa0000", "1\xa0234\xa0567", "2,5")],
)
def test_counts_are_grouped_and_decimals_use_the_languages_mark(language, count, million, decimal):
    assert render("{{ n|intcomma }}", language, n=30000) == count
    assert render("{{ x }}", language, x=2.5) == decimal
    with translation.override(language):
        assert intcomma(1234567) == million


def test_numbers_are_not_grouped_where_a_machine_reads_them():
    """USE_THOUSAND_SEPARATOR stays off: a pk, a year or an input value rendered as is stays a number."""
    assert render("{{ n }}", "fr", n=30000) == "30000"
    assert render("{{ year }}", "en", year=2026) == "2026"


SVG_NUMBERS = re.compile(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|points|transform|viewBox)="([^"]*)"')


def svg_attributes(html: str) -> list[str]:
    return [value for svg in re.findall(r"<svg.*?</svg>", html, re.S) for value in SVG_NUMBERS.findall(svg)]


@pytest.mark.django_db
def test_svg_coordinates_stay_dot_decimal_in_french(client, alice, bruno):
    """French writes 2,5 in text; an SVG coordinate "2,5" would be two numbers. The charts' labels are
    French, their geometry is not."""
    case = use_case(alice, status="approved", decider=bruno, title="Résumés")
    case.footprint = {**case.footprint, "emissions_kgco2e": {"low": 12.5, "central": 12.5, "high": 12.5}}
    case.save()
    client.force_login(alice)
    client.cookies["django_language"] = "fr"

    pages = [
        client.get(reverse("estimator:compare")).content.decode(),
        client.get(reverse("governance:list")).content.decode(),
    ]

    attributes = [value for page in pages for value in svg_attributes(page)]
    assert len(attributes) > 50
    assert [value for value in attributes if re.search(r"\d,\d", value)] == []
    assert any(re.search(r"\d\.\d", value) for value in attributes)  # fractions are there, with dots
    assert "0,1" in pages[1]  # the matrix's axis labels are French
