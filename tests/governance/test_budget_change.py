"""A use case's budget after its approval: carried over by a re-approval, changed by a decider with a reason
(one service, the page and the API), each change recorded as an event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.forms import DecisionForm
from governance.models import UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db
Status = UseCase.Status


def high_bound(case: UseCase) -> float:
    return case.footprint["emissions_kgco2e"]["high"]


def custom(alice, bruno) -> UseCase:
    """alice's use case approved by bruno with half the default budget, for a reason."""
    case = use_case(alice, status="submitted")
    return services.usecase_approve(
        use_case=case, actor=bruno, budget_kgco2e_per_year=high_bound(case) / 2, budget_reason="Pilot."
    )


# --- Re-approval -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "reason", "expected"),
    [
        # No figure: the budget set with a reason is carried over, with its reason (or a new one)
        (None, "", ("half", "Pilot.")),
        (None, "Still a pilot.", ("half", "Still a pilot.")),
        # The default figure given: back to the approved estimate's high bound, no reason kept
        ("default", "", ("default", "")),
        # Another figure: with its reason
        ("quarter", "Smaller pilot.", ("quarter", "Smaller pilot.")),
    ],
)
def test_a_re_approval_keeps_a_budget_set_with_a_reason_unless_the_decider_gives_another(
    alice, bruno, given, reason, expected
):
    case = custom(alice, bruno)
    figures = {"half": high_bound(case) / 2, "default": high_bound(case), "quarter": high_bound(case) / 4}
    case = services.usecase_start_review(use_case=case, reason="Scheduled re-review.")

    case = services.usecase_approve(
        use_case=case,
        actor=bruno,
        budget_kgco2e_per_year=figures[given] if given else None,
        budget_reason=reason,
    )

    assert (case.budget_kgco2e_per_year, case.budget_reason) == (figures[expected[0]], expected[1])


def test_a_re_approval_of_a_default_budget_takes_the_new_estimates_high_bound(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    case = services.usecase_update(use_case=case, actor=alice, requests_per_month=case.requests_per_month * 2)

    case = services.usecase_approve(use_case=case, actor=bruno)

    assert (case.budget_kgco2e_per_year, case.budget_reason) == (high_bound(case), "")


def test_the_decision_form_shows_the_current_budget_and_the_default(alice, bruno):
    case = services.usecase_start_review(use_case=custom(alice, bruno), reason="Scheduled re-review.")

    help_text = str(DecisionForm(use_case=case).fields["budget_kgco2e_per_year"].help_text)

    assert "Pilot." in help_text
    assert (
        f"{case.budget_kgco2e_per_year:,.0f}"[:3] in help_text and f"{high_bound(case):,.0f}"[:3] in help_text
    )


def test_a_deciders_reason_is_shown_as_text_in_the_decision_form_never_as_html(client, alice, bruno, root):
    # Given a budget set with a reason that holds markup, then a re-review
    case = use_case(alice, status="submitted")
    case = services.usecase_approve(
        use_case=case, actor=bruno, budget_kgco2e_per_year=high_bound(case) / 2,
        budget_reason='<img src=x onerror="alert(1)">',
    )  # fmt: skip
    services.usecase_start_review(use_case=case, reason="Scheduled re-review.")

    # When another decider opens the use case
    client.force_login(root)
    html = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    # Then the reason reads as text: no element was made of it
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_the_budget_change_form_says_what_an_empty_figure_means(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(bruno)

    html = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    # The figure, not only "Empty: the approved estimate's high bound." as the form said before
    assert "Empty: the approved estimate's high bound, " in html
    assert "Empty: the approved estimate's high bound." not in html


# --- A change without a new decision ------------------------------------------------------------------


def test_a_decider_changes_the_budget_with_a_reason_recorded_as_an_event(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    before = case.budget_kgco2e_per_year

    case = services.usecase_budget_change(
        use_case=case, actor=bruno, budget_kgco2e_per_year=2.5, reason="  Capped for the pilot.  "
    )

    assert case.status == Status.APPROVED
    assert (case.budget_kgco2e_per_year, case.budget_reason) == (2.5, "Capped for the pilot.")
    event = case.events.last()
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        bruno,
        Status.APPROVED,
        Status.APPROVED,
        "Capped for the pilot.",
    )
    assert event.changes == {
        "budget_kgco2e_per_year": [before, 2.5],
        "budget_reason": ["", "Capped for the pilot."],
    }
    # ... and a re-approval keeps it
    case = services.usecase_start_review(use_case=case, reason="Scheduled re-review.")
    case = services.usecase_approve(use_case=case, actor=bruno)
    assert case.budget_kgco2e_per_year == 2.5


def test_no_figure_sets_the_default_back_and_keeps_the_reason_in_the_event(alice, bruno):
    case = custom(alice, bruno)

    case = services.usecase_budget_change(
        use_case=case, actor=bruno, budget_kgco2e_per_year=None, reason="The pilot is over."
    )

    assert (case.budget_kgco2e_per_year, case.budget_reason) == (high_bound(case), "")
    assert case.events.last().comment == "The pilot is over."


def test_a_budget_change_under_re_review_keeps_the_status(alice, bruno, root):
    case = use_case(alice, status="under_review", decider=bruno)

    case = services.usecase_budget_change(
        use_case=case, actor=root, budget_kgco2e_per_year=7, reason="Org cap."
    )

    assert (case.status, case.budget_kgco2e_per_year) == (Status.UNDER_REVIEW, 7)


@pytest.mark.parametrize(
    ("budget", "reason", "field"), [(5, "  ", "budget_reason"), (-1, "R", "budget_kgco2e_per_year")]
)
def test_a_change_without_a_reason_or_with_a_wrong_figure_is_refused(alice, bruno, budget, reason, field):
    case = use_case(alice, status="approved", decider=bruno)
    events = case.events.count()

    with pytest.raises(ValidationError) as error:
        services.usecase_budget_change(
            use_case=case, actor=bruno, budget_kgco2e_per_year=budget, reason=reason
        )

    assert list(error.value.message_dict) == [field]
    case.refresh_from_db()
    assert case.budget_kgco2e_per_year == high_bound(case) and case.events.count() == events


@pytest.mark.parametrize("persona", ["employee", "colleague", "other_manager"])
def test_only_deciders_change_a_budget(personas, persona):
    case = use_case(personas["employee"], status="approved", decider=personas["manager"])

    with pytest.raises(PermissionDenied):
        services.usecase_budget_change(
            use_case=case, actor=personas[persona], budget_kgco2e_per_year=1, reason="Mine."
        )


@pytest.mark.parametrize("status", ["submitted", "changes_requested", "rejected", "retired"])
def test_only_a_budget_in_force_changes(alice, bruno, status):
    case = use_case(alice, status=status, decider=bruno)

    with pytest.raises(services.TransitionConflict):
        services.usecase_budget_change(use_case=case, actor=bruno, budget_kgco2e_per_year=1, reason="R")


# --- The page and the API -----------------------------------------------------------------------------


def test_the_page_offers_the_change_to_deciders_and_posts_it(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    page = reverse("governance:detail", args=[case.pk])
    client.force_login(alice)
    assert "Change the budget" not in client.get(page).content.decode()
    client.force_login(bruno)
    assert "Change the budget" in client.get(page).content.decode()

    response = client.post(
        reverse("governance:budget-change", args=[case.pk]),
        {"budget_kgco2e_per_year": "3.5", "budget_reason": "Capped."},
        follow=True,
    )

    case.refresh_from_db()
    assert case.budget_kgco2e_per_year == 3.5
    html = response.content.decode()
    assert "Budget changed." in html and "Set by the decider: Capped." in html
    # Without a reason: refused with a message, nothing changed
    response = client.post(
        reverse("governance:budget-change", args=[case.pk]), {"budget_kgco2e_per_year": "9"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    case.refresh_from_db()
    assert case.budget_kgco2e_per_year == 3.5


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", 200),
        ("admin", 200),
        ("employee", 403),
        ("colleague", 403),
        ("other_manager", 404),
        ("anonymous", 401),
    ],
)
def test_the_api_changes_a_budget_for_deciders_only(client, personas, persona, expected):
    case = use_case(personas["employee"], status="approved", decider=personas["manager"])
    if personas[persona] is not None:
        client.force_login(personas[persona])

    response = client.post(
        reverse("governance-api:use-case-budget", args=[case.pk]),
        {"budget_kgco2e_per_year": 4, "budget_reason": "Capped."},
        content_type="application/json",
    )

    assert response.status_code == expected
    case.refresh_from_db()
    if expected == 200:
        assert (
            response.json()["budget_kgco2e_per_year"] == 4 and response.json()["budget_reason"] == "Capped."
        )
    assert case.budget_kgco2e_per_year == (4 if expected == 200 else high_bound(case))


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        ("approved", {"budget_kgco2e_per_year": 4}, 400),  # no reason
        ("approved", {"budget_kgco2e_per_year": 0, "budget_reason": "R"}, 400),
        ("approved", {"budget_kgco2e_per_year": None, "budget_reason": "Back to the default."}, 200),
        ("submitted", {"budget_kgco2e_per_year": 4, "budget_reason": "R"}, 409),
    ],
)
def test_the_api_answers_a_wrong_change_without_changing_anything(
    client, alice, bruno, status, payload, expected
):
    case = use_case(alice, status=status, decider=bruno)
    client.force_login(bruno)

    response = client.post(
        reverse("governance-api:use-case-budget", args=[case.pk]), payload, content_type="application/json"
    )

    assert response.status_code == expected
    case.refresh_from_db()
    assert case.budget_kgco2e_per_year == (high_bound(case) if status == "approved" else None)


def test_a_small_default_budget_keeps_its_significant_figures(alice, bruno):
    """0.000699 kgCO2e a year read '0.001 kgCO2e' (three decimals), above the estimate's own high bound."""
    case = use_case(alice, status="submitted", decider=bruno)
    case.footprint = {
        **case.footprint,
        "emissions_kgco2e": {"low": 0.0000433, "central": 0.000128, "high": 0.000699},
    }

    help_text = str(DecisionForm(use_case=case).fields["budget_kgco2e_per_year"].help_text)

    assert "0.000699 kgCO2e a year" in help_text
