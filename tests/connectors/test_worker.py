import datetime
import time

import pytest
from django.conf import settings

from portal.celery import app
from tests.connectors.fake_providers import FakeProvider, serve
from tests.worker import celery_worker_process
from usage.connectors import services
from usage.models import MonthlyRollup, SyncRun, UsageRecord

SECRET = "sk-admin-worker-test"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scheduled_sync_and_refreshes_the_rollups(reference_rows, root, sales):
    # Given a daily connection whose project is mapped, served by a local fake provider
    fake = FakeProvider(
        secret=SECRET,
        openai_completions=lambda day: [
            {"input_tokens": 800, "output_tokens": 200, "num_model_requests": 4, "project_id": "proj_sales",
             "model": "gpt-4o-mini"}
        ],
    )  # fmt: skip
    with serve(fake), celery_worker_process():
        connection, _ = services.connection_create(
            created_by=root, name="OpenAI", kind="openai", base_url=fake.base_url + "/v1", secret=SECRET,
            default_region="us-east1",
        )  # fmt: skip
        services.rule_create(connection=connection, field="project", value="proj_sales", department=sales)

        # When beat's entry fires (the task it names, sent through the broker as beat sends it)
        entry = settings.CELERY_BEAT_SCHEDULE["usage-connections-due"]
        assert app.send_task(entry["task"]).get(timeout=30) == 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = SyncRun.objects.get()
            if (
                run.status in (SyncRun.Status.SUCCEEDED, SyncRun.Status.FAILED)
                and MonthlyRollup.objects.exists()
            ):
                break
            time.sleep(0.3)

    # Then the worker synced the last 30 days, wrote the records, and the rollups followed
    assert (run.status, run.trigger, run.error) == (SyncRun.Status.SUCCEEDED, SyncRun.Trigger.SCHEDULE, "")
    assert run.end_date - run.start_date == datetime.timedelta(days=30)
    assert UsageRecord.objects.filter(source=connection.source).count() == 31
    assert MonthlyRollup.objects.filter(department=sales).exists()
