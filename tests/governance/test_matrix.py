"""The value × impact matrix: each dot coloured and shaped by its quadrant, with a legend, and labels
kept inside the drawing."""

import re

import pytest
from django.urls import reverse

from governance import charts, services
from tests.factories import use_case

pytestmark = pytest.mark.django_db


def _placed(owner, decider, title, value, kgco2e):
    case = use_case(owner, status="approved", decider=decider, title=title)
    case.value_environmental = case.value_social = case.value_economic = value
    case.footprint = {
        **case.footprint,
        "emissions_kgco2e": {"low": kgco2e, "central": kgco2e, "high": kgco2e},
    }
    case.save()
    return case


def test_each_dot_has_its_quadrants_class_shape_and_the_legend_names_them(client, alice, bruno):
    limits = services.thresholds()
    low, high = limits.impact_threshold_kgco2e / 10, limits.impact_threshold_kgco2e * 10
    expected = {
        "Go case": ("go", 5, low),
        "Optimise case": ("optimise", 5, high),
        "Reconsider case": ("reconsider", 0, low),
        "Stop case": ("stop", 0, high),
    }
    for title, (_, value, kgco2e) in expected.items():
        _placed(alice, bruno, title, value, kgco2e)
    client.force_login(alice)

    html = client.get(reverse("governance:list")).content.decode()

    dots = re.findall(
        r'<g class="dot dot-(\w+)[^"]*">\s*<svg [^>]*><path d="[^"]+"[^>]*><title>([^:]+):', html
    )
    assert {title: quadrant for quadrant, title in dots} == {
        title: quadrant for title, (quadrant, _, _) in expected.items()
    }
    legend = html.split('class="matrix-legend"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'class="legend-(\w+)"', legend) == ["go", "optimise", "reconsider", "stop"]
    assert "high value, low impact" in legend and "low value, high impact" in legend


def test_the_four_quadrants_have_four_shapes():
    shapes = {quadrant: charts.marker(quadrant, 50, 50, 6) for quadrant in charts.QUADRANT_ORDER}
    assert len({re.sub(r"[\d.\-]+", "", d) for d in shapes.values()}) == 4


@pytest.mark.parametrize("kgco2e", [0.01, 1, 1e4, 1e9])
@pytest.mark.parametrize("value", [0, 2.5, 5])
def test_labels_stay_inside_the_drawing(alice, bruno, kgco2e, value):
    case = _placed(alice, bruno, "A use case with a long title", value, kgco2e)

    point = charts.matrix([case], services.thresholds())["points"][0]

    half = charts.LABEL_HALF_WIDTH
    left = {"start": point.label_x, "middle": point.label_x - half, "end": point.label_x - 2 * half}
    assert left[point.label_anchor] >= 0 and left[point.label_anchor] + 2 * half <= charts.WIDTH
    assert 12 <= point.label_y <= charts.HEIGHT


@pytest.mark.parametrize(("language", "colon"), [("en", "</strong>: "), ("fr", "</strong>\u00a0: ")])
def test_the_legend_and_labels_put_the_languages_colon(client, alice, bruno, language, colon):
    """French puts a (non-breaking) space before a colon: 'Y aller : forte valeur', not 'Y aller: forte valeur'."""
    _placed(alice, bruno, "Go case", 5, services.thresholds().impact_threshold_kgco2e / 10)
    client.force_login(alice)
    client.cookies["django_language"] = language

    html = client.get(reverse("governance:list")).content.decode()

    legend = html.split('class="matrix-legend"', 1)[1].split("</ul>", 1)[0]
    assert legend.count(colon) == 4
    assert ("<title>Go case\u00a0: " in html) == (language == "fr")
