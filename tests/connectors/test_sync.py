"""Syncs against a local fake provider: idempotency, failures that change nothing, mapping re-attribution,
encryption at rest, the schedule."""

import datetime

import pytest
from django.db import connection as db
from django.utils import timezone

from tests.connectors.fake_providers import Failure, FakeProvider, serve
from usage.connectors import services
from usage.models import Connection, ProviderUsage, SyncRun, UsageRecord

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 1)
SECRET = "sk-admin-0123456789-abcdef"


def completions(day):
    return [
        {"input_tokens": 1200, "input_cached_tokens": 200, "output_tokens": 400, "num_model_requests": 10,
         "project_id": "proj_sales", "model": "gpt-4o-mini"},
        {"input_tokens": 500, "output_tokens": 100, "num_model_requests": 2,
         "project_id": "proj_lab", "model": "gpt-4o-2024-08-06"},
        {"input_tokens": 50, "output_tokens": 5, "num_model_requests": 1,
         "project_id": "proj_sales", "model": "gpt-9-imaginary"},
    ]  # fmt: skip


def make_connection(fake, root, kind="openai"):
    connection, _ = services.connection_create(
        created_by=root,
        name=f"{kind} org",
        kind=kind,
        base_url=fake.base_url + ("" if kind == "litellm" else "/v1"),
        secret=fake.secret,
        default_region="us-east1",
    )
    return connection


def sync(connection, start=DAY, end=DAY + datetime.timedelta(days=2), user=None):
    run = services.sync_request(
        connection=connection,
        trigger=SyncRun.Trigger.BACKFILL,
        requested_by=user,
        start_date=start,
        end_date=end,
    )
    return services.sync_run(run=run)


def test_a_sync_stores_buckets_and_only_mapped_ones_become_usage_records(root, sales):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        services.rule_create(connection=connection, field="project", value="proj_sales", department=sales)
        run = sync(connection, user=root)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert (run.buckets_read, run.buckets_added, run.unattributed_buckets) == (9, 9, 3)
    assert run.unknown_models == [{"model": "gpt-9-imaginary", "buckets": 3}]  # reported, not guessed
    records = UsageRecord.objects.filter(source=connection.source)
    assert records.count() == run.records_written == 3  # proj_sales × gpt-4o-mini × 3 days
    record = records.first()
    assert (record.department, record.region, record.requests) == (sales, "us-east1", 10)
    assert (record.input_tokens, record.output_tokens) == (1200, 400)
    connection.refresh_from_db()
    assert connection.synced_through == DAY + datetime.timedelta(days=2)


def test_syncing_the_same_days_twice_counts_each_bucket_once(root, sales):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        services.rule_create(connection=connection, field="project", value="proj_sales", department=sales)
        sync(connection)
        second = sync(connection)
    assert (second.buckets_read, second.buckets_added) == (9, 0)
    assert ProviderUsage.objects.filter(connection=connection).count() == 9
    assert UsageRecord.objects.filter(source=connection.source).count() == 3


def test_a_bucket_the_provider_revised_replaces_the_old_one(root, sales):
    revised = {"output_tokens": 400}
    fake = FakeProvider(
        secret=SECRET,
        openai_completions=lambda day: [
            {"input_tokens": 10, "output_tokens": revised["output_tokens"], "num_model_requests": 1,
             "project_id": "proj_sales", "model": "gpt-4o-mini"}
        ],
    )  # fmt: skip
    with serve(fake):
        connection = make_connection(fake, root)
        services.rule_create(connection=connection, field="project", value="proj_sales", department=sales)
        sync(connection, end=DAY)
        revised["output_tokens"] = 900
        sync(connection, end=DAY)
    assert list(
        UsageRecord.objects.filter(source=connection.source).values_list("output_tokens", flat=True)
    ) == [900]


@pytest.mark.parametrize(
    ("failures", "message"),
    [
        ([Failure(500)] * 5, "after 5 attempts"),
        ([Failure(401, body=b'{"error": {"message": "invalid key"}}')], "refused the credentials"),
    ],
)
def test_a_failed_sync_changes_nothing_and_says_why(root, sales, failures, message):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        services.rule_create(connection=connection, field="project", value="proj_sales", department=sales)
        sync(connection)
        before = (
            sorted(ProviderUsage.objects.values_list("external_id", "output_tokens")),
            UsageRecord.objects.count(),
        )
        fake.openai_completions = lambda day: [{**row, "output_tokens": 1} for row in completions(day)]
        fake.failures = failures
        run = services.sync_request(
            connection=connection,
            trigger=SyncRun.Trigger.MANUAL,
            start_date=DAY,
            end_date=DAY + datetime.timedelta(days=2),
        )
        run = services.sync_run(run=run)
    assert run.status == SyncRun.Status.FAILED
    assert message in run.error
    assert SECRET not in run.error
    after = (
        sorted(ProviderUsage.objects.values_list("external_id", "output_tokens")),
        UsageRecord.objects.count(),
    )
    assert after == before


def test_a_failure_on_a_later_page_rolls_back_the_pages_already_written(root, sales):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        # first page (31 days) answers, the next one is refused
        fake.failures = []
        run = services.sync_request(
            connection=connection,
            trigger=SyncRun.Trigger.BACKFILL,
            start_date=DAY,
            end_date=DAY + datetime.timedelta(days=40),
        )
        served = {"count": 0}
        original = fake.take_failure

        def fail_second_call():
            served["count"] += 1
            return (
                Failure(403, body=b'{"error": {"message": "nope"}}') if served["count"] == 2 else original()
            )

        fake.take_failure = fail_second_call
        run = services.sync_run(run=run)
    assert run.status == SyncRun.Status.FAILED
    assert ProviderUsage.objects.count() == 0


def test_a_new_rule_attributes_past_usage_again(root, sales, research):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        sync(connection)
    assert UsageRecord.objects.filter(source=connection.source).count() == 0
    services.rule_create(connection=connection, field="project", value="proj_lab", department=research)
    assert UsageRecord.objects.filter(source=connection.source, department=research).count() == 3
    rule = services.rule_create(
        connection=connection, field="project", value="proj_sales", department=sales, region="FRA"
    )
    assert set(
        UsageRecord.objects.filter(source=connection.source, department=sales).values_list(
            "region", flat=True
        )
    ) == {"FRA"}
    services.rule_delete(rule=rule)
    assert UsageRecord.objects.filter(source=connection.source, department=sales).count() == 0
    assert ProviderUsage.objects.filter(connection=connection, department__isnull=True).count() == 6


def test_credentials_are_encrypted_at_rest(root):
    fake = FakeProvider(secret=SECRET)
    connection = make_connection(fake, root)
    table = Connection._meta.db_table
    with db.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [connection.pk])
        row = cursor.fetchone()
    assert not any(SECRET in str(value) for value in row)
    assert not any("0123456789" in str(value) for value in row)
    assert services._secret(connection) == SECRET


def test_the_schedule_queues_each_due_connection_once(root, django_capture_on_commit_callbacks):
    fake = FakeProvider(secret=SECRET)
    connection = make_connection(fake, root)
    now = timezone.now()
    assert services.connections_sync_due(now=now) == [SyncRun.objects.get().pk]
    assert services.connections_sync_due(now=now) == []  # next time is in 24 hours
    connection.refresh_from_db()
    assert connection.next_sync_at == now + datetime.timedelta(hours=24)
    run = SyncRun.objects.get()
    assert (run.trigger, run.end_date - run.start_date) == (
        SyncRun.Trigger.SCHEDULE,
        datetime.timedelta(days=30),
    )


def test_the_connection_test_reads_one_day(root):
    fake = FakeProvider(secret=SECRET, openai_completions=completions)
    with serve(fake):
        connection = make_connection(fake, root)
        assert "3 buckets" in services.connection_test(connection=connection)
