import pytest
from django.urls import reverse

from accounts.services import token_create
from estimator import services
from estimator.models import Estimate

pytestmark = pytest.mark.django_db
URL = "/api/v1/estimator/estimates/"


def post(client, user, payload):
    client.force_login(user)
    return client.post(URL, payload, content_type="application/json")


def test_the_api_gives_the_cli_and_services_numbers(client, alice):
    payload = {
        "kind": "text",
        "model": "llama-3-70b",
        "output_tokens": 500,
        "input_tokens": 1000,
        "region": "asia-south1",
    }

    response = post(client, alice, payload)

    assert response.status_code == 200
    assert (
        response.json()
        == services.estimate(
            "text", model="llama-3-70b", output_tokens=500, input_tokens=1000, region="asia-south1"
        ).as_dict()
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "text", "model": "gpt-4o", "output_tokens": -1}, "output_tokens"),
        ({"kind": "text", "model": "gpt-4o", "output_tokens": "many"}, "output_tokens"),
        ({"kind": "text", "model": "gpt-4o"}, "output_tokens"),
        ({"kind": "text", "model": "nope", "output_tokens": 5}, "model"),
        (
            {
                "kind": "text",
                "model": "gpt-4o",
                "output_tokens": 5,
                "region": "europe-west9",
                "country": "FRA",
            },
            "region",
        ),
        ({"kind": "image", "model": "sdxl", "steps": 0}, "steps"),
        ({"kind": "training", "gpu_hours": 10, "gpu_type": "tpu"}, "gpu_type"),
        ({"kind": "scenario"}, "tasks"),
        ({"kind": "scenario", "preset": "nope"}, "preset"),
        ({"kind": "video"}, "kind"),
        ({"output_tokens": 5}, "kind"),
        ({"kind": "text", "model": "gpt-4o", "output_tokens": 5, "save": True}, "name"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(client, alice, payload, field):
    response = post(client, alice, payload)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]
    assert not Estimate.objects.exists()


def test_every_kind_gives_the_services_numbers(client, alice):
    for payload in (
        {"kind": "image", "model": "sd-2.1", "images": 10, "country": "SWE"},
        {"kind": "training", "gpu_hours": 500, "gpu_type": "a100", "include_embodied": False},
        {"kind": "scenario", "preset": "llama3-year"},
        {
            "kind": "scenario",
            "tasks": 1000,
            "input_tokens": 100,
            "baseline_model": "gpt-4o",
            "baseline_region": "us-central1",
            "baseline_output_tokens": 600,
            "baseline_iterations": 3,
            "improved_model": "gpt-4o-mini",
            "improved_model_share": 0.5,
            "improved_region": "europe-west9",
            "improved_output_tokens": 300,
            "improved_iterations": 2,
        },
    ):
        response = post(client, alice, payload)
        assert response.status_code == 200, response.json()
        kind, params = payload["kind"], {k: v for k, v in payload.items() if k != "kind"}
        # The API gives each kind's numbers as the service (and so the CLI and the pages) computes them.
        assert response.json() == services.estimate(kind, **params).as_dict()
        result = response.json()
        for footprint in (result["baseline"], result["improved"]) if kind == "scenario" else (result,):
            emissions = footprint["emissions_kgco2e"]
            assert 0 < emissions["low"] <= emissions["central"] <= emissions["high"]
        if kind == "scenario":  # the levers make it smaller, and their savings add up to the difference
            saved = (
                result["baseline"]["emissions_kgco2e"]["central"]
                - result["improved"]["emissions_kgco2e"]["central"]
            )
            assert result["ratio"] > 1
            assert sum(lever["saving_kgco2e"] for lever in result["levers"]) == pytest.approx(saved)


def test_saved_estimates_are_listed_to_their_owner_only(client, alice, bruno):
    saved = post(
        client, alice, {"kind": "text", "model": "gpt-4o", "output_tokens": 5, "save": True, "name": "Mine"}
    )
    assert saved.status_code == 201
    estimate_id = saved.json()["id"]

    mine = client.get(URL).json()
    assert mine["count"] == 1 and [e["name"] for e in mine["results"]] == ["Mine"]
    assert client.get(f"{URL}{estimate_id}/").json()["result"]["inputs"]["model"] == "gpt-4o"

    client.force_login(bruno)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{estimate_id}/").status_code == 404


def test_the_list_costs_one_query_for_auth_and_one_for_the_rows(client, alice, django_assert_max_num_queries):
    for index in range(5):
        services.estimate_save(
            owner=alice, name=f"e{index}", kind="text", inputs={"model": "gpt-4o", "output_tokens": 5}
        )
    client.force_login(alice)
    with django_assert_max_num_queries(4):  # session, user, count, estimates
        assert len(client.get(URL).json()["results"]) == 5


def test_models_and_regions(client, alice):
    client.force_login(alice)

    images = client.get("/api/v1/estimator/models/?modality=image").json()["results"]
    regions = client.get("/api/v1/estimator/regions/").json()["results"]
    regions_2019 = client.get("/api/v1/estimator/regions/?year=2019").json()["results"]

    assert {m["slug"] for m in images} == {"sdxl", "sd-2.1", "sd-3.5-large", "sd-3.5-medium", "flux.1-dev"}
    assert len(regions) == 44 and {r["year"] for r in regions} == {2024}
    assert len(regions_2019) == 24
    assert client.get("/api/v1/estimator/models/?modality=video").status_code == 400
    assert client.get("/api/v1/estimator/regions/?year=last").status_code == 400


def test_a_token_works_and_anonymous_is_refused(client, alice):
    _token, key = token_create(user=alice, name="test")
    ok = client.post(
        URL,
        {"kind": "text", "model": "gpt-4o", "output_tokens": 5},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    client.logout()
    anonymous = client.post(
        URL, {"kind": "text", "model": "gpt-4o", "output_tokens": 5}, content_type="application/json"
    )

    assert ok.status_code == 200
    assert anonymous.status_code == 401


def test_the_schema_documents_the_endpoints(client):
    schema = client.get(reverse("api-schema"), headers={"Accept": "application/json"}).content.decode()
    for path in ("/api/v1/estimator/estimates/", "/api/v1/estimator/models/", "/api/v1/estimator/regions/"):
        assert path in schema
    assert "EstimateRequest" in schema
