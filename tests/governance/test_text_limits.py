"""Text fields have sane limits (issue 14, defect 10): too long is a clear error naming the field —
a form message, or a 400 in the API — never a 500, and nothing is half saved or half decided."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services
from governance.models import NOTE_MAX_CHARS, TEXT_MAX_CHARS, UseCase, UseCaseEvent
from tests.factories import use_case, use_case_fields
from tests.governance.test_api import PAYLOAD
from tests.governance.test_views import form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/governance/use-cases/"


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", 200),
        ("description", TEXT_MAX_CHARS),
        ("value_justification", TEXT_MAX_CHARS),
        ("alternatives", TEXT_MAX_CHARS),
    ],
)
def test_the_service_refuses_a_text_over_its_limit_and_keeps_one_at_it(alice, field, limit):
    with pytest.raises(ValidationError) as error:
        services.usecase_create(owner=alice, **use_case_fields(**{field: "x" * (limit + 1)}))
    assert field in error.value.message_dict
    assert not UseCase.objects.exists()

    assert (
        len(getattr(services.usecase_create(owner=alice, **use_case_fields(**{field: "x" * limit})), field))
        == limit
    )


@pytest.mark.parametrize("field", ["title", "description", "value_justification", "alternatives"])
def test_api_too_long_is_a_400_naming_the_field(client, alice, field):
    client.force_login(alice)
    response = client.post(
        API, {**PAYLOAD, field: "x" * (TEXT_MAX_CHARS + 1)}, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not UseCase.objects.exists()


def test_api_a_too_long_edit_changes_nothing(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(alice)

    response = client.patch(
        f"{API}{case.pk}/", {"description": "x" * (TEXT_MAX_CHARS + 1)}, content_type="application/json"
    )

    assert response.status_code == 400 and "description" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == "approved" and case.description == "Weekly summary of the feedback forms."


@pytest.mark.parametrize("field", ["comment", "conditions"])
def test_api_a_too_long_decision_note_is_a_400_and_nothing_is_decided(client, alice, bruno, field):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    response = client.post(
        f"{API}{case.pk}/approve/", {field: "x" * (NOTE_MAX_CHARS + 1)}, content_type="application/json"
    )

    assert response.status_code == 400 and field in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == "submitted" and case.events.count() == 2


@pytest.mark.parametrize("action", ["approve", "reject", "request_changes"])
def test_the_service_refuses_a_too_long_comment(alice, bruno, action):
    case = use_case(alice, status="submitted")
    with pytest.raises(ValidationError) as error:
        getattr(services, f"usecase_{action}")(use_case=case, actor=bruno, comment="x" * (NOTE_MAX_CHARS + 1))
    assert "comment" in error.value.message_dict
    assert UseCaseEvent.objects.filter(use_case=case).count() == 2


def test_the_service_refuses_too_long_conditions_and_a_too_long_retirement_reason(alice, bruno):
    case = use_case(alice, status="submitted")
    with pytest.raises(ValidationError) as error:
        services.usecase_approve(use_case=case, actor=bruno, conditions="x" * (NOTE_MAX_CHARS + 1))
    assert "conditions" in error.value.message_dict

    approved = services.usecase_approve(use_case=case, actor=bruno, conditions="x" * NOTE_MAX_CHARS)
    with pytest.raises(ValidationError):
        services.usecase_retire(use_case=approved, actor=alice, comment="x" * (NOTE_MAX_CHARS + 1))
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_page_a_too_long_comment_decides_nothing_and_says_why(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    response = client.post(
        reverse("governance:transition", args=[case.pk, "approve"]),
        {"comment": "x" * (NOTE_MAX_CHARS + 1)},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == "submitted"
    assert f"at most {NOTE_MAX_CHARS} characters" in response.content.decode()


def test_page_a_too_long_description_is_a_form_error(client, alice, sales):
    client.force_login(alice)
    response = client.post(
        reverse("governance:create"),
        form_data(department=str(sales.pk), description="x" * (TEXT_MAX_CHARS + 1)),
    )
    assert response.status_code == 200 and "description" in response.context["form"].errors
    assert not UseCase.objects.exists()
