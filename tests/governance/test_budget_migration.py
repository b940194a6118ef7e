"""The migration that brings budgets: use cases approved before them get the default one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("governance", "0005_text_limits")]
AFTER = [("governance", "0007_backfill_budgets")]


def footprint(central: float) -> dict:
    return {"emissions_kgco2e": {"low": central / 2, "central": central, "high": central * 3}}


@pytest.mark.django_db(transaction=True)
def test_use_cases_approved_before_budgets_get_the_estimates_high_bound(reference_rows):
    # Given the database as it was before budgets, with use cases in several statuses
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    department = old.get_model("portal", "Department").objects.create(name="Sales")
    owner = old.get_model("portal", "User").objects.create(username="alice", department=department)
    model = old.get_model("estimator", "AIModel").objects.get(slug="gpt-4o-mini")
    UseCase = old.get_model("governance", "UseCase")
    common = {
        "owner": owner,
        "department": department,
        "model": model,
        "description": "d",
        "task_type": "summarisation",
        "region": "europe-west9",
        "requests_per_month": 10,
        "users": 1,
        "value_environmental": 1,
        "value_social": 1,
        "value_economic": 1,
        "value_justification": "j",
        "alternatives": "a",
        "ai_act_tier": "minimal",
    }
    ids = {
        status: UseCase.objects.create(title=status, status=status, footprint=footprint(central), **common).pk
        for status, central in [
            ("approved", 10.0),
            ("under_review", 20.0),
            ("retired", 30.0),
            ("submitted", 40.0),
            ("rejected", 50.0),
        ]
    }
    ids["draft"] = UseCase.objects.create(title="draft", status="draft", footprint=None, **common).pk

    # When the budget migrations run
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("governance", "UseCase")

    # Then every use case approved once has its estimate's high bound; the others have none yet
    budgets = dict(new.objects.values_list("title", "budget_kgco2e_per_year"))
    assert budgets == {
        "approved": 30.0,
        "under_review": 60.0,
        "retired": 90.0,
        "submitted": None,
        "rejected": None,
        "draft": None,
    }
    assert set(new.objects.values_list("budget_reason", flat=True)) == {""}

    # And the migrations go back and forth
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
