import pytest
from django.urls import reverse

from estimator.models import AIModel
from governance import selectors, services
from governance.models import UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Summarise supplier contracts",
        "description": "Two-page summaries of supplier contracts for buyers.",
        "task_type": "summarisation",
        "department": "",
        "model": str(AIModel.objects.get(slug="gpt-4o-mini").pk),
        "region": "europe-west9",
        "requests_per_month": "50",
        "input_tokens": "20000",
        "output_tokens": "800",
        "images_per_request": "0",
        "image_width": "",
        "image_height": "",
        "iterations_per_task": "2",
        "users": "6",
        "value_environmental": "1",
        "value_social": "2",
        "value_economic": "4",
        "value_justification": "Buyers read summaries, not 60 pages.",
        "alternatives": "Legal team's notes; no AI.",
        "ai_act_tier": "minimal",
    }
    data.update(overrides)
    return data


def test_registering_in_the_browser_saves_a_draft(client, alice, sales):
    client.force_login(alice)
    response = client.post(reverse("governance:create"), form_data(department=str(sales.pk)))

    case = UseCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "governance:detail", args=[case.pk]
    )
    assert case.owner == alice and case.status == "draft"


def test_an_invalid_form_shows_its_errors(client, alice, sales):
    client.force_login(alice)
    response = client.post(
        reverse("governance:create"), form_data(department=str(sales.pk), output_tokens="0")
    )

    assert (
        response.status_code == 200
        and "A text use case produces at least one output token" in response.content.decode()
    )
    assert not UseCase.objects.exists()


def test_similar_use_cases_appear_as_an_htmx_fragment(client, alice, bruno, root):
    use_case(bruno, status="approved", decider=root, title="Summarise customer feedback")
    client.force_login(alice)

    response = client.get(
        reverse("governance:similar"), {"title": "customer feedback summary"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="similar"') and "Summarise customer feedback" in html


def test_similar_never_shows_what_the_user_may_not_see(client, alice, carla, research):
    use_case(carla, department=research, title="Summarise customer feedback")
    client.force_login(alice)
    fragment = client.get(
        reverse("governance:similar"),
        {"title": "Summarise customer feedback"},
        headers={"HX-Request": "true"},
    )
    page = client.get(reverse("governance:create"), {"title": "Summarise customer feedback"})
    assert "Summarise customer feedback" not in fragment.content.decode()
    assert "Similar use cases already exist" not in page.content.decode()


def test_without_javascript_the_similar_search_is_the_registration_page(client, alice, bruno, root):
    use_case(bruno, status="approved", decider=root, title="Summarise customer feedback")
    client.force_login(alice)

    response = client.get(reverse("governance:similar"), {"title": "customer feedback summary"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[0][0] == reverse("governance:create") + "?title=customer+feedback+summary"
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'value="customer feedback summary"' in html
    assert "Similar use cases already exist" in html and "Summarise customer feedback" in html


def test_the_detail_shows_footprint_matrix_levers_and_history(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    html = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    assert "Your decision" in html and "<svg" in html and "What the four levers would save" in html
    assert "Draft → Submitted" in html


def test_deciding_in_the_browser(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    refused = client.post(
        reverse("governance:transition", args=[case.pk, "reject"]), {"comment": ""}, follow=True
    )
    assert "Say why" in refused.content.decode()
    client.post(reverse("governance:transition", args=[case.pk, "approve"]), {"conditions": "EU only"})

    case.refresh_from_db()
    assert case.status == "approved" and case.conditions == "EU only"


def test_editing_an_approved_use_case_warns_and_sends_it_back(client, alice, bruno, sales):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(alice)

    response = client.post(
        reverse("governance:edit", args=[case.pk]),
        form_data(
            title=case.title,
            department=str(sales.pk),
            model=str(case.model_id),
            requests_per_month="9000",
            input_tokens="2000",
            output_tokens="400",
            description=case.description,
            value_environmental="1",
            value_social="3",
            value_economic="4",
            value_justification=case.value_justification,
            alternatives=case.alternatives,
        ),
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == "submitted"
    assert "went back for a decision" in response.content.decode()


def test_the_list_filters_by_quadrant_and_status(client, alice, bruno, root):
    use_case(alice, status="submitted", title="Small")
    use_case(alice, status="draft", title="Draft one")
    client.force_login(root)

    by_status = client.get(reverse("governance:list"), {"status": "draft"})
    assert [row[0].title for row in by_status.context["rows"]] == ["Draft one"]
    by_quadrant = client.get(reverse("governance:list"), {"quadrant": "go"})
    assert [row[0].title for row in by_quadrant.context["rows"]] == ["Small"]


def test_the_quadrant_filter_in_the_database_agrees_with_the_matrix_rule(alice):
    # Given use cases on both sides of both thresholds, two of them exactly on a threshold
    cases = [
        use_case(alice, status="submitted", title=f"{env}-{requests}", value_environmental=env, value_social=2,
                 value_economic=3, requests_per_month=requests)
        for env in (0, 1, 5)  # mean value 1.67, 2.0, 3.33
        for requests in (10, 400, 200_000)
    ]  # fmt: skip
    limits = services.thresholds()
    limits.value_threshold = 2.0
    limits.impact_threshold_kgco2e = cases[1].yearly_emissions_kgco2e  # 400 requests a month: on the line
    limits.save()

    # Then each quadrant's query returns exactly the use cases the rule puts there
    everything = selectors.visible_use_cases(alice)
    for quadrant in ("go", "optimise", "reconsider", "stop"):
        expected = {case.title for case in cases if services.quadrant(case, limits) == quadrant}
        assert {case.title for case in selectors.in_quadrant(everything, quadrant, limits)} == expected
        assert expected


def test_a_manager_sees_the_decision_queue_on_the_home_page(client, alice, bruno):
    use_case(alice, status="submitted")
    client.force_login(bruno)
    assert "1 use case waits for your decision." in client.get(reverse("portal:home")).content.decode()
