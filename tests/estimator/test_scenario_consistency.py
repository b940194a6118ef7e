"""The scenario page: "Try your own" with the preset's inputs gives the preset's result, and lever
shares are whole percentages that add up to 100 and agree with the chart (issue 13, item 5)."""

import re

import pytest
from django.urls import reverse

from estimator.levers import rounded_percents
from estimator.scenarios import scenario_preset_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([0.238, 0.371, 0.204, 0.187], [24, 37, 20, 19]),
        ([0.125, 0.125, 0.125, 0.625], [13, 13, 12, 62]),  # rounding each half up would give 102
        ([0.333333, 0.333333, 0.333334], [33, 33, 34]),  # …or 99
        ([1.2, -0.2], [120, -20]),  # a lever that adds emissions keeps its sign
        ([0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0]),  # no saving: nothing to share
    ],
)
def test_shares_round_to_whole_percentages_that_add_up(shares, expected):
    assert rounded_percents(shares) == expected
    assert sum(rounded_percents(shares)) == round(sum(shares) * 100)


def test_try_your_own_with_the_presets_inputs_gives_the_presets_result(client, alice):
    client.force_login(alice)
    preset_page = client.get(reverse("estimator:scenario"))
    preset = preset_page.context["scenario"]

    # When the form is sent as the preset fills it in
    mine = client.get(reverse("estimator:scenario"), preset_page.context["form"].initial).context["scenario"]

    # Then the same result: the preset's training is counted on both sides there too
    for side in ("baseline", "improved"):
        for bound in ("low", "central", "high"):
            assert mine[side]["emissions_kgco2e"][bound] == pytest.approx(
                preset[side]["emissions_kgco2e"][bound], rel=1e-9
            )
    assert mine["ratio"] == pytest.approx(preset["ratio"], rel=1e-9)


def test_a_custom_scenario_says_whether_training_is_counted(client, alice):
    client.force_login(alice)
    inputs = {**client.get(reverse("estimator:scenario")).context["form"].initial, "training": ""}

    without = client.get(reverse("estimator:scenario"), inputs)
    with_training = scenario_preset_run(**{**inputs, "training": "llama3"})

    assert "Training not counted: only the use is compared." in without.content.decode()
    assert without.context["scenario"]["ratio"] > with_training.ratio  # training narrows the ratio


def test_the_scenario_api_counts_the_training_when_asked(client, alice):
    client.force_login(alice)
    inputs = {**client.get(reverse("estimator:scenario")).context["form"].initial, "kind": "scenario"}

    with_training = client.post("/api/v1/estimator/estimates/", inputs, content_type="application/json")
    preset = client.post(
        "/api/v1/estimator/estimates/",
        {"kind": "scenario", "preset": "llama3-year"},
        content_type="application/json",
    )

    assert with_training.status_code == 200, with_training.content
    assert with_training.json()["ratio"] == pytest.approx(preset.json()["ratio"], rel=1e-9)


def percents_in(html: str) -> list[int]:
    return [int(value) for value in re.findall(r"(-?\d+)\s?%", html)]


def test_the_shares_in_the_table_add_up_to_100_and_match_the_chart(client, alice):
    client.force_login(alice)

    html = client.get(reverse("estimator:scenario")).content.decode()

    table = re.search(r"<caption>Saving by lever</caption>.*?</table>", html, re.S).group(0)
    chart = re.search(
        r'<figure class="chart bar-chart" aria-label="Each lever.*?</figure>', html, re.S
    ).group(0)
    chart_values = " ".join(re.findall(r'<span class="bar-value">([^<]*)</span>', chart))
    table_shares = percents_in(table)
    assert len(table_shares) == 4 and sum(table_shares) == 100
    assert percents_in(chart_values) == table_shares
