"""The life-cycle scope (issue 10): each request's share of the model's training, published or derived,
the same through the services, the CLI, the API and the page."""

import json
import statistics
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from estimator import calculations as calc
from estimator import lifecycle, services
from estimator.reference_data import TRAININGS

pytestmark = pytest.mark.django_db


def cli(*args: str) -> dict:
    out = StringIO()
    call_command("estimate", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# --- The method, pure ------------------------------------------------------------------------------


def test_derived_gpu_hours_are_six_n_d_over_peak_times_utilisation():
    hours = lifecycle.derived_gpu_hours(active_params_b=(70, 70), tokens_t=calc.Range.exact(15))

    flops = 6 * 70e9 * 15e12
    assert hours.central == pytest.approx(flops / (989e12 * 0.265) / 3600)
    assert hours.low == pytest.approx(flops / (989e12 * 0.33) / 3600)
    assert hours.high == pytest.approx(flops / (989e12 * 0.14) / 3600)


def test_unpublished_training_tokens_span_compute_optimal_to_the_largest_corpus():
    small = lifecycle.training_tokens_t(total_params_b=8, published_t=None)
    huge = lifecycle.training_tokens_t(total_params_b=3000, published_t=None)

    assert (small.low, small.central, small.high) == (pytest.approx(0.16), 15, 40)
    assert huge.low == huge.central == huge.high == 40  # 20 tokens per parameter is past 40T: capped
    assert lifecycle.training_tokens_t(total_params_b=8, published_t=36) == calc.Range.exact(36)


def test_the_utilisation_band_is_what_the_published_trainings_imply():
    # Each published H100 training of the reference data: 6·N·D ÷ (GPU-hours × peak).
    rows = services.reference_data().models
    implied = []
    for row in TRAININGS:
        if row.get("gpu") != "h100" or "gpu_hours" not in row:
            continue
        model = rows[row["slugs"][0]]
        implied.append(
            lifecycle.implied_utilisation(
                active_params_b=model.active_params_min_b,
                tokens_t=row["tokens_t"],
                gpu_hours=row["gpu_hours"],
            )
        )
    band = lifecycle.TRAINING_UTILISATION
    assert max(implied) == pytest.approx(band.low, abs=0.01)
    assert statistics.median(implied) == pytest.approx(band.central, abs=0.015)
    assert min(implied) == pytest.approx(band.high, abs=0.01)


def test_every_training_row_names_catalogue_models():
    models = services.reference_data().models
    for row in TRAININGS:
        assert row["source"]
        for slug in row["slugs"]:
            assert slug in models, slug
            assert models[slug].pk in services.reference_data().trainings


# --- Published and derived trainings ----------------------------------------------------------------


def test_a_published_training_adds_its_reported_emissions_shared_over_the_lifetime():
    # Meta's Llama 3 70B card: 6.4M H100-hours, 1,900 tCO2e location-based.
    inference = services.estimate_text(model="llama-3-70b", output_tokens=400, requests=10)
    life = services.estimate_text(
        model="llama-3-70b", output_tokens=400, requests=10, scope="lifecycle", lifetime_requests=1e9
    )

    added_usage = life.usage_emissions_kgco2e.central - inference.usage_emissions_kgco2e.central
    assert added_usage == pytest.approx(1_900_000 * 10 / 1e9)
    assert life.embodied_emissions_kgco2e.central > inference.embodied_emissions_kgco2e.central
    assert life.water_onsite_l.central > inference.water_onsite_l.central
    assert life.scope == "lifecycle" and life.as_dict()["scope"] == "lifecycle"
    assert life.inputs["training"]["origin"] == "published"
    keys = {factor.key for factor in life.factors}
    assert {"training_published", "lifetime_requests", "training_grid"} <= keys


def test_the_share_is_linear_in_requests_and_inverse_in_the_lifetime():
    def added(requests: float, lifetime: float) -> float:
        inference = services.estimate_text(model="gpt-4o", output_tokens=400, requests=requests)
        life = services.estimate_text(
            model="gpt-4o",
            output_tokens=400,
            requests=requests,
            scope="lifecycle",
            lifetime_requests=lifetime,
        )
        return life.emissions_kgco2e.central - inference.emissions_kgco2e.central

    assert added(20, 1e10) == pytest.approx(2 * added(10, 1e10))
    assert added(10, 1e10) == pytest.approx(2 * added(10, 2e10))


def test_an_unpublished_training_is_derived_with_a_wide_band():
    life = services.estimate_text(model="gpt-4o", output_tokens=400, scope="lifecycle")
    training = life.inputs["training"]

    assert training["origin"] == "derived"
    emissions = training["emissions_kgco2e"]
    assert emissions["high"] / emissions["low"] > 20  # tokens, utilisation, size, lifetime all uncertain
    keys = {factor.key for factor in life.factors}
    assert {"training_tokens", "training_utilisation", "lifetime_requests"} <= keys


def test_published_tokens_narrow_a_derived_training():
    # Qwen3: 36T tokens published, no GPU-hours.
    tokens = next(
        f
        for f in services.estimate_text(model="qwen3-32b", output_tokens=10, scope="lifecycle").factors
        if f.key == "training_tokens"
    )
    assert tokens.value == 36


def test_market_basis_uses_the_published_market_figure_or_refuses():
    # Meta reports 0 t market-based for Llama 3.1: no electricity share of training on that basis.
    inference = services.estimate_text(model="llama-3.1-8b", output_tokens=400, country="FRA")
    life_market = services.estimate_text(
        model="gemini-2.5-flash", output_tokens=400, scope="lifecycle", basis="market"
    )
    llama_market = services.estimate_text(
        model="llama-3.1-8b", output_tokens=400, scope="lifecycle", basis="market", region="europe-west9"
    )
    llama_inference_market = services.estimate_text(
        model="llama-3.1-8b", output_tokens=400, basis="market", region="europe-west9"
    )

    assert inference.scope == "inference"
    assert llama_market.usage_emissions_kgco2e.central == pytest.approx(
        llama_inference_market.usage_emissions_kgco2e.central
    )
    assert life_market.basis == "market"
    with pytest.raises(ValidationError) as error:
        services.estimate_text(
            model="llama-3-70b", output_tokens=400, scope="lifecycle", basis="market", region="europe-west9"
        )
    assert "basis" in error.value.message_dict


def test_bad_scope_and_lifetime_are_refused():
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=10, scope="cradle")
    assert "scope" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=10, lifetime_requests=1e9)
    assert "lifetime_requests" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=10, scope="lifecycle", lifetime_requests=0)
    assert "lifetime_requests" in error.value.message_dict


def test_a_model_given_by_its_size_is_derived_at_the_world_average():
    life = services.estimate_text(active_params_b=8, output_tokens=100, scope="lifecycle")
    assert life.inputs["training"]["location"]["code"] == "WOR"


# --- The same through the CLI, the API and the page -------------------------------------------------


def test_lifecycle_is_the_same_through_cli_api_and_services(client, alice):
    params = {
        "model": "mistral-large-2",
        "output_tokens": 400,
        "scope": "lifecycle",
        "lifetime_requests": 5e9,
    }
    by_service = services.estimate("text", **params).as_dict()
    by_cli = cli(
        "text",
        "--model",
        "mistral-large-2",
        "--output-tokens",
        "400",
        "--scope",
        "lifecycle",
        "--lifetime-requests",
        "5e9",
    )
    client.force_login(alice)
    by_api = client.post(
        "/api/v1/estimator/estimates/", {"kind": "text", **params}, content_type="application/json"
    ).json()

    assert by_cli == by_service == by_api
    assert by_cli["scope"] == "lifecycle"
    assert cli("text", "--model", "mistral-large-2", "--output-tokens", "400")["scope"] == "inference"


def test_cli_and_api_refuse_a_lifetime_without_the_lifecycle_scope(client, alice):
    with pytest.raises(CommandError, match="--lifetime-requests"):
        cli("text", "--model", "gpt-4o", "--output-tokens", "10", "--lifetime-requests", "1e9")
    client.force_login(alice)
    response = client.post(
        "/api/v1/estimator/estimates/",
        {"kind": "text", "model": "gpt-4o", "output_tokens": 10, "scope": "cradle"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "scope" in response.json()["errors"]


def test_the_page_offers_the_scope_and_says_what_it_counts(client, alice):
    client.force_login(alice)
    query = {"kind": "text", "model": "llama-3-70b", "output_tokens": "400", "scope": "lifecycle"}

    response = client.get(reverse("estimator:estimate"), query, headers={"HX-Request": "true"})

    html = response.content.decode()
    expected = services.estimate_text(model="llama-3-70b", output_tokens=400, scope="lifecycle")
    assert response.context["result"] == expected.as_dict()
    assert "Life cycle: each request also carries its share" in html
    full = client.get(reverse("estimator:estimate"), {"kind": "text"}).content.decode()
    assert 'name="scope"' in full and 'name="lifetime_requests"' in full
    assert "Inference only" in full
