"""The use-case form's model picker: the short list, the organisation's models, any catalogue model by search."""

import pytest
from django.urls import reverse

from estimator.models import AIModel
from governance.models import UseCase
from tests.estimator.test_picker import options
from tests.factories import use_case
from tests.governance.test_views import form_data

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_short_list_and_the_models_of_the_organisations_use_cases(client, alice, sales):
    aya = AIModel.objects.get(slug="aya-23-35b")
    use_case(alice, department=sales, model=aya)
    client.force_login(alice)

    html = client.get(reverse("governance:create")).content.decode()

    groups = options(html)
    assert "Stability AI" in groups and "OpenAI" in groups  # text and image models
    assert groups["In your organisation's use cases"] == [
        (str(aya.pk), "aya-23-35B — CohereForAI (Hugging Face)", False)
    ]
    mini = AIModel.objects.get(slug="gpt-4o-mini")
    assert (str(mini.pk), "GPT-4o mini — OpenAI", True) in groups["OpenAI"]  # the suggested default
    assert sum(len(group) for group in groups.values()) < 45


def test_a_model_chosen_by_search_is_saved_and_shown_selected_on_edit(client, alice, sales):
    opus = AIModel.objects.get(slug="claude-opus-4-7")
    client.force_login(alice)

    response = client.post(
        reverse("governance:create"), form_data(department=str(sales.pk), model=str(opus.pk))
    )

    case = UseCase.objects.get()
    assert response.status_code == 302 and case.model == opus
    html = client.get(reverse("governance:edit", args=[case.pk])).content.decode()
    assert (str(opus.pk), "claude-opus-4-7 — Anthropic", True) in options(html)["Your choice"]


def test_searching_without_javascript_lists_the_matches_and_saves_nothing(client, alice, sales):
    client.force_login(alice)

    response = client.post(
        reverse("governance:create"),
        form_data(department=str(sales.pk), title="", model_q="claude opus", model_search="1"),
    )

    html = response.content.decode()
    assert response.status_code == 200 and not UseCase.objects.exists()
    assert "Matches for “claude opus”" in options(html)
    assert "This field is required" not in html  # the search checks nothing yet


def test_the_search_button_with_an_empty_search_saves_as_enter_would(client, alice, sales):
    client.force_login(alice)

    response = client.post(
        reverse("governance:create"), form_data(department=str(sales.pk), model_q="", model_search="1")
    )

    assert response.status_code == 302 and UseCase.objects.count() == 1
