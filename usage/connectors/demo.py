"""Demo connections for `load_demo`: their buckets are made here, labelled as demo data, and no network
call is ever made (no credentials, no schedule)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from portal.models import Department, User
from usage.connectors import providers, services
from usage.models import Connection, MappingRule, ProviderUsage, SyncRun

DEMO_DAYS = 30

# (connection, kind, default region, [(project or workspace, model, requests a day, input, output per request)], rules)
DEMO_CONNECTIONS = [
    (
        "Demo · OpenAI organisation",
        Connection.Kind.OPENAI,
        "us-east1",
        [("proj_marketing_copy", "gpt-4o-mini", 140, 700, 260), ("proj_finance_reports", "gpt-4o", 25, 2500, 600),
         ("proj_unmapped_sandbox", "gpt-4o-mini", 60, 400, 150)],
        [("project", "proj_marketing_copy", "Marketing"), ("project", "proj_finance_reports", "Finance")],
    ),
    (
        "Demo · Anthropic workspace",
        Connection.Kind.ANTHROPIC,
        "us-east4",
        [("wrkspc_support", "claude-haiku-4-5", 300, 900, 220), ("wrkspc_research", "claude-sonnet-4-5", 20, 6000, 900)],
        [("workspace", "wrkspc_support", "Customer service")],
    ),
    ("Demo · OpenTelemetry traces", Connection.Kind.OTLP, "europe-west9", [], []),
]  # fmt: skip


@transaction.atomic
def demo_connections_load(*, admin: User | None) -> None:
    """Create or reset the demo connections, a month of buckets each and one demo sync run."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DEMO_DAYS)
    rng = random.Random(11)
    departments = dict(Department.objects.values_list("name", "pk"))
    resolver = services.ModelResolver()
    for name, kind, region, groups, rules in DEMO_CONNECTIONS:
        connection, _ = Connection.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "default_region": region,
                "schedule_hours": 0,
                "is_demo": True,
                "created_by": admin,
            },
        )
        connection.usage.all().delete()
        connection.runs.all().delete()
        MappingRule.objects.filter(connection=connection).delete()
        for field, value, department in rules:
            MappingRule.objects.create(
                connection=connection, field=field, value=value, department_id=departments[department]
            )
        if not groups:
            continue
        attributor = services.Attributor(connection)
        run = SyncRun.objects.create(
            connection=connection,
            trigger=SyncRun.Trigger.DEMO,
            requested_by=admin,
            status=SyncRun.Status.RUNNING,
            start_date=start,
            end_date=today - datetime.timedelta(days=1),
        )
        rows = []
        for offset in range(DEMO_DAYS, 0, -1):
            day = today - datetime.timedelta(days=offset)
            for group, model, per_day, tokens_in, tokens_out in groups:
                requests = max(1, round(per_day * (0.2 if day.weekday() >= 5 else 1) * rng.uniform(0.7, 1.3)))
                by_project = kind == Connection.Kind.OPENAI  # else by workspace
                bucket = providers.Bucket(
                    day=day,
                    key=("demo", kind, day.isoformat(), group, model),
                    model=model,
                    provider=kind,
                    requests=requests,
                    input_tokens=requests * tokens_in,
                    output_tokens=requests * tokens_out,
                    project=group if by_project else "",
                    workspace="" if by_project else group,
                )
                rows.append(services._bucket_row(connection, bucket, resolver, attributor))
        services._upsert_buckets(rows)
        records = services._derive_records(connection, where="1 = 1", params=[])
        unattributed = ProviderUsage.objects.filter(connection=connection, department__isnull=True).count()
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncRun.Status.SUCCEEDED,
            buckets_read=len(rows),
            buckets_added=len(rows),
            records_written=records,
            unattributed_buckets=unattributed,
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
        Connection.objects.filter(pk=connection.pk).update(synced_through=run.end_date)
