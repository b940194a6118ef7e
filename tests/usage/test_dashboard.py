import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services as courses
from courses.models import Course, Enrollment
from estimator import services as estimator
from estimator.templatetags.footprint import quantity
from tests.courses.conftest import complete
from tests.factories import UserFactory
from usage import dashboard, rollups
from usage import services as usage
from usage.models import MonthlyRollup

pytestmark = pytest.mark.django_db


def add_usage(departments, months=3, per_month=1):
    ids = usage.Lookups()
    today = timezone.localdate().replace(day=1)
    rows = []
    for m in range(months):
        month = (today - datetime.timedelta(days=31 * m)).replace(day=1)
        for department in departments:
            for n in range(per_month):
                rows.append(
                    (
                        month,
                        department.pk,
                        None,
                        ids.models["gpt-4o"][0],
                        "us-central1",
                        100,
                        100 * 500,
                        100 * 400,
                        0,
                        None,
                        None,
                        "t",
                        f"{department.pk}-{m}-{n}",
                    )
                )
    usage.insert_records(rows)
    rollups.rollups_recompute()


def test_admins_see_the_organisation_and_managers_their_departments(client, root, bruno, sales, research):
    add_usage([sales, research])

    client.force_login(root)
    org = client.get(reverse("usage:dashboard")).context["breakdowns"][0][1]
    client.force_login(bruno)
    team = client.get(reverse("usage:dashboard")).context["breakdowns"][0][1]

    assert {label for label, _ in org} == {"Sales", "Research"}
    assert {label for label, _ in team} == {"Sales"}


def test_employees_have_no_dashboard(client, alice):
    client.force_login(alice)
    assert client.get(reverse("usage:dashboard")).status_code == 403


def test_the_summary_api_groups_and_scopes(client, root, bruno, alice, sales, research):
    add_usage([sales, research], months=2)
    expected_per_row = estimator.estimate(
        "text", model="gpt-4o", requests=100, output_tokens=400, input_tokens=500, region="us-central1"
    )

    client.force_login(root)
    by_department = client.get("/api/v1/usage/summary/?group_by=department").json()["results"]
    by_month = client.get("/api/v1/usage/summary/?group_by=month").json()["results"]
    client.force_login(bruno)
    managers = client.get("/api/v1/usage/summary/?group_by=department").json()["results"]

    assert {row["department"] for row in by_department} == {"Sales", "Research"}
    sales_row = next(row for row in by_department if row["department"] == "Sales")
    assert sales_row["requests"] == 200
    assert sales_row["emissions_kgco2e"]["central"] == pytest.approx(
        2 * expected_per_row.emissions_kgco2e.central
    )
    assert set(sales_row["energy_kwh"]) == {"low", "central", "high"}
    assert len(by_month) == 2 and by_month[0]["month"] < by_month[1]["month"]
    assert [row["department"] for row in managers] == ["Sales"]
    client.force_login(alice)
    assert client.get("/api/v1/usage/summary/?group_by=department").status_code == 403
    client.force_login(root)
    assert client.get("/api/v1/usage/summary/?group_by=color").status_code == 400
    assert client.get("/api/v1/usage/summary/?group_by=month&from=2026-99").status_code == 400


def test_the_dashboard_costs_the_same_queries_at_two_data_sizes(client, root, sales, research):
    client.force_login(root)
    counts = []
    for per_month in (1, 40):
        MonthlyRollup.objects.all().delete()
        add_usage([sales, research], months=6, per_month=per_month)
        client.get(reverse("usage:dashboard"))  # reference data cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("usage:dashboard")).status_code == 200
        counts.append(len(queries))
    # The filters' choices read which models and regions the usage names in one query, at any size
    assert counts[0] == counts[1] <= 10, counts


def test_filters_and_csv_export(client, root, sales, research):
    add_usage([sales, research])
    client.force_login(root)

    filtered = client.get(
        reverse("usage:dashboard"), {"department": sales.pk}, headers={"HX-Request": "true"}
    )
    exported = client.get(reverse("usage:dashboard"), {"export": "department"}).content.decode().splitlines()

    assert filtered.content.decode().lstrip().startswith('<div id="dashboard-body"')
    assert {label for label, _ in filtered.context["breakdowns"][0][1]} == {"Sales"}
    assert exported[0].startswith("department,requests,input_tokens,output_tokens,images,energy_kwh_low")
    assert len(exported) == 3


def test_the_what_if_panel_applies_the_levers(client, root, sales):
    add_usage([sales], months=2)
    rows = dashboard.filtered_rows(root, start=datetime.date(2000, 1, 1), end=datetime.date(2100, 1, 1))
    levers = dashboard.WhatIf(
        region="europe-north2",
        output_cap=0.3,
        iteration_change=-0.4,
        untrained_share=1.0,
        small_model_share=0.5,
    )

    whatif = dashboard.what_if(rows, levers)

    assert whatif.improved_kgco2e < whatif.baseline_kgco2e / 5  # Iowa → Stockholm alone is ≈ 150×
    assert sum(lever.saving_kgco2e for lever in whatif.levers) == pytest.approx(
        whatif.baseline_kgco2e - whatif.improved_kgco2e
    )
    assert all(lever.saving_kgco2e > 0 for lever in whatif.levers)

    client.force_login(root)
    response = client.get(
        reverse("usage:dashboard-what-if"),
        {
            "whatif-region": "europe-north2",
            "whatif-output_cap_percent": "30",
            "whatif-train_remaining": "on",
            "whatif-small_model_percent": "50",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "divided by" in html and "#1 Greener region" in html
    assert "A smaller model is Llama 3.1 8B, for models above 20 billion active parameters" in html


def test_the_what_if_on_rows_summed_per_model_and_region_is_the_sum_of_each_rows(root, sales, research):
    # Given the same models and regions used with very different tokens per request by two departments
    ids = usage.Lookups()
    month = timezone.localdate().replace(day=1)
    usage.insert_records(
        [
            (month, department.pk, None, ids.models[model][0], region, requests, requests * tokens_in,
             requests * tokens_out, 0, None, None, "t", f"mixed-{n}")
            for n, (department, model, region, requests, tokens_in, tokens_out) in enumerate(
                [
                    (sales, "gpt-4o", "us-central1", 100, 300, 900),
                    (research, "gpt-4o", "us-central1", 40, 2000, 150),
                    (sales, "gpt-4o-mini", "europe-west9", 500, 80, 60),
                    (research, "gpt-4o-mini", "europe-west9", 7, 5000, 2500),
                ]
            )
        ]
    )  # fmt: skip
    rollups.rollups_recompute()
    rows = dashboard.filtered_rows(root, start=month, end=month)
    levers = dashboard.WhatIf(
        region="europe-north2",
        output_cap=0.3,
        iteration_change=-0.4,
        untrained_share=0.8,
        small_model_share=0.5,
    )

    whatif = dashboard.what_if(rows, levers)

    # Now is the rollups' own figure; with all levers, each row's own estimate summed is what the two
    # groups' estimates give, to 0.2 % (the prefill is not linear in the input tokens: mean tokens
    # estimate less, -0.17 % here once scaled to the rollups; per row, 2,376 estimates a year took 355 ms)
    each_row = sum(dashboard._row_emissions(row, levers, dashboard.active_levers(levers)) for row in rows)
    assert len(rows) == 4 and whatif is not None
    assert whatif.baseline_kgco2e == pytest.approx(sum(row["emissions_kgco2e_central"] for row in rows))
    assert whatif.improved_kgco2e == pytest.approx(each_row, rel=2e-3)


def test_each_group_keeps_its_own_figure_so_a_lever_saves_the_same_beside_other_groups(root, sales):
    # Given text usage whose rollups an earlier estimator made twice today's figure, and image usage
    ids = usage.Lookups()
    month = timezone.localdate().replace(day=1)
    usage.insert_records(
        [
            (month, sales.pk, None, ids.models["gpt-4o"][0], "us-central1", 100, 50_000, 40_000, 0, None, None, "t", "text"),
            (month, sales.pk, None, ids.models["sdxl"][0], "us-central1", 20, 0, 0, 20, 1024, 1024, "t", "image"),
        ]
    )  # fmt: skip
    rollups.rollups_recompute()
    MonthlyRollup.objects.filter(model__slug="gpt-4o").update(
        emissions_kgco2e_central=F("emissions_kgco2e_central") * 2
    )
    rows = dashboard.filtered_rows(root, start=month, end=month)
    levers = dashboard.WhatIf(
        region=None, output_cap=0.3, iteration_change=0.0, untrained_share=1.0, small_model_share=0.0
    )

    text_only = dashboard.what_if([row for row in rows if row["model__slug"] == "gpt-4o"], levers)
    with_images = dashboard.what_if(rows, levers)

    # The output cap touches the text only: its saving is the same with the images beside it
    def saving(split):
        return next(lever.saving_kgco2e for lever in split.levers if lever.name == "output_size")

    assert len(rows) == 2 and saving(text_only) > 0
    assert saving(with_images) == pytest.approx(saving(text_only))
    assert with_images.baseline_kgco2e > text_only.baseline_kgco2e


def test_the_training_panel_shows_the_measured_change_the_avoided_emissions_and_who_is_left(
    client, root, sales, settings
):
    settings.LANGUAGE_CODE = "en"
    course = Course.objects.get(slug="frugal-prompting")
    learners = [UserFactory(department=sales) for _ in range(3)]
    for user in learners:
        complete(courses.course_enroll(user=user, course=course), before_iterations=3, after_iterations=1)
    UserFactory(department=sales)  # not trained
    expected = courses.cohort_result(list(Enrollment.objects.all()))
    client.force_login(root)

    html = client.get(reverse("usage:dashboard-training"), headers={"accept-language": "en"}).content.decode()

    assert "Measured on 3 learners: prompts per task fell by 67%." in html  # 3 → 1 prompt per task
    avoided = expected.avoided_kgco2e_per_year
    assert avoided is not None and avoided > 0
    assert f"Avoided emissions, projected: {quantity(avoided, 'kgco2e')} a year." in html
    # Of the five people in the admin's scope (root, the three learners, one colleague), three are trained.
    assert "40% of the staff is not trained yet." in html
    assert "No training results yet." not in html


def test_the_training_panel_says_when_nothing_is_measured_yet(client, root):
    client.force_login(root)

    html = client.get(reverse("usage:dashboard-training"), headers={"accept-language": "en"}).content.decode()

    assert "No training results yet." in html and "Measured on" not in html


def test_a_lever_that_changes_nothing_saves_exactly_nothing_and_is_not_computed(root, sales, monkeypatch):
    add_usage([sales], months=2)
    rows = dashboard.filtered_rows(root, start=datetime.date(2000, 1, 1), end=datetime.date(2100, 1, 1))
    # No region chosen, no measured change in prompts: those two levers change nothing
    levers = dashboard.WhatIf(
        region=None, output_cap=0.3, iteration_change=0.0, untrained_share=1.0, small_model_share=0.5
    )
    calls = []
    estimate_text = estimator.estimate_text
    monkeypatch.setattr(estimator, "estimate_text", lambda **kw: calls.append(kw) or estimate_text(**kw))

    whatif = dashboard.what_if(rows, levers)

    savings = {lever.name: lever.saving_kgco2e for lever in whatif.levers}
    assert savings["region"] == 0.0 and savings["iterations"] == 0.0
    assert savings["output_size"] > 0 and savings["model"] > 0
    assert sum(savings.values()) == pytest.approx(whatif.baseline_kgco2e - whatif.improved_kgco2e)
    # Three combinations of the two levers that act (the fourth, none, is the rollups' own sum), not 15
    assert len(calls) <= 3 * 2 * len(rows)


def test_the_filters_offer_the_models_and_regions_of_the_usage_shown(client, root, carla, sales):
    # Given usage in Sales only (gpt-4o in us-central1), and none in Research
    add_usage([sales])

    # The manager of Research is offered no model or region; the admin, that model and that region
    client.force_login(carla)
    empty = client.get(reverse("usage:dashboard")).context["filters"]
    client.force_login(root)
    filters = client.get(reverse("usage:dashboard")).context["filters"]

    assert [str(model) for model in filters.fields["model"].queryset] == ["GPT-4o"]
    assert [code for code, _ in filters.fields["region"].choices] == ["", "us-central1"]
    assert list(empty.fields["model"].queryset) == []
    assert [code for code, _ in empty.fields["region"].choices] == [""]
