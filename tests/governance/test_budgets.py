"""Use-case budgets through the services: set by the approval, checked, audited, and what drift compares."""

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import services
from governance.models import NOTE_MAX_CHARS, UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db
Status = UseCase.Status


def high_bound(case: UseCase) -> float:
    return case.footprint["emissions_kgco2e"]["high"]


def test_approving_sets_the_default_budget_the_estimates_high_bound_and_records_it(alice, bruno):
    # Given a submitted use case
    case = use_case(alice, status="submitted")
    assert case.budget_kgco2e_per_year is None

    # When its manager approves it without saying a budget
    case = services.usecase_approve(use_case=case, actor=bruno)

    # Then its budget is the approved estimate's high bound, and the decision's event says so
    assert case.budget_kgco2e_per_year == high_bound(case) == case.default_budget_kgco2e_per_year
    assert case.budget_reason == ""
    event = case.events.last()
    assert event.to_status == Status.APPROVED
    assert event.changes == {"budget_kgco2e_per_year": [None, high_bound(case)]}


def test_a_custom_budget_with_its_reason_is_kept_and_recorded(alice, bruno):
    case = use_case(alice, status="submitted")

    case = services.usecase_approve(
        use_case=case, actor=bruno, budget_kgco2e_per_year=12.5, budget_reason="  Pilot: half the users.  "
    )

    case.refresh_from_db()
    assert (case.budget_kgco2e_per_year, case.budget_reason) == (12.5, "Pilot: half the users.")
    assert case.events.last().changes == {
        "budget_kgco2e_per_year": [None, 12.5],
        "budget_reason": ["", "Pilot: half the users."],
    }


def test_a_custom_budget_without_a_reason_is_refused_and_nothing_is_decided(alice, bruno):
    case = use_case(alice, status="submitted")
    events = case.events.count()

    with pytest.raises(ValidationError) as error:
        services.usecase_approve(use_case=case, actor=bruno, budget_kgco2e_per_year=12.5, budget_reason="  ")

    assert list(error.value.message_dict) == ["budget_reason"]
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year is None
    assert case.events.count() == events


def test_the_default_budget_sent_back_as_it_was_needs_no_reason(alice, bruno):
    """An API client that sends the default it read (a float through JSON) sets the default."""
    case = use_case(alice, status="submitted")
    default = case.default_budget_kgco2e_per_year

    case = services.usecase_approve(use_case=case, actor=bruno, budget_kgco2e_per_year=default * (1 + 1e-12))

    assert case.budget_kgco2e_per_year == default and case.budget_reason == ""


@pytest.mark.parametrize("budget", [0, -1.0, math.inf, -math.inf, math.nan, "many", "12.5"])
def test_a_budget_that_is_not_a_finite_positive_number_is_refused(alice, bruno, budget):
    case = use_case(alice, status="submitted")

    if budget == "12.5":  # a numeric string is a number: accepted (with its reason)
        services.usecase_approve(use_case=case, actor=bruno, budget_kgco2e_per_year=budget, budget_reason="x")
        assert UseCase.objects.get(pk=case.pk).budget_kgco2e_per_year == 12.5
        return
    with pytest.raises(ValidationError) as error:
        services.usecase_approve(use_case=case, actor=bruno, budget_kgco2e_per_year=budget, budget_reason="x")

    assert list(error.value.message_dict) == ["budget_kgco2e_per_year"]
    assert UseCase.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_reason_longer_than_a_note_is_refused_with_the_field_named(alice, bruno):
    case = use_case(alice, status="submitted")

    with pytest.raises(ValidationError) as error:
        services.usecase_approve(
            use_case=case, actor=bruno, budget_kgco2e_per_year=5, budget_reason="x" * (NOTE_MAX_CHARS + 1)
        )

    assert list(error.value.message_dict) == ["budget_reason"]


@pytest.mark.parametrize("persona", ["employee", "colleague", "member", "other_manager"])
def test_only_deciders_set_a_budget(personas, persona):
    # Given alice's submitted use case, which marc joined
    alice = personas["employee"]
    case = use_case(alice, status="submitted")
    services.usecase_join(use_case=case, user=personas["member"])

    # When anyone but its deciders approves it with a budget
    with pytest.raises(PermissionDenied):
        services.usecase_approve(
            use_case=case, actor=personas[persona], budget_kgco2e_per_year=1, budget_reason="Mine."
        )

    # Then nothing changed
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year is None


def test_an_admin_sets_a_budget(alice, root):
    case = use_case(alice, status="submitted")

    case = services.usecase_approve(
        use_case=case, actor=root, budget_kgco2e_per_year=3, budget_reason="Org cap."
    )

    assert case.budget_kgco2e_per_year == 3


def test_a_re_review_approval_sets_the_budget_again_and_records_before_and_after(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    case = services.usecase_start_review(use_case=case, reason="Scheduled re-review.")

    case = services.usecase_approve(
        use_case=case, actor=bruno, budget_kgco2e_per_year=high_bound(case) / 2, budget_reason="Halve it."
    )

    assert case.status == Status.APPROVED and case.budget_kgco2e_per_year == high_bound(case) / 2
    assert case.events.last().changes == {
        "budget_kgco2e_per_year": [high_bound(case), high_bound(case) / 2],
        "budget_reason": ["", "Halve it."],
    }
    # Approved again with the default figure given: the reason of the earlier budget goes with it
    # (without a figure the budget set with a reason is carried over: tests/governance/test_budget_change.py)
    case = services.usecase_start_review(use_case=case, reason="Scheduled re-review.")
    case = services.usecase_approve(use_case=case, actor=bruno, budget_kgco2e_per_year=high_bound(case))
    assert (case.budget_kgco2e_per_year, case.budget_reason) == (high_bound(case), "")


def test_the_history_shows_the_budget_readably(alice, bruno):
    case = use_case(alice, status="submitted")
    case = services.usecase_approve(
        use_case=case, actor=bruno, budget_kgco2e_per_year=1234.5678, budget_reason="R"
    )

    rows = case.events.last().change_rows()

    # (in any order: PostgreSQL's JSON keeps no key order)
    assert sorted(rows) == [
        ("reason for the budget", "", "R"),
        ("yearly footprint budget (kgCO2e)", None, "1,234.568"),
    ]


@pytest.mark.parametrize(
    ("budget_of_central", "actual_of_central", "drifting"),
    [
        # A budget below the estimate: usage at the estimate already drifts
        (0.5, 0.6, True),
        (0.5, 0.5, False),
        # A budget above the default (three times the estimate): usage at twice the estimate does not
        (3.0, 2.0, False),
        (3.0, 3.1, True),
    ],
)
def test_drift_compares_actual_usage_with_the_decided_budget(
    alice, bruno, budget_of_central, actual_of_central, drifting
):
    case = use_case(alice, status="submitted")
    central = case.yearly_emissions_kgco2e
    case = services.usecase_approve(
        use_case=case,
        actor=bruno,
        budget_kgco2e_per_year=central * budget_of_central,
        budget_reason="Decided.",
    )

    started = services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=central * actual_of_central)

    assert started is drifting
    case.refresh_from_db()
    assert case.status == (Status.UNDER_REVIEW if drifting else Status.APPROVED)


def test_a_change_after_approval_keeps_the_budget_until_the_new_decision(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    budget = case.budget_kgco2e_per_year

    case = services.usecase_update(use_case=case, actor=alice, requests_per_month=case.requests_per_month * 2)

    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year == budget
    # The new decision's default is the new estimate's high bound
    case = services.usecase_approve(use_case=case, actor=bruno)
    assert case.budget_kgco2e_per_year == high_bound(case) > budget
