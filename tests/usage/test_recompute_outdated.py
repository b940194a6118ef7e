"""After an estimator method change, rollups an earlier version computed are recomputed (command and
nightly task): batched month by month, resumable, idempotent."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from estimator import services as estimator
from estimator.calculations import ESTIMATOR_VERSION
from governance.models import UseCase
from tests.factories import use_case
from usage import rollups, tasks
from usage import services as usage
from usage.models import MonthlyRollup

pytestmark = pytest.mark.django_db
MONTHS = [datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)]


@pytest.fixture
def three_months(sales):
    """Usage in July (Paris), August (Mumbai) and September (Paris), rolled up, then marked as computed by
    estimator 2.0.0 with other numbers, as before a method change."""
    model = usage.Lookups().models["gpt-4o-mini"][0]
    regions = ["europe-west9", "asia-south1", "europe-west9"]
    usage.insert_records(
        [
            (month.replace(day=3), sales.pk, None, model, region, 10, 8000, 3000, 0, None, None, "s", str(n))
            for n, (month, region) in enumerate(zip(MONTHS, regions, strict=True))
        ]
    )
    rollups.rollups_recompute()
    current = dict(MonthlyRollup.objects.values_list("month", "emissions_kgco2e_central"))
    MonthlyRollup.objects.filter(month__in=MONTHS).update(
        estimator_version="2.0.0", emissions_kgco2e_central=0
    )
    return current


def versions() -> dict[datetime.date, str]:
    return dict(MonthlyRollup.objects.values_list("month", "estimator_version"))


def test_outdated_months_are_recomputed_with_the_current_method_and_only_they(three_months):
    MonthlyRollup.objects.filter(month=MONTHS[0]).update(estimator_version=ESTIMATOR_VERSION)
    untouched = MonthlyRollup.objects.get(month=MONTHS[0])

    result = rollups.rollups_recompute_outdated()

    assert result.months == tuple(MONTHS[1:]) and result.versions == ("2.0.0",) and result.rollups == 2
    assert set(versions().values()) == {ESTIMATOR_VERSION}
    now = dict(MonthlyRollup.objects.values_list("month", "emissions_kgco2e_central"))
    assert now[MONTHS[1]] == pytest.approx(three_months[MONTHS[1]])
    assert now[MONTHS[2]] == pytest.approx(three_months[MONTHS[2]])
    # The month already current was left as it was (same row, its numbers untouched).
    assert MonthlyRollup.objects.get(month=MONTHS[0]).pk == untouched.pk and now[MONTHS[0]] == 0


def test_a_second_run_finds_nothing_to_do(three_months):
    rollups.rollups_recompute_outdated(batch_months=2)
    before = list(MonthlyRollup.objects.order_by("pk").values_list("pk", "emissions_kgco2e_central"))

    again = rollups.rollups_recompute_outdated()

    assert (again.months, again.rollups) == ((), 0)
    assert list(MonthlyRollup.objects.order_by("pk").values_list("pk", "emissions_kgco2e_central")) == before


def test_a_run_that_fails_half_way_keeps_the_months_done_and_the_next_run_finishes(three_months, monkeypatch):
    real = estimator.estimate_text

    def failing_in_mumbai(**params):
        if params.get("region") == "asia-south1":
            raise RuntimeError("worker lost")
        return real(**params)

    monkeypatch.setattr(estimator, "estimate_text", failing_in_mumbai)
    with pytest.raises(RuntimeError):
        rollups.rollups_recompute_outdated()

    assert versions() == {MONTHS[0]: ESTIMATOR_VERSION, MONTHS[1]: "2.0.0", MONTHS[2]: "2.0.0"}
    monkeypatch.setattr(estimator, "estimate_text", real)
    assert rollups.rollups_recompute_outdated().months == tuple(MONTHS[1:])
    assert set(versions().values()) == {ESTIMATOR_VERSION}


def test_the_command_lists_then_recomputes(three_months):
    out = StringIO()
    call_command("recompute_usage_emissions", "--dry-run", stdout=out)
    assert "2026-07: estimator 2.0.0" in out.getvalue() and "dry run" in out.getvalue()
    assert set(versions().values()) == {"2.0.0"}

    out = StringIO()
    call_command("recompute_usage_emissions", "--batch-months", "2", stdout=out)
    assert (
        f"Recomputed 3 month(s), 3 rollup(s), with estimator {ESTIMATOR_VERSION} (were 2.0.0)"
        in out.getvalue()
    )

    out = StringIO()
    call_command("recompute_usage_emissions", stdout=out)
    assert "nothing to recompute" in out.getvalue()
    with pytest.raises(CommandError, match="--batch-months"):
        call_command("recompute_usage_emissions", "--batch-months", "0")


def test_the_nightly_task_recomputes_and_is_scheduled(three_months):
    assert tasks.usage_rollups_nightly_task() == 3
    assert tasks.usage_rollups_nightly_task() == 0
    assert set(versions().values()) == {ESTIMATOR_VERSION}
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "usage.tasks.usage_rollups_nightly_task" in scheduled


def test_the_nightly_task_checks_drift_even_when_no_rollup_is_outdated(alice, bruno):
    """Drift moves with the calendar, not only with records: the nightly task checks it every night."""
    case = use_case(alice, status="approved", decider=bruno)
    model = usage.Lookups().models["gpt-4o-mini"][0]
    month = timezone.localdate().replace(day=1)
    usage.insert_records(
        [
            (
                month,
                case.department_id,
                case.pk,
                model,
                "europe-west9",
                10**6,
                8 * 10**9,
                3 * 10**9,
                0,
                None,
                None,
                "s",
                "1",
            )
        ]
    )
    rollups.rollups_recompute()
    assert rollups.rollups_outdated() == {}

    assert tasks.usage_rollups_nightly_task() == 0
    case.refresh_from_db()
    assert case.status == UseCase.Status.UNDER_REVIEW
