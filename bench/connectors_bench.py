"""Usage connections benchmark (part of `make bench-usage`; PostgreSQL: DATABASE_URL must point at it).

1. A sync of a year of daily buckets for 100 projects × 20 models (730,000 buckets, every project mapped)
   from a local fake OpenAI usage API served by another process, against the CSV import of the same
   number of records: time ratio (aim ≤ 2) and the sync's peak memory growth (bounded: pages, not the year).
2. The OTLP receiver: protobuf exports of 1,000 GenAI spans each (built by the OpenTelemetry SDK beforehand),
   posted to the receiver in this process: spans per second on one core (aim ≥ 2,000), after one export
   timed apart (it asks for the month's rollup, which runs inline when no broker is configured).
"""

from __future__ import annotations

import csv
import datetime
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from estimator.models import AIModel, Modality  # noqa: E402
from portal.celery import app  # noqa: E402
from portal.models import Department, User  # noqa: E402
from tests.connectors import otel  # noqa: E402
from tests.connectors.fake_providers import FakeProvider, serve  # noqa: E402
from usage import services as csv_usage  # noqa: E402
from usage.connectors import services  # noqa: E402
from usage.models import MappingRule, SyncRun, UsageImport  # noqa: E402

PROJECTS, MODELS_COUNT, DAYS = 100, 20, 365
UTC = datetime.UTC


def _serve(models: list[str], port_queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]

    def rows(day: datetime.date) -> list[dict[str, object]]:
        return [
            {"input_tokens": 1000 + p, "output_tokens": 300 + m, "num_model_requests": 3, "project_id": f"proj_{p:03d}",
             "model": model}
            for p in range(PROJECTS)
            for m, model in enumerate(models)
        ]  # fmt: skip

    with serve(FakeProvider(secret="bench-key", openai_completions=rows)) as fake:
        port_queue.put(fake.base_url)
        while True:
            time.sleep(3600)


def sync_measure(
    admin: object, models: list[str], start: datetime.date, end: datetime.date
) -> tuple[float, int, object]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    server = context.Process(target=_serve, args=(models, queue), daemon=True)
    server.start()
    base_url = queue.get(timeout=30)
    try:
        connection_row, _ = services.connection_create(
            created_by=admin, name="bench", kind="openai", base_url=base_url + "/v1", secret="bench-key",
            default_region="us-central1",
        )  # fmt: skip
        departments = list(Department.objects.all())
        MappingRule.objects.bulk_create(
            MappingRule(
                connection=connection_row,
                field="project",
                value=f"proj_{p:03d}",
                department=departments[p % len(departments)],
            )
            for p in range(PROJECTS)
        )
        run = SyncRun.objects.create(
            connection=connection_row, trigger=SyncRun.Trigger.BACKFILL, start_date=start, end_date=end
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        run = services.sync_run(run=run)
        seconds = time.perf_counter() - began
        growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    finally:
        server.terminate()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return seconds, growth_kb, run


def csv_import_measure(
    admin: object, models: list[str], start: datetime.date, directory: Path
) -> tuple[float, int]:
    departments = list(Department.objects.values_list("name", flat=True))
    path = directory / "same-records.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_usage.COLUMNS)
        for offset in range(DAYS):
            day = (start + datetime.timedelta(days=offset)).isoformat()
            for p in range(PROJECTS):
                for m, model in enumerate(models):
                    writer.writerow(
                        [day, departments[p % len(departments)], "", model, "us-central1", 3, 1000 + p, 300 + m, 0,
                         "", "", "bench-csv", f"{day}-{p}-{m}"]
                    )  # fmt: skip
    usage_import = UsageImport.objects.create(uploaded_by=admin, file_name=path.name, path=str(path))
    began = time.perf_counter()
    result = csv_usage.usage_import_run(usage_import=usage_import)
    seconds = time.perf_counter() - began
    assert result.status == "done", (result.status, result.message)
    path.unlink(missing_ok=True)
    return seconds, result.inserted_rows


def otlp_measure(admin: object, exports: int = 20, spans_each: int = 1000) -> tuple[float, int, float]:
    """Steady-state seconds for `exports` exports, their spans, and the seconds of one export before them:
    the first export of a minute asks for the month's rollup, which a worker runs in production but which
    runs inline here when no broker is configured (CELERY_BROKER_URL unset): timed apart, not hidden."""
    _connection, token = services.connection_create(
        created_by=admin, name="traces", kind="otlp", default_region="FRA"
    )
    models = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5"]
    bodies = [
        otel.protobuf_body(
            otel.spans(
                [
                    {"gen_ai.provider.name": "openai", "gen_ai.request.model": models[i % 3],
                     "gen_ai.usage.input_tokens": 100 + i, "gen_ai.usage.output_tokens": 50}
                    for i in range(spans_each)
                ],
                service=f"app-{n % 5}",
            )
        )
        for n in range(exports + 1)
    ]  # fmt: skip
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}

    def post(body: bytes) -> None:
        response = client.post(
            "/otlp/v1/traces", data=body, content_type="application/x-protobuf", headers=headers, secure=True
        )
        assert response.status_code == 200, response.content

    began = time.perf_counter()
    post(bodies[0])
    first_seconds = time.perf_counter() - began
    began = time.perf_counter()
    for body in bodies[1:]:
        post(body)
    seconds = time.perf_counter() - began
    return seconds, exports * spans_each, first_seconds


def main() -> int:
    if connection.vendor != "postgresql":
        print("The connections benchmark runs on PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    directory = Path(tempfile.mkdtemp(prefix="connectors-bench-"))
    try:
        for name in ("Marketing", "Finance", "Customer service", "Legal", "R&D", "Sales"):
            Department.objects.get_or_create(name=name)
        admin = User.objects.create_user(
            "bench-admin",
            "a@example.org",
            "bench-password-123",
            role="admin",
            department=Department.objects.first(),
        )
        models = list(
            AIModel.objects.filter(modality=Modality.TEXT, provider="openai")
            .order_by("slug")
            .values_list("slug", flat=True)[:MODELS_COUNT]
        )
        end = datetime.datetime.now(UTC).date() - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=DAYS - 1)
        sync_seconds, growth_kb, run = sync_measure(admin, models, start, end)
        import_seconds, imported = csv_import_measure(admin, models, start, directory)
        otlp_seconds, spans, first_export_seconds = otlp_measure(admin)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"sync of {run.buckets_read:,} buckets ({run.records_written:,} usage records): {sync_seconds:>8.1f} s "
          f"({run.buckets_read / sync_seconds:,.0f} buckets/s)")  # fmt: skip
    print(f"CSV import of the same {imported:,} records:          {import_seconds:>8.1f} s")
    print(
        f"sync ÷ import time:                                 {sync_seconds / import_seconds:>8.2f}   (aim ≤ 2)"
    )
    print(f"peak memory growth during the sync:                 {growth_kb / 1024:>8.0f} MB")
    print(
        f"OTLP receiver, {spans:,} spans in 1,000-span exports:  {spans / otlp_seconds:>8,.0f} spans/s   (aim ≥ 2,000)"
    )
    rollup = "with the month's rollup inline: no broker" if app.conf.task_always_eager else "rollup queued"
    print(f"  the first export before them ({rollup}):        {first_export_seconds:>8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
