"""Estimator 2's contract, the same through the CLI, the API and the services (issue 10):
`--basis location|market`, the water split, `--reasoning-tokens`, and the bounds (context window,
plausibility ceiling)."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from estimator import calculations as calc
from estimator import services

pytestmark = pytest.mark.django_db


def cli(*args: str) -> dict:
    out = StringIO()
    call_command("estimate", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def api(client, user, payload):
    client.force_login(user)
    return client.post("/api/v1/estimator/estimates/", payload, content_type="application/json")


def test_basis_water_split_and_reasoning_tokens_agree_across_cli_api_and_services(client, alice):
    params = {"model": "o4-mini", "output_tokens": 300, "reasoning_tokens": 2000, "region": "europe-west1"}
    by_service = services.estimate("text", **params, basis="market").as_dict()
    by_cli = cli(
        "text",
        "--model",
        "o4-mini",
        "--output-tokens",
        "300",
        "--reasoning-tokens",
        "2000",
        "--region",
        "europe-west1",
        "--basis",
        "market",
    )
    by_api = api(client, alice, {"kind": "text", **params, "basis": "market"}).json()

    assert by_cli == by_service == by_api
    assert by_cli["basis"] == "market"
    for bound in ("low", "central", "high"):
        assert by_cli["water_l"][bound] == pytest.approx(
            by_cli["water_onsite_l"][bound] + by_cli["water_offsite_l"][bound]
        )
        assert by_cli["water_onsite_l"][bound] > 0 and by_cli["water_offsite_l"][bound] > 0


def test_image_and_training_have_the_water_split_and_basis():
    for kind, params in (
        ("image", {"model": "sdxl", "region": "europe-west1", "basis": "market"}),
        ("training", {"gpu_hours": 1000, "gpu_type": "b200", "region": "europe-west1", "basis": "market"}),
    ):
        result = services.estimate(kind, **params).as_dict()
        assert result["basis"] == "market"
        assert result["water_l"]["central"] == pytest.approx(
            result["water_onsite_l"]["central"] + result["water_offsite_l"]["central"]
        )


def test_reasoning_tokens_count_like_output_tokens_and_reasoning_models_have_a_default():
    thinking = services.estimate_text(model="llama-3-70b", output_tokens=300, reasoning_tokens=700)
    longer = services.estimate_text(model="llama-3-70b", output_tokens=1000)
    default = services.estimate_text(model="o4-mini", output_tokens=300)
    explicit = services.estimate_text(model="o4-mini", output_tokens=300, reasoning_tokens=1000)
    none = services.estimate_text(model="o4-mini", output_tokens=300, reasoning_tokens=0)

    assert thinking.energy_kwh == longer.energy_kwh
    assert default.energy_kwh == explicit.energy_kwh
    assert default.inputs["reasoning_tokens"] == 1000
    assert none.energy_kwh.central < default.energy_kwh.central
    assert services.estimate_text(model="gpt-4o", output_tokens=300).inputs["reasoning_tokens"] == 0


def test_input_beyond_the_context_window_is_refused_everywhere(client, alice):
    # GPT-4o reads 128,000 tokens (OpenAI documentation).
    assert services.estimate_text(model="gpt-4o", output_tokens=500, input_tokens=128_000)
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=500, input_tokens=128_001)
    assert "128,000" in error.value.message_dict["input_tokens"][0]

    with pytest.raises(CommandError, match="--input-tokens"):
        cli("text", "--model", "gpt-4o", "--output-tokens", "500", "--input-tokens", "200000")
    response = api(
        client, alice, {"kind": "text", "model": "gpt-4o", "output_tokens": 500, "input_tokens": 1e6}
    )
    assert response.status_code == 400 and "input_tokens" in response.json()["errors"]


def test_the_prefill_model_stays_finite_and_monotone_up_to_the_longest_context():
    # Llama 4 Scout: 10M tokens, the longest window of the catalogue (Meta model card).
    energies = [
        services.estimate_text(model="llama-4-scout", output_tokens=500, input_tokens=tokens).energy_kwh.high
        for tokens in (0, 1_000, 100_000, 1_000_000, 10_000_000)
    ]
    assert energies == sorted(energies)
    assert energies[-1] < calc.CEILING_KWH
    with pytest.raises(ValidationError):
        services.estimate_text(model="llama-4-scout", output_tokens=500, input_tokens=10_000_001)


def test_totals_past_the_plausibility_ceiling_are_refused(client, alice):
    # 10^7 tokens × 10^15 requests once gave 6 million TWh (issue 10).
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=10_000_000, requests=1e15)
    assert "TWh" in error.value.message_dict["requests"][0]
    with pytest.raises(CommandError, match="--requests"):
        cli("text", "--model", "gpt-4o", "--output-tokens", "1e7", "--requests", "1e15")
    response = api(client, alice, {"kind": "text", "model": "gpt-4o", "output_tokens": 1e7, "requests": 1e15})
    assert response.status_code == 400 and "requests" in response.json()["errors"]
    with pytest.raises(ValidationError) as error:
        services.estimate_training(gpu_hours=1e10, gpu_type="b200", gpu_power_w=5000)
    assert "gpu_hours" in error.value.message_dict


@pytest.mark.parametrize("gpu", ["h100", "h200", "b200", "a100", "v100"])
def test_every_documented_gpu_type_runs_with_its_power_and_sources(gpu):
    footprint = services.estimate_training(gpu_hours=100, gpu_type=gpu, pue=1.0, grid_intensity=100)
    row = services.reference_data().gpus[gpu]
    assert footprint.energy_kwh.central == pytest.approx(100 * row.power_w / 1000)
    assert row.source
    # Embodied counts the GPU and its share of the host server.
    per_hour = footprint.embodied_emissions_kgco2e.central / 100
    assert per_hour > row.embodied_kgco2e / row.lifetime_hours * (3 / 5)


def test_usage_emissions_scale_with_the_grid_between_regions():
    paris = services.estimate_text(model="llama-3-70b", output_tokens=400, region="europe-west9")
    mumbai = services.estimate_text(model="llama-3-70b", output_tokens=400, region="asia-south1")
    grids = services.reference_data()
    ratio = (
        grids.latest_region("asia-south1").grid_gco2e_per_kwh
        / grids.latest_region("europe-west9").grid_gco2e_per_kwh
    )
    for bound in ("low", "central", "high"):
        assert getattr(mumbai.usage_emissions_kgco2e, bound) / getattr(
            paris.usage_emissions_kgco2e, bound
        ) == (pytest.approx(ratio))


def test_monotone_in_tokens_parameters_and_requests():
    def central(**params):
        base = {"active_params_b": 10, "output_tokens": 100}
        return services.estimate_text(**{**base, **params}).energy_kwh.central

    assert central(output_tokens=100) < central(output_tokens=200) < central(output_tokens=400)
    assert central(input_tokens=10) < central(input_tokens=1000)
    assert central(active_params_b=1) < central(active_params_b=10) < central(active_params_b=100)
    assert central(requests=2) == pytest.approx(2 * central(requests=1))
    assert central(iterations=3) == pytest.approx(3 * central())


def test_models_json_lists_the_catalogue_with_sizes_and_energy(client, alice):
    models = {model["slug"]: model for model in cli("models")}
    gpt4o = models["gpt-4o"]

    assert {"slug", "name", "provider", "modality", "active_params_b", "total_params_b"} <= set(gpt4o)
    assert gpt4o["active_params_b"] == [44.0, 132.0] and gpt4o["total_params_b"] == [440.0, 440.0]
    assert gpt4o["context_window_tokens"] == 128_000
    energy = gpt4o["energy_wh_per_million_output_tokens"]
    assert energy["low"] < energy["central"] < energy["high"]
    small = models["llama-3.1-8b"]["energy_wh_per_million_output_tokens"]["central"]
    assert small < energy["central"]
    assert models["sdxl"]["energy_wh_per_million_output_tokens"] is None
    # 2026 additions, with their published sizes.
    assert models["deepseek-v3"]["active_params_b"] == [37.0, 37.0]
    assert models["llama-4-maverick"]["total_params_b"] == [400.0, 400.0]
    assert models["deepseek-r1"]["reasoning_tokens_default"] == 1000

    client.force_login(alice)
    listed = {
        m["slug"]: m
        for m in client.get("/api/v1/estimator/models/?modality=text&page_size=500").json()["results"]
    }
    assert listed["gpt-4o"]["energy_wh_per_million_output_tokens"] == energy


def test_every_context_window_family_names_catalogue_models_and_none_overlaps():
    import re

    from estimator.reference_data import CONTEXT_WINDOW_FAMILIES, CONTEXT_WINDOWS

    models = services.reference_data().models
    matched: dict[str, int] = {}
    for pattern, tokens, source in CONTEXT_WINDOW_FAMILIES:
        slugs = [slug for slug in models if re.search(pattern, slug)]
        assert slugs and source, pattern
        for slug in slugs:
            assert slug not in matched, slug  # one family per model
            matched[slug] = tokens
            if slug in CONTEXT_WINDOWS:  # named explicitly: it wins, and must agree
                assert CONTEXT_WINDOWS[slug][0] == tokens
                continue
            assert models[slug].context_window_tokens == tokens
            assert source in models[slug].source
    assert len(matched) >= 150


@pytest.mark.parametrize(
    ("model", "window"),
    [("llama-2-70b-chat", 4_096), ("gpt-4.1-mini", 1_047_576), ("mixtral-8x22b-v0.1", 65_536)],
)
def test_family_context_windows_refuse_longer_inputs(model, window):
    assert services.estimate_text(model=model, output_tokens=10, input_tokens=window)
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model=model, output_tokens=10, input_tokens=window + 1)
    assert f"{window:,}" in error.value.message_dict["input_tokens"][0]
