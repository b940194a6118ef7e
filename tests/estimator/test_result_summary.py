"""The estimator's one-line summary: the only live region, refilled in place as the inputs change."""

import re

import pytest
from django.urls import reverse

from estimator import services
from estimator.templatetags.footprint import quantity

pytestmark = pytest.mark.django_db

QUERY = {
    "kind": "text",
    "model": "gpt-4o",
    "output_tokens": "800",
    "input_tokens": "0",
    "region": "asia-south1",
}


def test_only_the_summaries_are_live_regions_not_the_long_result(client, alice):
    client.force_login(alice)

    html = client.get(reverse("estimator:estimate"), QUERY).content.decode()

    live = re.findall(r'<(\w+)[^>]*\bid="([^"]+)"[^>]*aria-live="polite"', html)
    assert live == [("div", "result-summary-narrow"), ("div", "result-summary-wide")]
    section = re.search(r'<section id="estimate-result"[^>]*>', html).group(0)
    assert "aria-live" not in section
    assert "hx-swap-oob" not in html


def test_htmx_refills_both_summaries_out_of_band_with_the_central_figure_range_and_energy(client, alice):
    client.force_login(alice)

    html = client.get(reverse("estimator:estimate"), QUERY, headers={"HX-Request": "true"}).content.decode()

    expected = services.estimate_text(model="gpt-4o", output_tokens=800, region="asia-south1")
    for summary_id in ("result-summary-narrow", "result-summary-wide"):
        block = html.split(f'<div id="{summary_id}" hx-swap-oob="innerHTML">', 1)[1].split("</div>", 1)[0]
        assert quantity(expected.emissions_kgco2e.central, "kgco2e") in block
        assert quantity(expected.emissions_kgco2e.low, "kgco2e") in block
        assert quantity(expected.emissions_kgco2e.high, "kgco2e") in block
        assert quantity(expected.energy_kwh.central, "kwh") in block


def test_with_bad_inputs_the_summary_says_there_is_no_estimate(client, alice):
    client.force_login(alice)

    html = client.get(
        reverse("estimator:estimate"), {**QUERY, "output_tokens": "-4"}, headers={"HX-Request": "true"}
    ).content.decode()

    block = html.split('<div id="result-summary-wide" hx-swap-oob="innerHTML">', 1)[1].split("</div>", 1)[0]
    assert "No estimate until the inputs are corrected." in block
