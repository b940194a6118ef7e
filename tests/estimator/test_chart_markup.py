"""The charts: text at a fixed CSS px size (no viewBox scaling, and the bar charts' text is HTML, none in
an SVG) and a name of their own for each chart."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from estimator.charts import BAR_HEIGHT_PX, bar_chart
from tests.factories import use_case
from tests.usage.test_dashboard import add_usage

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg [^>]*>")
IMAGE_SVG = re.compile(r'<svg role="img"[^>]*>')
# A matrix: an SVG image named by its <title>; a bar chart: a figure named by its aria-label.
NAMED_CHART = re.compile(
    r'<svg role="img" aria-labelledby="([^"]+)"|<figure class="chart bar-chart" aria-label="([^"]+)"'
)
BAR_CHART = re.compile(r'<figure class="chart bar-chart".*?</figure>', re.S)


def chart_names(html: str) -> list[str]:
    """The accessible name of each chart, in the page's order: a bar chart's aria-label, or the text of the
    element an SVG's aria-labelledby points to."""
    names = []
    for title_id, label in NAMED_CHART.findall(html):
        if label:
            names.append(label)
            continue
        match = re.search(rf'<title id="{re.escape(title_id)}">([^<]*)</title>', html)
        assert match, f"chart labelled by a missing #{title_id}"
        names.append(match.group(1))
    return names


def bar_charts_have_no_svg_text_and_no_viewbox(html: str) -> bool:
    """Every bar chart's SVGs (one per bar) hold no text, have no viewBox and are hidden from assistive
    technology: the label and the value of each bar are the figure's HTML text."""
    charts = BAR_CHART.findall(html)
    svgs = [svg for chart in charts for svg in SVG.findall(chart)]
    return (
        bool(charts)
        and all("<text" not in chart and "<title" not in chart for chart in charts)
        and all('aria-hidden="true"' in svg and "viewBox" not in svg for svg in svgs)
    )


def test_a_bar_chart_lays_out_in_css_px_and_percentages_so_its_text_never_scales():
    chart = bar_chart("t", "gCO2e", [("Small", 1, 0.5, 2, False), ("Large", 4, 3, 8, True)])

    html = render_to_string(
        "estimator/bar_chart.html", {"chart": chart, "id": "c", "chart_name": "Emissions by model"}
    )

    svgs = SVG.findall(html)
    assert len(svgs) == 2 and all(f'height="{BAR_HEIGHT_PX}"' in svg for svg in svgs)
    assert bar_charts_have_no_svg_text_and_no_viewbox(html)
    # Each bar's label and value are HTML text, the highlighted one's label in bold.
    assert 'Small <span class="bar-value">1.00 gCO2e</span><svg' in html
    assert '<b>Large</b> <span class="bar-value">4.00 gCO2e</span><svg' in html
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
    assert bar_charts_have_no_svg_text_and_no_viewbox(html)


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
    assert bar_charts_have_no_svg_text_and_no_viewbox(compare.content.decode() + scenario.content.decode())


def test_the_use_case_matrices_have_no_viewbox_and_a_name_for_what_they_show(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    listed = client.get(reverse("governance:list")).content.decode()
    detail = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    assert chart_names(listed) == ["Value × impact matrix of the use cases listed"]
    assert chart_names(detail) == ["Value × impact matrix: where this use case sits"]
    assert all("viewBox" not in svg for svg in IMAGE_SVG.findall(listed + detail))
