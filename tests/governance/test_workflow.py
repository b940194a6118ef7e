"""The use-case workflow through its services: who may do what, from which status, and what it records."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from estimator import services as estimator
from estimator.models import AIModel
from governance import notifications, services, tasks
from governance.models import Notification, UseCase, UseCaseEvent
from tests.factories import UserFactory, use_case, use_case_fields

pytestmark = pytest.mark.django_db
Status = UseCase.Status
STATUSES = [s.value for s in Status]


def test_registering_creates_a_draft_with_its_first_event(alice):
    case = services.usecase_create(owner=alice, **use_case_fields())

    assert case.status == Status.DRAFT and case.department == alice.department and case.footprint is None
    assert [(e.from_status, e.to_status, e.actor) for e in case.events.all()] == [("", "draft", alice)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"model": "sdxl"}, "model"),
        ({"task_type": "image_generation"}, "model"),
        ({"output_tokens": 0}, "output_tokens"),
        ({"region": "mars-1"}, "region"),
        ({"iterations_per_task": 0.5}, "iterations_per_task"),
        ({"value_social": 6}, "value_social"),
    ],
)
def test_bad_profiles_are_refused_with_the_field_named_and_nothing_saved(alice, overrides, field):
    if overrides.get("model") == "sdxl":
        overrides["model"] = AIModel.objects.get(slug="sdxl")
    with pytest.raises(ValidationError) as error:
        services.usecase_create(owner=alice, **use_case_fields(**overrides))

    assert field in error.value.message_dict
    assert not UseCase.objects.exists() and not UseCaseEvent.objects.exists()


def test_submission_stores_the_estimators_yearly_footprint(alice):
    case = services.usecase_submit(use_case=use_case(alice), actor=alice)

    expected = estimator.estimate(
        "text",
        model="gpt-4o-mini",
        requests=400 * 12,
        output_tokens=400,
        input_tokens=2000,
        iterations=2,
        region="europe-west9",
    ).as_dict()
    assert case.status == Status.SUBMITTED and case.footprint == expected
    assert case.estimator_version == expected["estimator_version"]
    event = case.events.last()
    assert (event.from_status, event.to_status, event.footprint) == ("draft", "submitted", expected)


def test_an_image_use_case_counts_images_per_request(alice):
    case = use_case(
        alice,
        status="submitted",
        task_type="image_generation",
        model=AIModel.objects.get(slug="sdxl"),
        output_tokens=0,
        input_tokens=0,
        images_per_request=3,
        iterations_per_task=2,
        requests_per_month=10,
    )
    assert (
        case.footprint
        == estimator.estimate(
            "image", model="sdxl", images=360, iterations=2, region="europe-west9"
        ).as_dict()
    )


# (action, allowed from, to)
TRANSITIONS = {
    "submit": ({"draft", "changes_requested"}, "submitted"),
    "approve": ({"submitted", "under_review"}, "approved"),
    "request_changes": ({"submitted", "under_review"}, "changes_requested"),
    "reject": ({"submitted", "under_review"}, "rejected"),
    "retire": ({"approved", "under_review"}, "retired"),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_each_action_from_each_status(alice, bruno, action, status):
    case = use_case(alice, status=status, decider=bruno)
    allowed, target = TRANSITIONS[action]
    actor = alice if action == "submit" else bruno
    params = {"comment": "Because."} if action in ("request_changes", "reject") else {}
    events_before = case.events.count()

    if status in allowed:
        result = getattr(services, f"usecase_{action}")(use_case=case, actor=actor, **params)
        assert result.status == target
        assert case.events.count() == events_before + 1
        assert case.events.last().actor == actor
    else:
        with pytest.raises(services.TransitionConflict):
            getattr(services, f"usecase_{action}")(use_case=case, actor=actor, **params)
        case.refresh_from_db()
        assert case.status == status and case.events.count() == events_before


@pytest.mark.parametrize("action", ["approve", "request_changes", "reject"])
def test_nobody_decides_on_their_own_use_case_not_even_an_admin(root, action):
    case = use_case(root, status="submitted")

    with pytest.raises(PermissionDenied, match="your own use case"):
        getattr(services, f"usecase_{action}")(use_case=case, actor=root, comment="x")


def test_only_managers_of_the_department_and_admins_decide(alice, bruno, carla, root):
    case = use_case(alice, status="submitted")

    with pytest.raises(PermissionDenied):
        services.usecase_approve(use_case=case, actor=carla)  # manages another department
    assert services.usecase_approve(use_case=case, actor=root).status == Status.APPROVED


def test_only_the_owner_submits_and_edits(alice, bruno):
    case = use_case(alice)
    with pytest.raises(PermissionDenied):
        services.usecase_submit(use_case=case, actor=bruno)
    with pytest.raises(PermissionDenied):
        services.usecase_update(use_case=case, actor=bruno, title="Mine now")


@pytest.mark.parametrize("action", ["request_changes", "reject"])
@pytest.mark.parametrize("comment", ["", "   "])
def test_a_comment_is_required_to_reject_or_request_changes(alice, bruno, action, comment):
    case = use_case(alice, status="submitted")

    with pytest.raises(ValidationError) as error:
        getattr(services, f"usecase_{action}")(use_case=case, actor=bruno, comment=comment)

    assert "comment" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_approval_keeps_conditions_and_schedules_the_re_review(alice, bruno, settings):
    settings.GOVERNANCE_REVIEW_MONTHS = 12
    case = use_case(alice, status="submitted")

    case = services.usecase_approve(
        use_case=case, actor=bruno, comment="Fine.", conditions="EU regions only."
    )

    assert case.conditions == "EU regions only."
    assert case.review_due_on == timezone.localdate().replace(
        year=timezone.localdate().year + 1, day=min(timezone.localdate().day, 28)
    )
    assert case.events.last().conditions == "EU regions only."


def test_a_material_change_to_an_approved_use_case_needs_approval_again(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)

    changed = services.usecase_update(use_case=case, actor=alice, requests_per_month=4000)

    assert changed.status == Status.SUBMITTED
    assert changed.footprint["inputs"]["requests"] == 4000 * 12
    event = changed.events.last()
    assert (event.from_status, event.to_status) == ("approved", "submitted")


def test_even_a_description_change_sends_an_approved_use_case_back(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)

    changed = services.usecase_update(use_case=case, actor=alice, description="Clearer description.")

    assert changed.status == Status.SUBMITTED
    assert changed.events.last().changes == {
        "description": ["Weekly summary of the feedback forms.", "Clearer description."]
    }


def test_a_submitted_use_case_cannot_be_edited(alice):
    case = use_case(alice, status="submitted")
    with pytest.raises(services.TransitionConflict):
        services.usecase_update(use_case=case, actor=alice, title="Changed")


def test_due_re_reviews_start_once_and_notify_the_deciders(alice, bruno, django_capture_on_commit_callbacks):
    case = use_case(alice, status="approved", decider=bruno)
    UseCase.objects.filter(pk=case.pk).update(review_due_on=timezone.localdate() - datetime.timedelta(days=1))

    with django_capture_on_commit_callbacks() as enqueued:
        assert tasks.usecase_start_due_reviews_task() == 1
        assert tasks.usecase_start_due_reviews_task() == 0

    case.refresh_from_db()
    event = case.events.last()
    assert case.status == Status.UNDER_REVIEW and event.actor is None
    assert len(enqueued) == 1  # one notification task, sent once the transaction commits
    tasks.usecase_notify_deciders_task(event.pk)
    assert [message.to for message in mail.outbox] == [[bruno.email]]
    assert "Use case to review again" in mail.outbox[0].subject


def test_usage_drift_above_the_budget_starts_a_re_review(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    budget = case.budget_kgco2e_per_year
    assert budget == case.footprint["emissions_kgco2e"]["high"] > case.yearly_emissions_kgco2e

    # Above the central estimate but within the budget: nothing happens
    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget * 0.99) is False
    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget * 2) is True
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW
    assert case.events.last().comment == (
        f"Actual usage ({budget * 2:.0f} kgCO2e a year) runs above the use case's budget ({budget:.0f} kgCO2e a year)."
    )


def test_drift_re_reviews_only_approved_use_cases_once(alice, bruno):
    # A use case changed after approval goes back for decision and keeps its budget: usage above it
    # starts nothing, since it is already waiting for a decision.
    case = use_case(alice, status="approved", decider=bruno)
    budget = case.budget_kgco2e_per_year
    case = services.usecase_update(use_case=case, actor=alice, requests_per_month=case.requests_per_month * 2)
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year == budget

    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget * 5) is False
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_drift_seen_by_two_checks_at_once_starts_one_re_review(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    stale = UseCase.objects.get(pk=case.pk)  # the second check read the use case before the first moved it
    budget = case.budget_kgco2e_per_year

    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget * 2) is True
    assert services.usecase_check_drift(use_case=stale, actual_yearly_kgco2e=budget * 2) is False
    assert case.events.filter(to_status=Status.UNDER_REVIEW).count() == 1


@pytest.mark.parametrize(
    ("ratio", "drifting"),
    [(0.5, False), (0.99, False), (1.0, False), (1.01, True), (3, True)],
)
def test_drift_starts_only_above_the_budget(ratio, drifting):
    """Exactly the budget is within it; a hundredth above drifts."""
    assert services.drifts(budget_kgco2e=1000, actual_kgco2e=1000 * ratio) is drifting


def test_usage_drift_boundary_through_the_service(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    budget = case.budget_kgco2e_per_year

    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget) is False
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=budget * 1.01) is True
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW


def test_notifications_go_to_deciders_then_to_the_owner_in_their_language_once(
    alice, bruno, django_capture_on_commit_callbacks
):
    bruno.language = "fr"
    bruno.save()
    case = use_case(alice)

    with django_capture_on_commit_callbacks() as enqueued:
        case = services.usecase_submit(use_case=case, actor=alice)
        services.usecase_approve(use_case=case, actor=bruno, conditions="EU only.")
    assert len(enqueued) == 2
    submitted_event = case.events.get(to_status="submitted")

    # The tasks the commit enqueues (a real worker runs them in tests/governance/test_worker.py)
    assert tasks.usecase_notify_deciders_task(submitted_event.pk) == 1
    assert tasks.usecase_notify_owner_task(case.events.get(to_status="approved").pk) == 1

    assert [message.to for message in mail.outbox] == [[bruno.email], [alice.email]]
    assert "Cas d'usage à décider" in mail.outbox[0].subject
    assert "Approved" in mail.outbox[1].subject and "EU only." in mail.outbox[1].body

    # Running the same notification task again sends nothing more.
    assert tasks.usecase_notify_deciders_task(submitted_event.pk) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_deciders_are_the_department_managers_or_else_the_admins(alice, bruno, root, research):
    case = use_case(alice)
    assert notifications.deciders_of(case) == [bruno]

    orphan = use_case(UserFactory(username="rita", department=research), title="Elsewhere")
    assert notifications.deciders_of(orphan) == [root]


def test_reminders_go_out_once_a_day_after_the_sla(alice, bruno, settings):
    settings.GOVERNANCE_DECISION_SLA_WORKING_DAYS = 5
    case = use_case(alice, status="submitted")
    monday = datetime.datetime(2026, 11, 2, 9, tzinfo=timezone.get_current_timezone())
    UseCase.objects.filter(pk=case.pk).update(submitted_at=monday)

    assert (
        notifications.usecase_remind_pending(now=monday + datetime.timedelta(days=6)) == 0
    )  # Sunday: 5 working days not past
    assert notifications.usecase_remind_pending(now=monday + datetime.timedelta(days=7, hours=1)) == 1
    assert (
        notifications.usecase_remind_pending(now=monday + datetime.timedelta(days=7, hours=5)) == 0
    )  # same day
    assert notifications.usecase_remind_pending(now=monday + datetime.timedelta(days=8, hours=1)) == 1
    assert "Waiting for your decision" in mail.outbox[0].subject


def test_quadrants_follow_the_admins_thresholds(alice):
    case = use_case(alice, status="submitted")
    limits = services.thresholds()
    emissions = case.yearly_emissions_kgco2e

    limits.impact_threshold_kgco2e = emissions * 2
    assert services.quadrant(case, limits) == "go"  # value 2.67 ≥ 2.5, impact below
    limits.impact_threshold_kgco2e = emissions / 2
    assert services.quadrant(case, limits) == "optimise"
    limits.value_threshold = 4
    assert services.quadrant(case, limits) == "stop"


def test_lever_savings_add_up_and_each_lever_saves(alice):
    case = use_case(alice, status="submitted", region="asia-south1", model=AIModel.objects.get(slug="gpt-4o"))

    levers = services.usecase_levers(case)

    total = levers["baseline_kgco2e"] - levers["improved_kgco2e"]
    assert levers["baseline_kgco2e"] == pytest.approx(case.yearly_emissions_kgco2e)
    assert sum(lever["saving_kgco2e"] for lever in levers["levers"]) == pytest.approx(total)
    assert all(lever["saving_kgco2e"] > 0 for lever in levers["levers"])
    assert levers["options"]["region"] == "europe-north2"


def test_joining_adds_a_member(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    services.usecase_join(use_case=case, user=bruno)
    assert list(case.members.all()) == [bruno]
