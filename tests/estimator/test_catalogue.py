"""The model catalogue page and the energy per million output tokens beside models (issue 10)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from estimator import services

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("estimator:catalogue"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_catalogue_lists_text_models_lowest_energy_first(client, alice):
    client.force_login(alice)

    response = client.get(reverse("estimator:catalogue"), {"modality": "text"})

    models = response.context["models"]
    energies = [model["energy_wh_per_million_output_tokens"]["central"] for model in models]
    assert response.status_code == 200
    assert len(models) > 300 and energies == sorted(energies)
    gpt4o = next(model for model in models if model["slug"] == "gpt-4o")
    assert gpt4o == services.model_summary(services.reference_data().models["gpt-4o"])
    html = response.content.decode()
    assert "GPT-4o" in html and "no A-to-F thresholds" in html
    # Providers as people know them, not the catalogue's codes
    assert "<td>Google</td>" in html and "<td>Hugging Face</td>" in html and "google_genai" not in html


def test_the_search_matches_every_word_in_slug_name_or_provider(client, alice):
    client.force_login(alice)

    found = client.get(reverse("estimator:catalogue"), {"q": "llama 70b"}).context["models"]
    images = client.get(reverse("estimator:catalogue"), {"modality": "image"}).context["models"]

    assert found and all("llama" in m["slug"] and "70b" in m["slug"] for m in found)
    assert {m["slug"] for m in images} >= {"sdxl"} and all(m["modality"] == "image" for m in images)
    assert "No model matches." in client.get(reverse("estimator:catalogue"), {"q": "zzzz"}).content.decode()


def test_the_catalogue_reads_the_cached_reference_data(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    client.get(reverse("estimator:catalogue"))  # fills the cache
    with django_assert_max_num_queries(4):  # session and user only, whatever the catalogue's size
        client.get(reverse("estimator:catalogue"))


def test_the_comparison_shows_each_models_energy_per_million_output_tokens(client, alice):
    client.force_login(alice)

    response = client.get(reverse("estimator:compare"), {"model": "gpt-4o", "output_tokens": "400"})

    rows = response.context["table"]["rows"]
    for model, energy, _cells in rows:
        assert energy == services.energy_wh_per_million_output_tokens(model)
    assert "Wh per million output tokens" in response.content.decode()


def test_the_cli_table_has_the_energy_and_says_why_there_is_no_class():
    out = StringIO()
    call_command("estimate", "models", "--modality", "text", stdout=out)
    lines = out.getvalue().splitlines()

    gpt4o = next(line for line in lines if line.startswith("gpt-4o "))
    energy = services.energy_wh_per_million_output_tokens(services.reference_data().models["gpt-4o"])
    assert gpt4o.split()[-1] == f"{energy.central:.3g}"
    assert "no A–F thresholds" in out.getvalue()


def test_model_names_are_their_publishers_without_an_english_description(client, alice):
    """The parameters have their own columns (active and total: a mixture of experts shows both): a name
    never describes them in English, whatever the page's language ("Qwen3 30B-A3B", not "Qwen3 30B-A3B
    (mixture of experts)")."""
    client.force_login(alice)

    response = client.get(
        reverse("estimator:catalogue"), {"q": "qwen3 30b"}, headers={"accept-language": "fr"}
    )
    names = [model.name for model in services.reference_data().models.values()]

    assert not [name for name in names if any(word in name for word in ("experts", "dense", "active"))]
    row = response.content.decode().split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Qwen3 30B-A3B<" in row and "<td>3,30</td>" in row and "<td>30,5</td>" in row
