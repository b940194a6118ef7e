"""Images (issue 10): the centre at the measured conditions, size and steps scaled as published
measurements show, the band from the spread between measurement campaigns, FLUX.1 and SD 3.5."""

import json
import math
from io import StringIO

import pytest
from django.core.management import call_command

from estimator import calculations as calc
from estimator import services

pytestmark = pytest.mark.django_db


def test_the_campaign_spread_is_what_the_models_measured_by_several_campaigns_show():
    # Recomputed from the reference data: central ÷ lowest and highest ÷ central, geometric mean over the
    # models with two campaigns or more, at their measured conditions.
    lows, highs = [], []
    for model in services.reference_data().models.values():
        if model.modality != "image":
            continue
        spec = services.image_model(model)
        if len(calc.image_campaigns(spec)) < 2:
            continue
        first = spec.measurements[0]
        energy = calc.image_energy_wh_per_image(
            spec, width=first.width, height=first.height, steps=first.steps
        )
        lows.append(energy.central / energy.low)
        highs.append(energy.high / energy.central)
    assert len(lows) >= 2
    geometric_mean = lambda values: math.exp(sum(map(math.log, values)) / len(values))  # noqa: E731
    assert geometric_mean(lows) == pytest.approx(calc.IMAGE_CAMPAIGN_SPREAD[0], abs=0.01)
    assert geometric_mean(highs) == pytest.approx(calc.IMAGE_CAMPAIGN_SPREAD[1], abs=0.01)


@pytest.mark.parametrize("slug", ["flux.1-dev", "sd-3.5-large", "sd-3.5-medium", "sdxl", "sd-2.1"])
def test_every_image_model_has_cited_measurements_and_a_band(slug):
    model = services.reference_data().models[slug]
    measurements = list(model.measurements.all())
    footprint = services.estimate_image(model=slug)

    assert model.source and measurements
    assert all(m.source and m.campaign and m.energy_wh_per_image > 0 for m in measurements)
    energy = footprint.energy_kwh
    assert energy.low < energy.central < energy.high
    assert "serving_overhead" not in {factor.key for factor in footprint.factors}


def test_sdxl_spans_its_three_campaigns_with_the_median_in_the_centre():
    # ML.ENERGY v2 0.598 Wh (A100, GPU) < AI Energy Score 1.64 Wh (H100, GPU) < Luccioni et al. 11.41 Wh
    # (A100, GPU + CPU + memory), all 1024×1024 and 50 steps.
    energy = services.estimate_image(model="sdxl", pue=1.0).energy_kwh * 1000
    assert (energy.low, energy.central, energy.high) == (
        pytest.approx(0.598, abs=1e-3),
        pytest.approx(1.64),
        pytest.approx(11.41),
    )


def test_flux_sits_between_its_h100_and_b200_measurements_at_50_steps():
    energy = services.estimate_image(model="flux.1-dev", pue=1.0).energy_kwh * 1000
    assert energy.central == pytest.approx(math.sqrt(2.2079 * 1.8552), rel=1e-3)
    fewer_steps = services.estimate_image(model="flux.1-dev", pue=1.0, steps=25).energy_kwh * 1000
    assert fewer_steps.central == pytest.approx(energy.central / 2)


def test_bigger_images_cost_more_but_less_than_linearly_in_the_centre():
    sizes = [
        services.estimate_image(model="sd-3.5-large", width=w, height=w).energy_kwh for w in (512, 1024, 2048)
    ]
    assert sizes[0].central < sizes[1].central < sizes[2].central
    assert sizes[2].central / sizes[1].central < 4


def test_images_are_the_same_through_cli_api_and_services(client, alice):
    params = {"model": "flux.1-dev", "images": 10, "width": 768, "height": 768, "steps": 30}
    by_service = services.estimate("image", **params).as_dict()
    out = StringIO()
    call_command(
        "estimate",
        "image",
        "--model",
        "flux.1-dev",
        "--images",
        "10",
        "--width",
        "768",
        "--height",
        "768",
        "--steps",
        "30",
        "--format",
        "json",
        stdout=out,
    )
    client.force_login(alice)
    by_api = client.post(
        "/api/v1/estimator/estimates/", {"kind": "image", **params}, content_type="application/json"
    ).json()

    assert json.loads(out.getvalue()) == by_service == by_api
    assert by_service["estimator_version"] == calc.ESTIMATOR_VERSION


def test_the_page_gives_the_services_numbers_for_a_new_model(client, alice):
    from django.urls import reverse

    client.force_login(alice)
    query = {"kind": "image", "model": "sd-3.5-medium", "images": "3", "steps": "40"}
    response = client.get(reverse("estimator:estimate"), query, headers={"HX-Request": "true"})

    assert (
        response.context["result"]
        == services.estimate_image(model="sd-3.5-medium", images=3, steps=40).as_dict()
    )
    assert "ML.ENERGY" in response.content.decode()


def test_a_saved_estimate_of_an_older_method_says_every_change_since():
    since_1 = services.method_changes_since("1.0.0")
    since_2 = services.method_changes_since("2.0.0")

    assert calc.ESTIMATOR_VERSION not in services.METHOD_CHANGES  # the current version changed nothing yet
    assert since_2 and since_2 in since_1 and len(since_1) > len(since_2)
    assert "Google's text-serving overhead" in since_2
    assert services.method_changes_since(calc.ESTIMATOR_VERSION) == ""
