import pytest
from django.urls import reverse

from estimator import services
from estimator.models import Estimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def test_the_estimator_shows_a_result_for_its_defaults(signed_in):
    response = signed_in.get(reverse("estimator:estimate"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="estimate-result"' in html and "<html" in html
    assert "Compare with published figures" in html and "arXiv 2508.15734" in html


def test_htmx_gets_only_the_result_fragment_with_the_services_numbers(signed_in):
    query = {
        "kind": "text",
        "model": "gpt-4o",
        "output_tokens": "800",
        "input_tokens": "0",
        "region": "asia-south1",
    }

    response = signed_in.get(reverse("estimator:estimate"), query, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="estimate-result"') and "<html" not in html
    expected = services.estimate_text(model="gpt-4o", output_tokens=800, region="asia-south1")
    assert f"{expected.energy_kwh.central * 1000:.3g} Wh" in html


def test_invalid_input_shows_the_errors_with_status_200(signed_in):
    response = signed_in.get(
        reverse("estimator:estimate"),
        {"kind": "text", "model": "gpt-4o", "output_tokens": "-4"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Correct the inputs" in html and "Output tokens per answer" in html and "Must be between" in html


def test_conflicting_places_are_explained_on_the_form(signed_in):
    response = signed_in.get(
        reverse("estimator:estimate"),
        {"kind": "text", "model": "gpt-4o", "output_tokens": "5", "region": "europe-west9", "country": "FRA"},
    )
    assert "Give only one of region, country or grid intensity." in response.content.decode()


@pytest.mark.parametrize("kind", ["image", "training"])
def test_each_kind_has_its_form_and_result(signed_in, kind):
    response = signed_in.get(reverse("estimator:estimate"), {"kind": kind})
    assert response.status_code == 200
    assert response.context["result"] is not None


def test_saving_from_the_page_keeps_the_inputs_and_redirects_to_it(signed_in, alice):
    response = signed_in.post(
        reverse("estimator:estimate-save"),
        {
            "kind": "training",
            "name": "Fine-tune",
            "gpu_hours": "200",
            "gpu_type": "a100",
            "region": "europe-north1",
        },
    )

    estimate = Estimate.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == reverse(
        "estimator:saved-detail", args=[estimate.pk]
    )
    assert estimate.inputs == {
        "gpu_hours": 200.0,
        "gpu_type": "a100",
        "region": "europe-north1",
        "include_embodied": False,
    }
    detail = signed_in.get(response["Location"]).content.decode()
    assert "Fine-tune" in detail and "Open in the estimator" in detail


def test_saving_without_a_name_saves_nothing(signed_in):
    response = signed_in.post(
        reverse("estimator:estimate-save"), {"kind": "text", "model": "gpt-4o", "output_tokens": "5"}
    )
    assert response.status_code == 302 and not Estimate.objects.exists()


def test_the_comparison_table_has_six_models_by_eight_regions_with_the_lowest_marked(signed_in):
    response = signed_in.get(
        reverse("estimator:compare"),
        {"model": "llama-3-70b", "output_tokens": "400", "region": "europe-west9"},
    )

    table = response.context["table"]
    assert len(table["models"]) == 6 and len(table["regions"]) == 8
    lowest = [cell for _, _, cells in table["rows"] for cell in cells if cell.lowest]
    assert len(lowest) == 1
    assert lowest[0].central_g == min(cell.central_g for _, _, cells in table["rows"] for cell in cells)
    html = response.content.decode()
    assert html.count('<figure class="chart bar-chart"') == 2 and 'class="num lowest"' in html


def test_the_scenario_page_shows_the_preset_and_accepts_a_custom_scenario(signed_in):
    preset = signed_in.get(reverse("estimator:scenario")).content.decode()
    custom = signed_in.get(
        reverse("estimator:scenario"),
        {
            "tasks": "10000",
            "input_tokens": "200",
            "baseline_model": "gpt-4o",
            "baseline_region": "us-central1",
            "baseline_output_tokens": "500",
            "baseline_iterations": "3",
            "improved_model": "gpt-4o-mini",
            "improved_model_share": "0.6",
            "improved_region": "europe-north1",
            "improved_output_tokens": "300",
            "improved_iterations": "2",
        },
    )

    assert "did not publish" in preset and "divided by" in preset
    assert custom.status_code == 200 and custom.context["scenario"]["ratio"] > 1


def test_a_custom_scenario_with_a_bad_share_shows_the_error(signed_in):
    response = signed_in.get(
        reverse("estimator:scenario"),
        {
            "tasks": "10000",
            "input_tokens": "200",
            "baseline_model": "gpt-4o",
            "baseline_region": "us-central1",
            "baseline_output_tokens": "500",
            "baseline_iterations": "3",
            "improved_model": "gpt-4o-mini",
            "improved_model_share": "1.5",
            "improved_region": "europe-north1",
            "improved_output_tokens": "300",
            "improved_iterations": "2",
        },
    )
    assert response.context["scenario"] is None
    assert "Must be more than 0 and at most 1." in response.content.decode()


def test_saved_estimates_compare_side_by_side(signed_in, alice, django_assert_max_num_queries):
    estimates = [
        services.estimate_save(
            owner=alice, name=f"Option {n}", kind="text", inputs={"model": model, "output_tokens": 300}
        )
        for n, model in enumerate(["gpt-4o", "gpt-4o-mini", "llama-3-8b"])
    ]
    with django_assert_max_num_queries(4):
        listing = signed_in.get(reverse("estimator:saved-list"))
    assert listing.content.decode().count('name="ids"') == 3

    response = signed_in.get(reverse("estimator:saved-compare"), {"ids": [e.pk for e in estimates[:2]]})
    html = response.content.decode()
    assert "Option 0" in html and "Option 1" in html and "Option 2" not in html

    too_few = signed_in.get(reverse("estimator:saved-compare"), {"ids": [estimates[0].pk]})
    assert too_few.status_code == 400 and "Choose between 2 and 6 estimates." in too_few.content.decode()


def test_deleting_an_estimate(signed_in, alice):
    estimate = services.estimate_save(
        owner=alice, name="Old", kind="text", inputs={"model": "gpt-4o", "output_tokens": 3}
    )

    response = signed_in.post(reverse("estimator:saved-delete", args=[estimate.pk]))

    assert response.status_code == 302 and not Estimate.objects.exists()


def test_the_estimator_speaks_french(signed_in):
    signed_in.post(reverse("set_language"), {"language": "fr", "next": "/"})

    html = signed_in.get(reverse("estimator:estimate")).content.decode()

    assert "Estimateur d'empreinte" in html or "Estimateur d&#x27;empreinte" in html
    assert "Émissions" in html


def test_an_estimate_saved_with_an_older_method_shows_the_current_one_beside_it(signed_in, alice):
    current = services.estimate("text", model="gpt-4o", output_tokens=400)
    old_result = {**current.as_dict(), "estimator_version": "1.0.0"}
    old_result["emissions_kgco2e"] = {"low": 0.0004, "central": 0.00123, "high": 0.003}
    saved = Estimate.objects.create(
        owner=alice,
        name="Old answer",
        kind="text",
        inputs={"model": "gpt-4o", "output_tokens": 400},
        result=old_result,
        estimator_version="1.0.0",
    )

    page = signed_in.get(reverse("estimator:saved-detail", args=[saved.pk])).content.decode()

    assert "With the current method" in page and "Estimator 2.0" in page
    assert "1.23 g" in page  # the saved central, kept
    saved.refresh_from_db()
    assert saved.estimator_version == "1.0.0" and saved.result == old_result

    fresh = services.estimate_save(
        owner=alice, name="New", kind="text", inputs={"model": "gpt-4o", "output_tokens": 4}
    )
    assert (
        "With the current method"
        not in signed_in.get(reverse("estimator:saved-detail", args=[fresh.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "says", "button"),
    [
        ("en", "Results update as you type, or when you press Estimate.", ">Estimate</button>"),
        (
            "fr",
            "se mettent à jour pendant la saisie, ou quand vous appuyez sur Estimer.",
            ">Estimer</button>",
        ),
    ],
)
def test_the_lead_is_true_without_javascript_too(signed_in, language, says, button):
    """Without JavaScript nothing updates as you type: the lead names the button that does it."""
    signed_in.cookies["django_language"] = language

    html = signed_in.get(reverse("estimator:estimate")).content.decode()

    assert says in html and button in html
