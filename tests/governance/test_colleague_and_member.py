"""Two personas the workflow must refuse: a colleague in the owner's department (who sees its approved
use cases) and a member who joined a use case (who sees it in every status). Neither owns nor decides,
so neither edits, submits, decides nor retires it — in the services, the API and the pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance import services
from governance.models import UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db
Status = UseCase.Status
API = "/api/v1/governance/use-cases/"


@pytest.fixture
def approved(alice, bruno, marc):
    case = use_case(alice, status="approved", decider=bruno)
    services.usecase_join(use_case=case, user=marc)
    return case


@pytest.fixture(params=["colette", "marc"])
def outsider(request, colette, marc):
    """The colleague, then the member."""
    return {"colette": colette, "marc": marc}[request.param]


def test_neither_colleague_nor_member_retires_an_approved_use_case(approved, outsider):
    events_before = approved.events.count()

    with pytest.raises(PermissionDenied):
        services.usecase_retire(use_case=approved, actor=outsider, comment="Not needed.")

    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.events.count() == events_before
    assert not services.can_retire(outsider, approved)


def test_the_owner_and_the_departments_manager_do_retire(alice, bruno):
    for actor in (alice, bruno):
        case = use_case(alice, status="approved", decider=bruno, title=f"Retired by {actor}")
        assert services.can_retire(actor, case)
        assert services.usecase_retire(use_case=case, actor=actor).status == Status.RETIRED
        assert case.events.last().actor == actor


@pytest.mark.parametrize("action", ["approve", "request_changes", "reject"])
def test_neither_colleague_nor_member_decides(alice, marc, outsider, action):
    case = use_case(alice, status="submitted")
    services.usecase_join(use_case=case, user=marc)

    with pytest.raises(PermissionDenied, match="managers of its department"):
        getattr(services, f"usecase_{action}")(use_case=case, actor=outsider, comment="x")
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert not services.is_decider(outsider, case)


def test_neither_colleague_nor_member_edits_or_submits(alice, marc, outsider):
    case = use_case(alice)
    services.usecase_join(use_case=case, user=marc)

    with pytest.raises(PermissionDenied):
        services.usecase_update(use_case=case, actor=outsider, ai_act_tier="prohibited")
    with pytest.raises(PermissionDenied):
        services.usecase_submit(use_case=case, actor=outsider)
    case.refresh_from_db()
    assert (case.status, case.ai_act_tier) == (Status.DRAFT, "minimal")
    assert not services.can_edit(outsider, case)


def test_api_colleague_and_member_get_403_on_retire_and_edit(client, approved, outsider):
    client.force_login(outsider)

    assert client.get(f"{API}{approved.pk}/").json()["status"] == "approved"
    retire = client.post(f"{API}{approved.pk}/retire/", {"comment": "x"}, content_type="application/json")
    edit = client.patch(f"{API}{approved.pk}/", {"title": "Mine"}, content_type="application/json")

    assert (retire.status_code, edit.status_code) == (403, 403)
    approved.refresh_from_db()
    assert (approved.status, approved.title) == (Status.APPROVED, "Summarise customer feedback")


def test_a_member_sees_a_draft_a_colleague_does_not(client, alice, colette, marc):
    case = use_case(alice)
    services.usecase_join(use_case=case, user=marc)

    client.force_login(marc)
    assert client.get(f"{API}{case.pk}/").json()["title"] == case.title
    client.force_login(colette)
    assert client.get(f"{API}{case.pk}/").status_code == 404


def test_page_no_retire_form_for_colleague_or_member_and_a_forged_post_is_refused(client, approved, outsider):
    client.force_login(outsider)
    detail = client.get(reverse("governance:detail", args=[approved.pk])).content.decode()
    forged = client.post(reverse("governance:transition", args=[approved.pk, "retire"]), {"comment": ""})

    assert "Retire this use case" not in detail and "Your decision" not in detail
    assert forged.status_code == 403
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_page_the_owner_sees_the_retire_form(client, alice, approved):
    client.force_login(alice)
    assert (
        "Retire this use case"
        in client.get(reverse("governance:detail", args=[approved.pk])).content.decode()
    )


def test_api_every_refusal_leaves_the_use_case_and_its_history_as_they_were(client, alice, bruno, carla):
    """Not only the status codes: a refused call changes nothing and says why."""
    case = use_case(alice, status="submitted")

    def unchanged(status="submitted", events=2):
        case.refresh_from_db()
        assert (case.status, case.title, case.events.count()) == (
            status,
            "Summarise customer feedback",
            events,
        )

    client.force_login(alice)
    own = client.post(f"{API}{case.pk}/approve/")
    assert own.status_code == 403 and "your own use case" in own.content.decode()
    unchanged()
    resubmit = client.post(f"{API}{case.pk}/submit/")
    assert resubmit.status_code == 409 and "Submitted" in resubmit.content.decode()
    unchanged()
    assert (
        client.patch(f"{API}{case.pk}/", {"title": "x"}, content_type="application/json").status_code == 409
    )
    unchanged()

    client.force_login(carla)
    assert client.post(f"{API}{case.pk}/approve/").status_code == 404
    unchanged()

    client.force_login(bruno)
    no_reason = client.post(f"{API}{case.pk}/reject/", {"comment": " "}, content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["errors"] == {
        "comment": ["Say why: the owner needs a reason."]
    }
    unchanged()
    assert client.post(f"{API}{case.pk}/approve/").status_code == 200
    late = client.post(f"{API}{case.pk}/reject/", {"comment": "late"}, content_type="application/json")
    assert late.status_code == 409
    unchanged(status="approved", events=3)
