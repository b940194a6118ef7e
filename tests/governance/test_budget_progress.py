"""A use case's budget against its actual emissions: the pace (pure), the selector over rollups, the page,
the decision form, the API, and the dashboard's estimated-vs-actual table."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance import budgets, notifications, selectors, services
from governance.models import UseCase
from tests.factories import use_case
from tests.reports.helpers import rollup
from tests.test_query_counts import assert_flat

Status = UseCase.Status


# --- The pace: pure table tests -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "to_date", "pace", "above", "spans"),
    [
        # 2 July: 183/365 of a 365 kgCO2e budget is 183
        (datetime.date(2026, 7, 2), (100.0, 150.0, 200.0), 183.0, False, True),
        (datetime.date(2026, 7, 2), (150.0, 183.0, 220.0), 183.0, False, True),  # exactly the pace: within
        (datetime.date(2026, 7, 2), (150.0, 184.0, 220.0), 183.0, True, True),
        (datetime.date(2026, 7, 2), (190.0, 200.0, 260.0), 183.0, True, False),  # even the low bound is above
        (datetime.date(2026, 1, 1), (0.5, 1.0, 1.5), 1.0, False, True),  # 1 January: 1/365
        (datetime.date(2026, 12, 31), (0.0, 0.0, 0.0), 365.0, False, False),  # no usage at all
        (datetime.date(2028, 12, 31), (0.0, 366.0, 400.0), 365.0, True, True),  # leap year: all of it
    ],
)
def test_the_pace_is_the_budget_times_the_share_of_the_year_gone_by(day, to_date, pace, above, spans):
    progress = budgets.budget_progress(budget_kgco2e=365.0, to_date_kgco2e=to_date, day=day)

    assert progress.pace_kgco2e == pytest.approx(pace)
    assert progress.above_pace is above
    assert progress.range_spans_pace is spans
    assert progress.share_of_budget == pytest.approx(to_date[1] / 365)


# --- Through the database ---------------------------------------------------------------------------


def approved(owner, decider, budget: float | None = None, **fields) -> UseCase:
    case = use_case(owner, status="submitted", **fields)
    if budget is None:
        return services.usecase_approve(use_case=case, actor=decider)
    return services.usecase_approve(
        use_case=case, actor=decider, budget_kgco2e_per_year=budget, budget_reason="Decided."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("emitted", "above"), [(0.1, False), (1000.0, True)])
def test_pace_on_and_off_through_the_selector(alice, bruno, sales, research, emitted, above):
    # Given an approved use case with a budget of 120 kgCO2e a year
    case = approved(alice, bruno, budget=120.0)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    # and usage attributed to it this year, in two departments, and last year (not counted)
    rollup(this_month, sales, emitted / 2, use_case=case)
    rollup(this_month, research, emitted / 2, use_case=case)
    rollup(datetime.date(today.year - 1, 12, 1), sales, 5000.0, use_case=case)
    rollup(this_month, sales, 7000.0)  # usage of no use case

    # When reading its progress
    progress = selectors.budget_progresses([case])[case.pk]

    # Then this year's emissions so far (low, central, high) stand against the budget's pace today
    assert progress.to_date_kgco2e == pytest.approx((emitted / 2, emitted, emitted * 1.5))
    assert progress.pace_kgco2e == pytest.approx(
        120.0 * today.timetuple().tm_yday / (366 if today.year % 4 == 0 else 365)
    )
    assert progress.above_pace is above


@pytest.mark.django_db
def test_use_cases_without_a_budget_have_no_progress_and_without_usage_have_zero(alice, bruno):
    draft = use_case(alice, title="A draft")
    case = approved(alice, bruno, title="Approved, not used yet")

    progresses = selectors.budget_progresses([draft, case])

    assert list(progresses) == [case.pk]
    assert progresses[case.pk].to_date_kgco2e == (0.0, 0.0, 0.0) and not progresses[case.pk].above_pace


# --- The use-case page and the decision form ---------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_budget_actual_to_date_and_pace_in_both_languages(client, alice, bruno, sales):
    case = approved(alice, bruno, budget=12.0)
    rollup(timezone.localdate().replace(day=1), sales, 100.0, use_case=case)
    client.force_login(alice)

    page = client.get(reverse("governance:detail", args=[case.pk]))

    budget = page.context["budget"]
    assert budget.budget_kgco2e == 12.0 and budget.to_date_kgco2e[1] == 100.0 and budget.above_pace
    html = page.content.decode()
    assert (
        "Yearly footprint budget" in html and "Set by the decider: Decided." in html and "above pace" in html
    )
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = client.get(reverse("governance:detail", args=[case.pk])).content.decode()
    assert "Budget annuel d’empreinte" in html or "Budget annuel d&#x27;empreinte" in html
    assert "au-dessus du rythme" in html


@pytest.mark.django_db
def test_a_use_case_never_approved_shows_no_budget(client, alice):
    case = use_case(alice, status="submitted")
    client.force_login(alice)

    page = client.get(reverse("governance:detail", args=[case.pk]))

    assert page.context["budget"] is None and 'id="budget"' not in page.content.decode()


@pytest.mark.django_db
def test_the_decision_form_offers_the_default_budget(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    form = client.get(reverse("governance:detail", args=[case.pk])).context["decision_form"]

    assert "budget_kgco2e_per_year" in form.fields and "budget_reason" in form.fields
    assert "high bound" in str(form.fields["budget_kgco2e_per_year"].help_text)


def approve_url(case: UseCase) -> str:
    return reverse("governance:transition", args=[case.pk, "approve"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "budget", "reason", "status"),
    [
        ({}, "default", "", Status.APPROVED),
        ({"budget_kgco2e_per_year": "12.5", "budget_reason": "Pilot."}, 12.5, "Pilot.", Status.APPROVED),
        ({"budget_kgco2e_per_year": "12.5"}, None, "", Status.SUBMITTED),  # no reason: refused
        ({"budget_kgco2e_per_year": "0", "budget_reason": "x"}, None, "", Status.SUBMITTED),
        ({"budget_kgco2e_per_year": "many", "budget_reason": "x"}, None, "", Status.SUBMITTED),
        ({"budget_kgco2e_per_year": "inf", "budget_reason": "x"}, None, "", Status.SUBMITTED),
    ],
)
def test_deciding_in_the_browser_with_a_budget(client, alice, bruno, data, budget, reason, status):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    response = client.post(approve_url(case), {"comment": "", **data}, follow=True)

    assert response.status_code == 200
    case.refresh_from_db()
    expected = case.default_budget_kgco2e_per_year if budget == "default" else budget
    assert (case.status, case.budget_kgco2e_per_year, case.budget_reason) == (status, expected, reason)
    if status == Status.SUBMITTED:  # refused with a message, nothing decided
        assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("employee", 403), ("colleague", 404), ("member", 403), ("other_manager", 404), ("anonymous", 302)],
)
def test_only_deciders_set_a_budget_in_the_browser(client, personas, persona, expected):
    alice = personas["employee"]
    case = use_case(alice, status="submitted")
    services.usecase_join(use_case=case, user=personas["member"])
    if personas[persona] is not None:
        client.force_login(personas[persona])

    response = client.post(approve_url(case), {"budget_kgco2e_per_year": "1", "budget_reason": "Mine."})

    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year is None


# --- The API ---------------------------------------------------------------------------------------


def api_approve(case: UseCase) -> str:
    return reverse("governance-api:use-case-approve", args=[case.pk])


@pytest.mark.django_db
def test_approving_through_the_api_sets_and_returns_the_budget(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    response = client.post(
        api_approve(case),
        {"budget_kgco2e_per_year": 42.0, "budget_reason": "Half of the estimate."},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["budget_kgco2e_per_year"], body["budget_reason"]) == (42.0, "Half of the estimate.")
    events = client.get(reverse("governance-api:use-case-events", args=[case.pk])).json()
    events = events["results"] if isinstance(events, dict) else events
    assert events[-1]["changes"]["budget_kgco2e_per_year"] == [None, 42.0]


@pytest.mark.django_db
def test_approving_through_the_api_without_a_budget_sets_the_default(client, alice, root):
    case = use_case(alice, status="submitted")
    client.force_login(root)

    body = client.post(api_approve(case), {}, content_type="application/json").json()

    assert body["budget_kgco2e_per_year"] == case.footprint["emissions_kgco2e"]["high"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"budget_kgco2e_per_year": 42.0}, "budget_reason"),
        ({"budget_kgco2e_per_year": -1, "budget_reason": "x"}, "budget_kgco2e_per_year"),
        ({"budget_kgco2e_per_year": "lots", "budget_reason": "x"}, "budget_kgco2e_per_year"),
        ({"budget_kgco2e_per_year": 1, "budget_reason": "x" * 2001}, "budget_reason"),
    ],
)
def test_a_bad_budget_through_the_api_is_a_400_naming_the_field(client, alice, bruno, data, field):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    response = client.post(api_approve(case), data, content_type="application/json")

    assert response.status_code == 400 and field in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("employee", 403), ("colleague", 404), ("member", 403), ("other_manager", 404), ("anonymous", 401)],
)
def test_only_deciders_set_a_budget_through_the_api(client, personas, persona, expected):
    case = use_case(personas["employee"], status="submitted")
    services.usecase_join(use_case=case, user=personas["member"])
    if personas[persona] is not None:
        client.force_login(personas[persona])

    response = client.post(
        api_approve(case),
        {"budget_kgco2e_per_year": 1, "budget_reason": "Mine."},
        content_type="application/json",
    )

    assert response.status_code == expected
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.budget_kgco2e_per_year is None


@pytest.mark.django_db
def test_the_budget_endpoints(client, alice, bruno, carla, sales):
    case = approved(alice, bruno, budget=120.0)
    rollup(timezone.localdate().replace(day=1), sales, 30.0, use_case=case)
    submitted = use_case(alice, status="submitted", title="Not decided yet")
    client.force_login(alice)

    one = client.get(reverse("governance-api:use-case-budget", args=[case.pk])).json()
    listed = client.get(reverse("governance-api:budgets")).json()

    assert one["budget_kgco2e_per_year"] == 120.0 and one["budget_reason"] == "Decided."
    assert one["to_date_kgco2e"] == {"low": 15.0, "central": 30.0, "high": 45.0}
    assert one["default_budget_kgco2e_per_year"] == case.footprint["emissions_kgco2e"]["high"]
    assert one["day"] == timezone.localdate().isoformat() and one["share_of_budget"] == 0.25
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [item["use_case"] for item in listed] == [case.pk]
    assert client.get(reverse("governance-api:use-case-budget", args=[submitted.pk])).status_code == 404
    # Another department's manager sees neither
    client.force_login(carla)
    assert client.get(reverse("governance-api:use-case-budget", args=[case.pk])).status_code == 404
    listed = client.get(reverse("governance-api:budgets")).json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []


@pytest.mark.django_db
def test_the_schema_documents_the_budgets(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    assert "/api/v1/governance/budgets/" in schema["paths"]
    assert "/api/v1/governance/use-cases/{use_case_id}/budget/" in schema["paths"]
    approve = schema["paths"]["/api/v1/governance/use-cases/{use_case_id}/approve/"]["post"]
    reference = approve["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "budget_kgco2e_per_year" in schema["components"]["schemas"][reference]["properties"]


# --- The dashboard's estimated vs actual ------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_shows_budget_actual_to_date_and_pace(client, alice, bruno, sales):
    case = approved(alice, bruno, budget=12.0)
    rollup(timezone.localdate().replace(day=1), sales, 100.0, use_case=case)
    client.force_login(bruno)

    response = client.get(reverse("usage:dashboard"))

    [row] = response.context["estimated_vs_actual"]
    assert row.use_case == case and row.budget.budget_kgco2e == 12.0 and row.budget.to_date_kgco2e[1] == 100.0
    assert row.budget.above_pace and row.drift  # 100 kgCO2e in one month: 1,200 a year
    html = response.content.decode()
    assert "Budget a year" in html and "above pace" in html


@pytest.mark.django_db
def test_the_dashboard_makes_as_many_queries_with_more_budgeted_use_cases(client, root, alice, bruno, sales):
    month = timezone.localdate().replace(day=1)

    def grow(count: int) -> None:
        for n in range(count):
            case = approved(alice, bruno, title=f"Use case {UseCase.objects.count()} {n}")
            rollup(month, sales, 10.0, use_case=case)

    assert_flat(client, root, reverse("usage:dashboard"), grow)
    assert_flat(client, root, reverse("governance-api:budgets"), grow)


@pytest.mark.django_db
def test_the_owner_is_told_the_budget_in_their_language(alice, bruno):
    alice.language = "fr"
    alice.save()
    case = approved(alice, bruno, budget=1500.0)

    notifications.notify_owner(event_id=case.events.last().pk)

    [message] = mail.outbox
    assert "Budget annuel d'empreinte : 1,5" in message.body and "Raison : Decided." in message.body


@pytest.mark.django_db
def test_deciders_asked_to_review_again_are_told_the_budget_and_the_drift(alice, bruno):
    case = approved(alice, bruno, budget=1500.0)
    services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=2000.0)

    notifications.notify_deciders(event_id=case.events.last().pk)

    [message] = mail.outbox
    assert message.to == [bruno.email]
    # The drift's cause, worded in the decider's language with the figures' units (2 t, 1.5 t)
    assert (
        "Actual usage (2.00 tCO2e a year) runs above the use case's budget (1.50 tCO2e a year)."
        in message.body
    )
    assert "Yearly footprint budget: 1.50 tCO2e." in message.body
