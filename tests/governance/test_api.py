import pytest

from governance.models import UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance/use-cases/"

PAYLOAD = {
    "title": "Draft job offers",
    "description": "First drafts of job offers from the hiring manager's notes.",
    "task_type": "text_generation",
    "model": "mistral-small",
    "region": "europe-west9",
    "requests_per_month": 30,
    "input_tokens": 600,
    "output_tokens": 700,
    "iterations_per_task": 2,
    "users": 4,
    "value_environmental": 1,
    "value_social": 3,
    "value_economic": 3,
    "value_justification": "Faster offers.",
    "alternatives": "Templates; no AI.",
    "personal_data": False,
    "public_facing": True,
    "ai_act_tier": "limited",
}


def test_an_employee_registers_and_submits_and_a_manager_decides_through_the_api(client, alice, bruno):
    client.force_login(alice)
    created = client.post(BASE, PAYLOAD, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["department"] == "Sales" and body["quadrant"] is None

    submitted = client.post(f"{BASE}{body['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["footprint"]["emissions_kgco2e"]["central"] > 0
    assert submitted.json()["quadrant"] in {"go", "optimise", "reconsider", "stop"}

    client.force_login(bruno)
    approved = client.post(
        f"{BASE}{body['id']}/approve/",
        {"comment": "OK", "conditions": "EU only"},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["conditions"] == "EU only"

    events = client.get(f"{BASE}{body['id']}/events/").json()["results"]
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in events] == [
        ("", "draft", "alice"),
        ("draft", "submitted", "alice"),
        ("submitted", "approved", "bruno"),
    ]
    assert events[-1]["footprint"] == submitted.json()["footprint"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"model": "nope"}, "model"),
        ({"model": "sdxl"}, "model"),
        ({"value_social": 9}, "value_social"),
        ({"output_tokens": -1}, "output_tokens"),
        ({"region": "mars-1"}, "region"),
        ({"title": ""}, "title"),
        ({"ai_act_tier": "extreme"}, "ai_act_tier"),
        ({"department": "Nowhere"}, "department"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(client, alice, change, field):
    client.force_login(alice)
    response = client.post(BASE, {**PAYLOAD, **change}, content_type="application/json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not UseCase.objects.exists()


def test_errors_403_404_and_409(client, alice, bruno, carla):
    case = use_case(alice, status="submitted")

    client.force_login(alice)
    assert client.post(f"{BASE}{case.pk}/approve/").status_code == 403  # own use case
    assert client.post(f"{BASE}{case.pk}/submit/").status_code == 409  # already submitted
    assert (
        client.patch(f"{BASE}{case.pk}/", {"title": "x"}, content_type="application/json").status_code == 409
    )

    client.force_login(carla)
    assert client.get(f"{BASE}{case.pk}/").status_code == 404  # another department's
    assert client.post(f"{BASE}{case.pk}/approve/").status_code == 404

    client.force_login(bruno)
    assert (
        client.post(f"{BASE}{case.pk}/reject/", {"comment": ""}, content_type="application/json").status_code
        == 400
    )
    assert client.post(f"{BASE}{case.pk}/approve/").status_code == 200
    assert (
        client.post(
            f"{BASE}{case.pk}/reject/", {"comment": "late"}, content_type="application/json"
        ).status_code
        == 409
    )
    assert (
        client.patch(f"{BASE}{case.pk}/", {"title": "x"}, content_type="application/json").status_code == 403
    )


def test_a_material_patch_sends_an_approved_use_case_back(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(alice)

    response = client.patch(f"{BASE}{case.pk}/", {"region": "asia-south1"}, content_type="application/json")

    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_lists_show_each_person_what_they_may_see(client, alice, bruno, carla, root, research):
    mine = use_case(alice, title="Mine, a draft")
    approved_in_sales = use_case(bruno, status="approved", decider=root, title="Sales, approved")
    draft_in_sales = use_case(bruno, title="Sales, a manager's draft")
    research_case = use_case(carla, department=research, title="Research")

    def titles(user):
        client.force_login(user)
        return {row["title"] for row in client.get(BASE).json()["results"]}

    assert titles(alice) == {mine.title, approved_in_sales.title}
    assert titles(bruno) == {mine.title, approved_in_sales.title, draft_in_sales.title}
    assert titles(carla) == {research_case.title}
    assert titles(root) == {mine.title, approved_in_sales.title, draft_in_sales.title, research_case.title}


def test_the_list_costs_a_constant_number_of_queries(client, alice, django_assert_max_num_queries):
    for index in range(6):
        use_case(alice, status="submitted", title=f"Case {index}")
    client.force_login(alice)
    with django_assert_max_num_queries(7):  # the page's count is one more
        assert len(client.get(BASE).json()["results"]) == 6
