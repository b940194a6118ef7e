"""No approval bypass: what a decider approved is what runs.

Issue 14, defect 1: after approval the owner could change the AI Act tier (even to "prohibited"), the
risk screen, the value scores, the title, the description or the department, and the use case stayed
approved with no event; a department change handed the approval to managers who never decided.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from estimator.models import AIModel
from governance import services
from governance.models import UseCase, UseCaseEvent
from portal.models import User
from tests.factories import UserFactory, use_case
from tests.governance.test_views import form_data

pytestmark = pytest.mark.django_db
Status = UseCase.Status
API = "/api/v1/governance/use-cases/"


# Every field a decider reads, with a new value and how the audit trail keeps before → after.
CHANGES = [
    ("title", "Summarise every customer e-mail", "Summarise customer feedback"),
    ("description", "Now also the e-mails.", "Weekly summary of the feedback forms."),
    ("task_type", "text_generation", "summarisation"),
    ("ai_act_tier", "prohibited", "minimal"),
    ("ai_act_tier", "high", "minimal"),
    ("personal_data", True, False),
    ("public_facing", True, False),
    ("value_environmental", 5, 1),
    ("value_social", 0, 3),
    ("value_economic", 5, 4),
    ("value_justification", "Saves a week a week.", "Saves half a day a week."),
    ("alternatives", "None.", "Reading the forms; no AI."),
    ("region", "asia-south1", "europe-west9"),
    ("requests_per_month", 4000, 400),
    ("iterations_per_task", 3.0, 2.0),
    ("users", 30, 3),
]


@pytest.mark.parametrize(("field", "after", "before"), CHANGES)
def test_any_change_to_an_approved_use_case_sends_it_back_with_before_and_after(
    alice, bruno, field, after, before, django_capture_on_commit_callbacks
):
    case = use_case(alice, status="approved", decider=bruno)
    events_before = case.events.count()

    with django_capture_on_commit_callbacks() as enqueued:
        changed = services.usecase_update(use_case=case, actor=alice, **{field: after})

    changed.refresh_from_db()
    assert changed.status == Status.SUBMITTED
    assert case.events.count() == events_before + 1
    event = case.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("approved", "submitted", alice)
    assert event.changes == {field: [before, after]}
    assert len(enqueued) == 1  # the deciders hear of it


def test_a_prohibited_tier_is_never_left_approved(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)

    services.usecase_update(use_case=case, actor=alice, ai_act_tier="prohibited", personal_data=True)

    assert not UseCase.objects.filter(status=Status.APPROVED, ai_act_tier="prohibited").exists()
    event = case.events.last()
    assert event.changes == {"ai_act_tier": ["minimal", "prohibited"], "personal_data": [False, True]}
    assert ("EU AI Act tier", "Minimal risk", "Prohibited practice") in event.change_rows()


def test_saving_an_approved_use_case_unchanged_keeps_the_approval_and_writes_nothing(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    events_before = case.events.count()

    same = services.usecase_update(
        use_case=case, actor=alice, title=case.title, model=case.model, iterations_per_task=2
    )

    assert same.status == Status.APPROVED and case.events.count() == events_before


def test_editing_a_draft_writes_no_event(alice):
    case = use_case(alice)
    services.usecase_update(use_case=case, actor=alice, title="A better title")
    case.refresh_from_db()
    assert case.status == Status.DRAFT and case.events.count() == 1


@pytest.fixture
def manager_of_two(sales, research) -> User:
    """A manager in Sales who also manages Research: registers in either."""
    return UserFactory(username="mona", role=User.Role.MANAGER, department=sales, manages=[research])


def test_moving_an_approved_use_case_to_another_department_goes_to_its_managers(
    manager_of_two, bruno, carla, sales, research, django_capture_on_commit_callbacks
):
    case = use_case(manager_of_two, status="approved", decider=bruno)  # decided by Sales' manager

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.usecase_update(use_case=case, actor=manager_of_two, department=research)

    moved.refresh_from_db()
    assert moved.status == Status.SUBMITTED and moved.department == research
    assert case.events.last().changes == {"department": ["Sales", "Research"]}
    # Research's manager decides now; Sales' manager no longer can.
    assert services.is_decider(carla, moved) and not services.is_decider(bruno, moved)
    assert services.usecase_approve(use_case=moved, actor=carla).status == Status.APPROVED


def test_an_employee_registers_only_in_their_own_department(alice, research):
    with pytest.raises(ValidationError) as error:
        use_case(alice, department=research)

    assert error.value.message_dict["department"] == [
        "Register use cases in your own department (or one you manage)."
    ]
    assert not UseCase.objects.exists() and not UseCaseEvent.objects.exists()


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_an_employee_cannot_move_a_use_case_to_a_department_they_do_not_belong_to(
    alice, bruno, research, sales, status
):
    case = use_case(alice, status=status, decider=bruno)
    events_before = case.events.count()

    with pytest.raises(ValidationError) as error:
        services.usecase_update(use_case=case, actor=alice, department=research, title="Moved")

    assert "department" in error.value.message_dict
    case.refresh_from_db()
    assert (case.department, case.status, case.title) == (sales, status, "Summarise customer feedback")
    assert case.events.count() == events_before


def test_managers_register_in_the_departments_they_manage_and_admins_anywhere(
    manager_of_two, root, research, sales
):
    assert use_case(manager_of_two, department=research).department == research
    assert use_case(root, department=sales).department == sales


# --- The same rules through the API ------------------------------------------------------------------


def test_api_a_tier_change_after_approval_sends_it_back_and_the_events_show_it(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(alice)

    response = client.patch(
        f"{API}{case.pk}/", {"ai_act_tier": "prohibited"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["status"] == "submitted"
    last = client.get(f"{API}{case.pk}/events/").json()["results"][-1]
    assert (last["from_status"], last["to_status"], last["actor"]) == ("approved", "submitted", "alice")
    assert last["changes"] == {"ai_act_tier": ["minimal", "prohibited"]}


def test_api_an_employee_cannot_register_or_move_into_another_department(client, alice, bruno, research):
    client.force_login(alice)
    payload = {
        "title": "Draft job offers",
        "description": "First drafts.",
        "task_type": "text_generation",
        "model": "mistral-small",
        "region": "europe-west9",
        "requests_per_month": 30,
        "output_tokens": 700,
        "users": 4,
        "value_environmental": 1,
        "value_social": 3,
        "value_economic": 3,
        "value_justification": "Faster offers.",
        "alternatives": "Templates.",
        "ai_act_tier": "limited",
        "department": "Research",
    }
    created = client.post(API, payload, content_type="application/json")
    assert created.status_code == 400 and "department" in created.json()["errors"]
    assert not UseCase.objects.exists()

    case = use_case(alice, status="approved", decider=bruno)
    moved = client.patch(f"{API}{case.pk}/", {"department": "Research"}, content_type="application/json")
    assert moved.status_code == 400 and "department" in moved.json()["errors"]
    case.refresh_from_db()
    assert case.department.name == "Sales" and case.status == Status.APPROVED


# --- And through the pages ---------------------------------------------------------------------------


def test_page_a_risk_change_after_approval_sends_it_back_and_the_history_shows_it(
    client, alice, bruno, sales
):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(alice)
    data = form_data(
        title=case.title,
        description=case.description,
        department=str(sales.pk),
        model=str(case.model_id),
        requests_per_month="400",
        input_tokens="2000",
        output_tokens="400",
        users="3",
        value_environmental="1",
        value_social="3",
        value_economic="4",
        value_justification=case.value_justification,
        alternatives=case.alternatives,
        ai_act_tier="prohibited",
    )

    response = client.post(reverse("governance:edit", args=[case.pk]), data, follow=True)

    case.refresh_from_db()
    assert case.status == "submitted" and case.ai_act_tier == "prohibited"
    assert case.events.last().changes == {"ai_act_tier": ["minimal", "prohibited"]}
    html = response.content.decode()
    assert "went back for a decision" in html
    assert "<del>Minimal risk</del> → <ins>Prohibited practice</ins>" in html


def test_page_the_department_choices_are_the_users_own(client, alice, research, sales):
    client.force_login(alice)

    form = client.get(reverse("governance:create")).context["form"]
    assert list(form.fields["department"].queryset) == [sales]

    response = client.post(reverse("governance:create"), form_data(department=str(research.pk)))
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert not UseCase.objects.exists()


def test_page_an_image_use_case_can_change_size_after_approval(client, alice, bruno):
    """Sizes are part of what was approved too (an image profile, not only text)."""
    case = use_case(
        alice,
        status="approved",
        decider=bruno,
        task_type="image_generation",
        model=AIModel.objects.get(slug="sdxl"),
        output_tokens=0,
        input_tokens=0,
        images_per_request=1,
    )
    changed = services.usecase_update(use_case=case, actor=alice, image_width=2048, image_height=2048)
    assert changed.status == Status.SUBMITTED
    assert case.events.last().changes == {"image_width": [None, 2048], "image_height": [None, 2048]}
