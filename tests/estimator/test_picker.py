"""The model picker (a short list by maker, friendly names, a catalogue search) and the "where" control."""

import re
from html import unescape

import pytest
from django.urls import reverse

from estimator import services
from estimator.forms import ImageEstimateForm, ScenarioForm, TextEstimateForm
from estimator.models import AIModel, Estimate
from estimator.picker import SHORT_LIST, model_label

pytestmark = pytest.mark.django_db

TEXT = {"kind": "text", "model": "gpt-4o", "output_tokens": "400", "input_tokens": "300"}


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def options(html: str, name: str = "model") -> dict[str, list[tuple[str, str, bool]]]:
    """The options of a select, by optgroup: (value, label, selected)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    groups: dict[str, list[tuple[str, str, bool]]] = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(1), re.S):
        groups[unescape(label)] = [
            (value, unescape(text), bool(selected))
            for value, selected, text in re.findall(
                r'<option value="([^"]*)"( selected)?>([^<]*)</option>', body
            )
        ]
    return groups


def test_every_short_list_model_is_in_the_catalogue_and_the_featured_ones_are_listed():
    slugs = {slug for models in SHORT_LIST.values() for slug in models}

    assert slugs <= set(AIModel.objects.values_list("slug", flat=True))
    assert set(AIModel.objects.filter(featured=True).values_list("slug", flat=True)) <= slugs


def test_the_text_picker_offers_the_short_list_by_maker_with_friendly_names():
    groups = options(TextEstimateForm({**TEXT}).as_div())

    assert list(groups) == [
        "OpenAI",
        "Anthropic",
        "Google",
        "Mistral AI",
        "Meta",
        "DeepSeek",
        "Alibaba (Qwen)",
    ]
    assert ("gpt-4o-mini", "GPT-4o mini — OpenAI", False) in groups["OpenAI"]
    assert ("gpt-4o", "GPT-4o — OpenAI", True) in groups["OpenAI"]
    assert ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5 — Anthropic", False) in groups["Anthropic"]
    assert sum(len(group) for group in groups.values()) == 31  # not the 343 entries of the catalogue


def test_the_image_picker_has_only_image_models_and_no_search():
    html = ImageEstimateForm({"model": "sdxl", "images": "1"}).as_div()

    assert list(options(html)) == ["Stability AI", "Black Forest Labs"]
    assert 'name="model_q"' not in html  # the five image models are all in the short list


def test_a_model_outside_the_short_list_shows_selected_under_your_choice(signed_in):
    response = signed_in.get(reverse("estimator:estimate"), {**TEXT, "model": "claude-opus-4-7"})

    groups = options(response.content.decode())
    assert groups["Your choice"] == [("claude-opus-4-7", "claude-opus-4-7 — Anthropic", True)]
    assert response.context["result"]["inputs"]["model"] == "claude-opus-4-7"


def test_hugging_face_entries_name_their_owner():
    model = AIModel.objects.get(slug="aya-23-35b")

    assert model_label(model) == "aya-23-35B — CohereForAI (Hugging Face)"


def test_the_search_without_javascript_lists_the_matches_first_and_keeps_the_choice(signed_in):
    response = signed_in.get(reverse("estimator:estimate"), {**TEXT, "model_q": "aya", "model_search": "1"})

    html = response.content.decode()
    groups = options(html)
    assert next(iter(groups)) == "Matches for “aya”"
    assert ("aya-23-35b", "aya-23-35B — CohereForAI (Hugging Face)", False) in groups["Matches for “aya”"]
    assert ("gpt-4o", "GPT-4o — OpenAI", True) in groups["OpenAI"]
    assert '<details class="model-search" open>' in html and "models match “aya”" in html


def test_a_model_chosen_by_search_round_trips_through_the_saved_estimate(signed_in, alice):
    response = signed_in.post(
        reverse("estimator:estimate-save"), {**TEXT, "model": "aya-23-35b", "name": "Aya"}
    )

    assert response.status_code == 302
    assert Estimate.objects.get(owner=alice).inputs["model"] == "aya-23-35b"
    reopen = signed_in.get(response["Location"]).context["reopen_query"]
    page = signed_in.get(f"{reverse('estimator:estimate')}?{reopen}")
    assert options(page.content.decode())["Your choice"][0][::2] == ("aya-23-35b", True)


def test_a_model_of_another_modality_or_unknown_is_refused():
    assert not TextEstimateForm({**TEXT, "model": "sdxl"}).is_valid()
    assert not TextEstimateForm({**TEXT, "model": "no-such-model"}).is_valid()
    assert TextEstimateForm({**TEXT, "model": "aya-23-35b"}).is_valid()


def test_the_scenario_page_has_two_light_pickers(signed_in):
    response = signed_in.get(reverse("estimator:scenario"))

    html = response.content.decode()
    assert html.count("<optgroup") < 40 and html.count('class="model-search"') == 2
    assert len(response.content) < 40_000  # 77 KB with the whole catalogue in each picker


def test_a_scenario_with_models_chosen_by_search_runs_and_shows_them_selected(signed_in):
    query = {
        "tasks": "1000",
        "input_tokens": "300",
        "baseline_model": "claude-opus-4-7",
        "baseline_region": "us-central1",
        "baseline_output_tokens": "800",
        "baseline_iterations": "3",
        "improved_model": "aya-23-8b",
        "improved_model_share": "0.5",
        "improved_region": "europe-west9",
        "improved_output_tokens": "400",
        "improved_iterations": "2",
    }
    response = signed_in.get(reverse("estimator:scenario"), query)

    html = response.content.decode()
    assert response.context["scenario"] is not None
    assert options(html, "baseline_model")["Your choice"][0][::2] == ("claude-opus-4-7", True)
    assert options(html, "improved_model")["Your choice"][0][::2] == ("aya-23-8b", True)
    assert ScenarioForm(query).is_valid()


@pytest.mark.parametrize("page", ["estimator:estimate", "estimator:compare", "estimator:scenario"])
def test_the_pages_with_pickers_stay_light(signed_in, page):
    response = signed_in.get(reverse(page))

    assert response.status_code == 200
    assert len(response.content) < 40_000 and response.content.count(b"<option") < 200


# --- The htmx search ---------------------------------------------------------------------------------


def search(client, **params):
    query = {"name": "model", "modality": "text", "value_field": "slug", **params}
    return client.get(reverse("estimator:model-options"), query, headers={"HX-Request": "true"})


def test_the_search_needs_a_signed_in_user(client):
    response = search(client, model_q="claude")

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_search_returns_the_matches_the_choice_and_the_short_list(signed_in):
    response = search(signed_in, model="gpt-4o", model_q="claude opus")

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.startswith('<optgroup label="Matches for “claude opus”">')
    assert '<option value="claude-opus-4-7">claude-opus-4-7 — Anthropic</option>' in html
    assert '<option value="gpt-4o" selected>GPT-4o — OpenAI</option>' in html
    assert 'id="id_model_status" hx-swap-oob="innerHTML"' in html and "models match" in html


def test_the_search_of_a_use_case_form_gives_ids_and_both_modalities(signed_in):
    model = AIModel.objects.get(slug="aya-23-35b")
    response = search(signed_in, modality="", value_field="pk", model_q="aya-23-35", model=str(model.pk))

    html = response.content.decode()
    assert f'<option value="{model.pk}" selected>aya-23-35B' in html
    assert "Stable Diffusion XL — Stability AI" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", ""),
        ("   ", ""),
        ("zzzz-no-such", "No model matches"),
        ("claude\x00", "control characters"),
        ("x" * 5000, "at most 100 characters"),
        ("<script>alert(1)</script>", "No model matches"),
        ("%' OR 1=1 --", "No model matches"),
    ],
)
def test_odd_searches_answer_without_error(signed_in, query, message):
    response = search(signed_in, model_q=query, model="gpt-4o")

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "<script>" not in html
    assert '<option value="gpt-4o" selected>' in html


@pytest.mark.parametrize(
    "params",
    [
        {"name": "x" * 80},
        {"name": "bad name"},
        {"name": "model\x00"},
        {"modality": "video"},
        {"value_field": "email"},
    ],
)
def test_a_malformed_picker_request_is_refused_with_400(signed_in, params):
    assert search(signed_in, **params).status_code == 400


def test_an_unknown_current_value_is_ignored(signed_in):
    response = search(signed_in, model="no-such-model\x00", model_q="gpt")

    assert response.status_code == 200 and " selected" not in response.content.decode()


# --- One "where" control -------------------------------------------------------------------------------


def place_of(client, **params):
    response = client.get(reverse("estimator:estimate"), {**TEXT, **params})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"where": "region", "region": "europe-west9"}, "region"),
        ({"where": "country", "country": "FRA"}, "country"),
        ({"where": "grid", "grid_intensity": "50"}, "grid"),
        ({"where": "unknown"}, "provider"),
        ({"region": "europe-west9"}, "region"),  # a link without the control: the one place it gives
        ({"country": "FRA"}, "country"),
        ({}, "provider"),
    ],
)
def test_each_where_choice_uses_its_own_input(signed_in, params, kind):
    response = place_of(signed_in, **params)

    assert response.context["result"]["inputs"]["location"]["kind"] == kind


def test_only_the_chosen_place_counts_when_hidden_inputs_keep_values(signed_in):
    response = place_of(signed_in, where="country", region="europe-west9", country="FRA", grid_intensity="-5")

    result = response.context["result"]
    assert result is not None and result["inputs"]["location"]["kind"] == "country"
    expected = services.estimate_text(model="gpt-4o", output_tokens=400, input_tokens=300, country="FRA")
    assert result["emissions_kgco2e"]["central"] == expected.emissions_kgco2e.central


def test_two_places_without_a_choice_are_refused_on_the_where_control(signed_in):
    response = place_of(signed_in, region="europe-west9", grid_intensity="50")

    form = response.context["form"]
    assert response.context["result"] is None
    assert form.errors["where"] == ["Give only one of region, country or grid intensity."]
    assert "Where the model runs: Give only one" in response.content.decode()


@pytest.mark.parametrize(
    ("where", "field", "message"),
    [
        ("region", "region", "Cloud region chosen: choose the region."),
        ("country", "country", "Country chosen: give its ISO code, e.g. FRA."),
        ("grid", "grid_intensity", "Grid intensity chosen: give it in gCO2e/kWh."),
    ],
)
def test_a_choice_without_its_value_says_which_one_is_used(signed_in, where, field, message):
    response = place_of(signed_in, where=where, region="", country="", grid_intensity="")

    assert response.context["form"].errors[field] == [message]


def test_the_chosen_place_is_checked_and_the_three_inputs_are_one_fieldset(signed_in):
    html = place_of(signed_in, country="FRA").content.decode()

    fieldset = re.search(r'<fieldset class="where".*?</fieldset>', html, re.S).group(0)
    assert "<legend>Where the model runs</legend>" in fieldset
    assert 'value="country" id="id_where_1" checked' in fieldset or re.search(
        r'value="country"[^>]*checked', fieldset
    )
    for name in ("region", "country", "grid_intensity"):
        assert f'name="{name}"' in fieldset


def test_the_where_control_is_not_passed_to_the_service_nor_saved(signed_in, alice):
    response = signed_in.post(
        reverse("estimator:estimate-save"),
        {**TEXT, "where": "country", "country": "FRA", "region": "", "name": "FR"},
    )

    assert response.status_code == 302
    saved = signed_in.get(response["Location"]).context["estimate"]
    assert "where" not in saved.inputs and saved.inputs["country"] == "FRA"


def test_the_comparison_page_has_the_where_control_and_a_searched_model(signed_in):
    response = signed_in.get(
        reverse("estimator:compare"),
        {**TEXT, "model": "aya-23-35b", "where": "grid", "grid_intensity": "100"},
    )

    html = response.content.decode()
    assert response.status_code == 200 and '<fieldset class="where"' in html
    assert options(html)["Your choice"][0][::2] == ("aya-23-35b", True)
