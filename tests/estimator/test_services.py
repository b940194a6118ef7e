"""Estimates through the reference data in the database: references, places, the preset."""

import pytest
from django.core.exceptions import ValidationError

from estimator import services
from estimator.models import AIModel, Region
from estimator.scenarios import scenario_preset_run

pytestmark = pytest.mark.django_db


def test_reference_data_is_in_the_database_after_migrate():
    for slug in (
        "llama-3-8b",
        "llama-3-70b",
        "llama-3.1-8b",
        "llama-3.1-70b",
        "llama-3.1-405b",
        "gpt-4o",
        "gpt-4o-mini",
        "mistral-large-2",
        "mistral-small",
        "gemini-2.5-flash",
        "sdxl",
        "sd-2.1",
    ):
        model = AIModel.objects.get(slug=slug)
        assert model.source
    assert AIModel.objects.get(slug="mistral-large-2").active_params_max_b == 123
    assert AIModel.objects.filter(modality="text").count() > 300  # EcoLogits' catalogue
    assert Region.objects.values("name").distinct().count() == 44
    assert set(Region.objects.values_list("year", flat=True)) == {2019, 2020, 2021, 2022, 2023, 2024}


def test_a_region_uses_its_latest_year_and_records_it():
    footprint = services.estimate_text(model="llama-3-70b", output_tokens=400, region="europe-west9")

    grid = next(f for f in footprint.factors if f.name.startswith("grid carbon intensity"))
    assert (grid.value, grid.year) == (16.30, 2024)
    assert footprint.inputs["grid_gco2e_per_kwh"] == 16.30


def test_an_older_year_can_be_asked_for():
    footprint = services.estimate_text(
        model="llama-3-70b", output_tokens=400, region="us-central1", region_year=2019
    )
    assert (
        footprint.inputs["grid_gco2e_per_kwh"]
        == Region.objects.get(name="us-central1", year=2019).grid_gco2e_per_kwh
    )


def test_a_country_and_an_explicit_intensity_work_and_nothing_means_the_providers_location():
    france = services.estimate_text(model="gpt-4o-mini", output_tokens=400, country="fra")
    given = services.estimate_text(model="gpt-4o-mini", output_tokens=400, grid_intensity=100)
    openai = services.estimate_text(model="gpt-4o-mini", output_tokens=400)
    mistral = services.estimate_text(model="mistral-small", output_tokens=400)
    custom = services.estimate_text(active_params_b=8, output_tokens=400)
    image = services.estimate_image(model="sdxl")

    assert france.inputs["location"]["code"] == "FRA"
    assert given.inputs["grid_gco2e_per_kwh"] == 100
    # EcoLogits places OpenAI's data centres in the USA and Mistral AI's in Sweden (tracers/utils.py).
    assert openai.inputs["location"]["kind"] == "provider"
    assert openai.inputs["location"]["code"] == "USA"
    assert "USA" in openai.inputs["location"]["label"]
    assert mistral.inputs["location"]["code"] == "SWE"
    # No provider: the world average.
    assert custom.inputs["location"]["code"] == "WOR"
    assert image.inputs["location"]["code"] == "WOR"


def test_market_basis_from_google_cloud_cfe_and_from_the_providers_disclosure():
    location = services.estimate_text(model="gpt-4o", output_tokens=400, region="europe-west1")
    market = services.estimate_text(model="gpt-4o", output_tokens=400, region="europe-west1", basis="market")
    region = Region.objects.filter(name="europe-west1").order_by("-year").first()
    google = services.estimate_text(model="gemini-2.5-flash", output_tokens=400, basis="market")

    assert market.as_dict()["basis"] == "market" and location.as_dict()["basis"] == "location"
    assert market.energy_kwh == location.energy_kwh
    assert market.usage_emissions_kgco2e.central == pytest.approx(
        location.usage_emissions_kgco2e.central * (1 - region.google_cfe)
    )
    assert google.inputs["grid_gco2e_per_kwh"] == pytest.approx(0.023 / 0.24 * 1000)
    with pytest.raises(ValidationError) as error:
        services.estimate_text(model="gpt-4o", output_tokens=400, country="FRA", basis="market")
    assert "basis" in error.value.message_dict


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"model": "no-such-model", "output_tokens": 10}, "model"),
        ({"model": "sdxl", "output_tokens": 10}, "model"),
        ({"model": "gpt-4o", "output_tokens": 10, "region": "mars-north1"}, "region"),
        (
            {"model": "gpt-4o", "output_tokens": 10, "region": "europe-west9", "region_year": 1999},
            "region_year",
        ),
        ({"model": "gpt-4o", "output_tokens": 10, "country": "XXX"}, "country"),
        ({"model": "gpt-4o", "output_tokens": 10, "region": "europe-west9", "country": "FRA"}, "country"),
        ({"model": "gpt-4o", "output_tokens": 10, "grid_intensity": -1}, "grid_intensity"),
        ({"model": "gpt-4o", "output_tokens": 10, "pue": 0.5}, "pue"),
        ({"output_tokens": 10}, "model"),
        ({"model": "gpt-4o", "active_params_b": 8, "output_tokens": 10}, "active_params_b"),
        ({"active_params_b": 80, "total_params_b": 8, "output_tokens": 10}, "total_params_b"),
        ({"model": "gpt-4o", "output_tokens": -10}, "output_tokens"),
    ],
)
def test_bad_text_requests_name_the_field(params, field):
    with pytest.raises(ValidationError) as error:
        services.estimate_text(**params)
    assert field in error.value.message_dict


def test_a_model_given_by_its_size_matches_the_catalogue_entry_of_that_size():
    by_size = services.estimate_text(active_params_b=123, output_tokens=400, grid_intensity=300, pue=1.2)
    by_slug = services.estimate_text(model="mistral-large-2", output_tokens=400, grid_intensity=300, pue=1.2)
    assert by_size.energy_kwh == by_slug.energy_kwh


def test_the_llama3_year_preset_reproduces_the_study_headline():
    scenario = scenario_preset_run(preset="llama3-year")

    baseline_t = scenario.baseline.emissions_kgco2e.central / 1000
    improved_t = scenario.improved.emissions_kgco2e.central / 1000
    assert baseline_t == pytest.approx(240_000, rel=0.05)
    assert improved_t == pytest.approx(55_000, rel=0.10)
    assert 3.5 < scenario.ratio < 5
    assert any("did not publish" in assumption for assumption in scenario.assumptions)
    assert {lever.name for lever in scenario.levers} == {"region", "iterations", "output_size", "model"}


def test_training_defaults_to_the_gpu_types_power_and_refuses_an_unknown_gpu():
    footprint = services.estimate_training(gpu_hours=1000, gpu_type="a100", grid_intensity=400, pue=1.0)
    assert footprint.energy_kwh.central == pytest.approx(400)

    with pytest.raises(ValidationError) as error:
        services.estimate_training(gpu_hours=1000, gpu_type="tpu-v9")
    assert "gpu_type" in error.value.message_dict


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        services.estimate("video", model="x")
    assert "kind" in error.value.message_dict


def test_saving_keeps_the_method_version_and_factors(alice):
    estimate = services.estimate_save(
        owner=alice, name="Weekly summary", kind="text", inputs={"model": "gpt-4o", "output_tokens": 300}
    )

    assert estimate.estimator_version == estimate.result["estimator_version"]
    assert estimate.result["factors"]
    assert estimate.result == services.estimate("text", model="gpt-4o", output_tokens=300).as_dict()


def test_saving_with_bad_inputs_saves_nothing(alice):
    with pytest.raises(ValidationError):
        services.estimate_save(
            owner=alice, name="x", kind="text", inputs={"model": "nope", "output_tokens": 3}
        )
    assert not alice.estimates.exists()


def test_an_admin_edit_reaches_the_estimator(client, root):
    services.estimate_text(model="llama-3-70b", output_tokens=100, region="europe-west9")  # cache warm
    region = Region.objects.get(name="europe-west9", year=2024)
    client.force_login(root)

    response = client.post(
        f"/admin/estimator/region/{region.pk}/change/",
        {
            "name": region.name,
            "location": region.location,
            "country_iso3": region.country_iso3,
            "year": 2024,
            "grid_gco2e_per_kwh": 100,
            "google_cfe": region.google_cfe,
            "source": region.source,
        },
    )

    assert response.status_code == 302
    footprint = services.estimate_text(model="llama-3-70b", output_tokens=100, region="europe-west9")
    assert footprint.inputs["grid_gco2e_per_kwh"] == 100
