"""The SVG charts: text at a fixed CSS px size (no viewBox scaling) and a name of their own for each chart."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from estimator.charts import ROW_HEIGHT_PX, bar_chart
from tests.factories import use_case
from tests.usage.test_dashboard import add_usage

pytestmark = pytest.mark.django_db

SVG = re.compile(r'<svg role="img"[^>]*>')
NAMED_SVG = re.compile(r'<svg role="img" aria-labelledby="([^"]+)"')


def chart_names(html: str) -> list[str]:
    """The accessible name of each chart: the text of the element its aria-labelledby points to."""
    names = []
    for title_id in NAMED_SVG.findall(html):
        match = re.search(rf'<title id="{re.escape(title_id)}">([^<]*)</title>', html)
        assert match, f"chart labelled by a missing #{title_id}"
        names.append(match.group(1))
    return names


def test_a_bar_chart_lays_out_in_css_px_and_percentages_so_its_text_never_scales():
    chart = bar_chart("t", "gCO2e", [("Small", 1, 0.5, 2, False), ("Large", 4, 3, 8, True)])

    html = render_to_string(
        "estimator/bar_chart.html", {"chart": chart, "id": "c", "chart_name": "Emissions by model"}
    )

    svg = SVG.search(html).group(0)
    assert "viewBox" not in svg and 'font-size="13"' in svg
    assert f'height="{2 * ROW_HEIGHT_PX}"' in svg
    # The largest high value ends at 98 % of the width; the central value 4 of 8 half way there.
    assert 'x2="98.00%"' in html and 'width="49.00%"' in html
    assert chart_names(html) == ["Emissions by model"]


def test_the_dashboards_charts_each_have_their_own_name(client, root, sales, research):
    add_usage([sales, research])
    client.force_login(root)

    html = client.get(reverse("usage:dashboard")).content.decode()

    names = chart_names(html)
    assert names == [
        "Emissions by month",
        "Emissions by department, the ten largest",
        "Emissions by model, the ten largest",
        "Emissions by region, the ten largest",
        "Emissions by use case, the ten largest",
    ]
    assert all("viewBox" not in svg for svg in SVG.findall(html))


def test_the_comparison_and_scenario_charts_say_what_they_show(client, alice):
    client.force_login(alice)

    compare = client.get(
        reverse("estimator:compare"),
        {"model": "llama-3-70b", "output_tokens": "400", "region": "europe-west9"},
    )
    scenario = client.get(reverse("estimator:scenario"))

    assert chart_names(compare.content.decode()) == [
        "Emissions of one task with Llama 3 70B, by region",
        "Emissions of one task in europe-west9, by model",
    ]
    assert chart_names(scenario.content.decode()) == [
        "Emissions, baseline and with the good practices",
        "Each lever's share of the saving",
    ]


def test_the_use_case_matrices_have_no_viewbox_and_a_name_for_what_they_show(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    listed = client.get(reverse("governance:list")).content.decode()
    detail = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    assert chart_names(listed) == ["Value × impact matrix of the use cases listed"]
    assert chart_names(detail) == ["Value × impact matrix: where this use case sits"]
    assert all("viewBox" not in svg for svg in SVG.findall(listed + detail))
