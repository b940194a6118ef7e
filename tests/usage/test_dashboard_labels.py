"""The dashboard's period presets, its month names (the same in charts and tables) and its naming of
usage attributed to no use case."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from estimator.templatetags.footprint import quantity
from portal.dates import PERIOD_PRESETS, months_back, preset_period
from portal.formats import month_label
from tests.usage.test_dashboard import add_usage
from usage import dashboard

D = datetime.date


@pytest.mark.parametrize(
    ("today", "preset", "start", "end"),
    [
        # January: last month and last quarter are in the year before; this year is one month.
        (D(2026, 1, 15), "this-month", D(2026, 1, 1), D(2026, 1, 1)),
        (D(2026, 1, 15), "last-month", D(2025, 12, 1), D(2025, 12, 1)),
        (D(2026, 1, 15), "this-quarter", D(2026, 1, 1), D(2026, 1, 1)),
        (D(2026, 1, 15), "last-quarter", D(2025, 10, 1), D(2025, 12, 1)),
        (D(2026, 1, 15), "this-year", D(2026, 1, 1), D(2026, 1, 1)),
        (D(2026, 1, 15), "last-year", D(2025, 1, 1), D(2025, 12, 1)),
        (D(2026, 1, 15), "last-12-months", D(2025, 2, 1), D(2026, 1, 1)),
        # The last day of a quarter, and the first day of the next one.
        (D(2026, 3, 31), "this-quarter", D(2026, 1, 1), D(2026, 3, 1)),
        (D(2026, 3, 31), "last-quarter", D(2025, 10, 1), D(2025, 12, 1)),
        (D(2026, 4, 1), "this-quarter", D(2026, 4, 1), D(2026, 4, 1)),
        (D(2026, 4, 1), "last-quarter", D(2026, 1, 1), D(2026, 3, 1)),
        (D(2026, 4, 1), "last-month", D(2026, 3, 1), D(2026, 3, 1)),
        # Mid-year, and December.
        (D(2026, 8, 20), "this-quarter", D(2026, 7, 1), D(2026, 8, 1)),
        (D(2026, 8, 20), "this-year", D(2026, 1, 1), D(2026, 8, 1)),
        (D(2026, 12, 31), "last-quarter", D(2026, 7, 1), D(2026, 9, 1)),
        (D(2026, 12, 31), "last-12-months", D(2026, 1, 1), D(2026, 12, 1)),
    ],
)
def test_each_preset_is_the_right_months(today, preset, start, end):
    assert preset_period(preset, today) == (start, end)


def test_the_presets_are_links_that_keep_the_filters_and_mark_the_one_shown(client, root, sales):
    client.force_login(root)

    default = client.get(reverse("usage:dashboard")).content.decode()
    filtered = client.get(
        reverse("usage:dashboard"), {"start": "2026-01", "end": "2026-01", "department": sales.pk}
    ).context["presets"]

    # By default the last 12 months (in December, "This year" is the same months and comes first).
    current = re.findall(r'<a href="\?[^"]*" aria-current="page">([^<]+)</a>', default)
    assert len(current) == 1 and current[0] in ("Last 12 months", "This year")
    assert [link.preset for link in filtered] == list(PERIOD_PRESETS)
    assert all(f"department={sales.pk}" in link.query for link in filtered)
    for link in filtered:
        assert f"start={link.start:%Y-%m}&end={link.end:%Y-%m}" in link.query
    # Following a preset's link shows that period, marked as the current one.
    this_year = next(link for link in filtered if link.preset == "this-year")
    page = client.get(f"{reverse('usage:dashboard')}?{this_year.query}")
    assert (page.context["start"], page.context["end"]) == (this_year.start, this_year.end)
    assert [link.preset for link in page.context["presets"] if link.current] == ["this-year"]


def _table_rows(html, heading_id):
    section = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    table = section.split('<table class="breakdown">', 1)[1]
    return re.findall(r'<th scope="row">([^<]*)</th>', table)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_months_are_named_alike_in_the_chart_and_its_table(client, root, sales, language):
    add_usage([sales], months=3)
    client.force_login(root)

    response = client.get(reverse("usage:dashboard"), headers={"accept-language": language})

    chart_labels = [bar.label for bar in response.context["trend_chart"].bars]
    with translation.override(language):
        expected = [month_label(month) for month, _ in response.context["trend"]]
    table = client.get(
        reverse("usage:dashboard-table", args=["month"]), headers={"accept-language": language}
    )
    assert chart_labels == expected == _table_rows(table.content.decode(), "trend-heading")
    assert len(chart_labels) == 3


def test_month_labels_in_both_languages():
    with translation.override("en"):
        assert month_label(D(2026, 1, 1)) == "Jan 2026"
    with translation.override("fr"):
        assert [month_label(D(2026, m, 1)) for m in (3, 6, 7)] == ["mars 2026", "juin 2026", "juil. 2026"]


@pytest.mark.parametrize(("language", "name"), [("en", "Unattributed"), ("fr", "Non attribué")])
def test_usage_of_no_use_case_is_named_unattributed(client, root, sales, language, name):
    add_usage([sales], months=1)  # usage of no use case
    client.force_login(root)

    response = client.get(reverse("usage:dashboard"), headers={"accept-language": language})
    by_use_case = next(chart for key, _, chart in response.context["breakdowns"] if key == "use_case")
    export = client.get(
        reverse("usage:dashboard"), {"export": "use_case"}, headers={"accept-language": language}
    )

    # The table loads when asked: the whole page with it without JavaScript, the table alone for htmx.
    table_url = reverse("usage:dashboard-table", args=["use_case"])
    page = client.get(table_url, headers={"accept-language": language}).content.decode()
    fragment = client.get(table_url, headers={"accept-language": language, "HX-Request": "true"})

    assert [bar.label for bar in by_use_case.bars] == [name]
    assert _table_rows(page, "use_case-heading") == [name]
    assert _table_rows(f'id="use_case-heading"{fragment.content.decode()}', "use_case-heading") == [name]
    assert export.content.decode().splitlines()[1].startswith(f"{name},")


def test_group_label_names_only_what_is_missing():
    assert dashboard.group_label("use_case", None) == "Unattributed"
    assert dashboard.group_label("department", "Sales") == "Sales"


def test_empty_from_and_to_show_the_months_the_page_covers(client, root, sales):
    """The month inputs never sit empty (the browser shows '--------- ----'): with no period asked, or with
    only a department, they show the default period, the last 12 months."""
    this_month = timezone.localdate().replace(day=1)
    first = months_back(this_month, 11)
    client.force_login(root)

    for query in ({}, {"department": sales.pk}, {"end": "2026-03"}):
        form = client.get(reverse("usage:dashboard"), query).context["filters"]
        end = "2026-03" if query.get("end") else f"{this_month:%Y-%m}"
        start = "2025-04" if query.get("end") else f"{first:%Y-%m}"
        html = str(form["start"]) + str(form["end"])
        assert f'value="{start}"' in html and f'value="{end}"' in html, (query, html)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_bar_writes_its_figure_as_its_table_row_does(language):
    # A large group beside a tiny one: each figure in the unit it is read in, as in the table.
    groups = [
        (name, dashboard.Totals(emissions_kgco2e=[central / 2, central, central * 3]))
        for name, central in [("Sales", 1811.0), ("Legal", 999.7), ("R&D", 0.0004)]
    ]

    with translation.override(language):
        html = render_to_string(
            "estimator/bar_chart.html",
            {"chart": dashboard.emissions_chart("Emissions", "department", groups), "id": "d", "caption": ""},
        )
        expected = [quantity(totals.emissions_kgco2e[1], "kgco2e") for _, totals in groups]

    assert re.findall(r'<span class="bar-value">([^<]*)</span>', html) == expected
    assert expected == (
        ["1.81 tCO2e", "1.00 tCO2e", "0.400 gCO2e"]
        if language == "en"
        else ["1,81 tCO2e", "1,00 tCO2e", "0,400 gCO2e"]
    )
