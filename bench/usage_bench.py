"""Usage benchmark: `make bench-usage` (PostgreSQL: DATABASE_URL must point at it).

Generates 1,000,000 usage records as a CSV file, then, in one run on this machine:
1. the CSV import (check + insert) against `psql \\copy` of the same file into a plain table with the
   file's columns, side by side: throughput ratio (aim ≥ 0.25), and the import's peak memory growth;
2. the dashboard's queries and server time with 10,000 records and with 1,000,000 (aim: ≤ 10 queries,
   the same at both sizes; time at 1M ≤ 2× time at 10k);
3. at 1,000,000, the yearly organisation management report (PDF) against the dashboard, requests
   alternating in one loop: its queries (aim: the dashboard's) and its server time (aim: ≤ 3× the
   dashboard's); also against the dashboard plus the training panel its page loads, and against the
   page with everything the report prints (its five tables, the training panel, the what-if).
"""

from __future__ import annotations

import csv
import datetime
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import Department, User  # noqa: E402
from usage import rollups  # noqa: E402
from usage import services as usage  # noqa: E402
from usage.models import UsageImport, UsageRecord  # noqa: E402
from usage.views import TABLES  # noqa: E402

DEPARTMENTS = ["Marketing", "Finance", "Customer service", "Legal", "R&D", "Sales"]
MODELS = ["gpt-4o", "gpt-4o-mini", "llama-3.1-70b", "llama-3-8b", "mistral-small", "gemini-2.5-flash"]
REGIONS = ["europe-west9", "us-central1", "europe-north1", "asia-south1", "FRA", "DEU"]


def write_csv(path: Path, rows: int, seed: int, source: str) -> None:
    rng = random.Random(seed)
    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=365)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(usage.COLUMNS)
        for n in range(rows):
            day = start + datetime.timedelta(days=rng.randrange(365))
            requests = rng.randint(1, 500)
            writer.writerow(
                [day.isoformat(), rng.choice(DEPARTMENTS), "", rng.choice(MODELS), rng.choice(REGIONS), requests,
                 requests * rng.randint(100, 3000), requests * rng.randint(50, 800), 0, "", "", source, n]
            )  # fmt: skip


def import_file(path: Path, admin: User) -> tuple[float, int, UsageImport]:
    # The import deletes its file once done: it reads a copy, and psql \copy the original afterwards.
    copy = path.with_name(f"imported-{path.name}")
    shutil.copyfile(path, copy)
    usage_import = UsageImport.objects.create(uploaded_by=admin, file_name=path.name, path=str(copy))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = usage.usage_import_run(usage_import=usage_import)
    elapsed = time.perf_counter() - start
    rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert result.status == "done", (result.status, result.message, result.errors[:3])
    return elapsed, rss_growth_kb, result


def psql(command: str) -> float:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    arguments = [
        "psql",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"],
        "-d",
        db["NAME"],
        "-q",
        "-c",
        command,
    ]
    start = time.perf_counter()
    subprocess.run(arguments, check=True, env=env)
    return time.perf_counter() - start


COPY_COLUMNS = "date, department_id, use_case_id, model_id, region, requests, input_tokens, output_tokens, images, image_width, image_height, source, external_id"


def psql_copy_bare(path: Path) -> float:
    """\\copy of the same CSV file into a plain table with the file's columns (no index, no constraint)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE TABLE bench_copy (date date, department text, use_case text, model text, region text, "
            "requests integer, input_tokens bigint, output_tokens bigint, images integer, image_width integer, "
            "image_height integer, source text, external_id text)"
        )
    return psql(f"\\copy bench_copy FROM '{path}' WITH (FORMAT csv, HEADER true, NULL '')")


def psql_copy_into_records(source: str, directory: Path) -> float:
    """\\copy of the same rows (names resolved to ids) into the records table itself, with its unique index,
    foreign keys and date index: what the database alone costs for this load."""
    resolved = directory / "resolved.csv"
    psql(
        f"\\copy (SELECT {COPY_COLUMNS} FROM usage_usagerecord WHERE source = '{source}') TO '{resolved}' WITH (FORMAT csv)"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM usage_usagerecord WHERE source = %s", [source])
    seconds = psql(f"\\copy usage_usagerecord ({COPY_COLUMNS}) FROM '{resolved}' WITH (FORMAT csv)")
    resolved.unlink()
    return seconds


def dashboard_measure(client: Client, runs: int = 15) -> tuple[float, int]:
    client.get("/dashboard/", secure=True)  # warm: reference data, templates
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get("/dashboard/", secure=True)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
        queries = len(captured)
    return statistics.median(times), queries


def report_measure(client: Client, runs: int = 9) -> dict[str, tuple[float, int]]:
    """The yearly organisation PDF and the dashboard for the same months, each request in turn in every
    round (the machine's load falls on all alike): each one's median time and query count.

    Besides the dashboard page: the training panel the page asks for as soon as it is shown, and the parts
    it shows when asked, which the report prints — its five tables and the what-if at the report's
    settings. The page asks for those with htmx, which answers the part alone (without the header, the
    whole page again, for browsers without JavaScript). A table asked alone reads the rollups again; the
    page with that table (the link without JavaScript) reads them once, as the page did when its tables
    were in it: what a table adds to the page is that page's time less the page's."""
    year = timezone.localdate().year
    months = f"start={year}-01&end={year}-12"
    report = f"/reports/management-report.pdf?period={year}&language=en"
    client.get(report, secure=True)  # warm: WeasyPrint's import, fonts, templates
    urls = {
        "report": report,
        "dashboard": f"/dashboard/?{months}",
        "training": f"/dashboard/training/?{months}",
        **{f"table {name}": f"/dashboard/tables/{name}/?{months}" for name in TABLES},
        **{f"page with table {name}": f"/dashboard/tables/{name}/?{months}" for name in TABLES},
        "what-if": f"/dashboard/what-if/?{months}&whatif-region=&whatif-output_cap_percent=30"
        "&whatif-train_remaining=on&whatif-small_model_percent=30",
    }
    page = {"report", "dashboard", *(f"page with table {name}" for name in TABLES)}
    times: dict[str, list[float]] = {name: [] for name in urls}
    queries: dict[str, int] = {}
    for _ in range(runs):
        for name, url in urls.items():
            headers = None if name in page else {"HX-Request": "true"}
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, secure=True, headers=headers)
                times[name].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            queries[name] = len(captured)
    return {name: (statistics.median(times[name]), queries[name]) for name in urls}


def main() -> int:
    if connection.vendor != "postgresql":
        print("The usage benchmark runs on PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    directory = Path(tempfile.mkdtemp(prefix="usage-bench-"))
    try:
        for name in DEPARTMENTS:
            Department.objects.get_or_create(name=name)
        admin = User.objects.create_user(
            "bench-admin",
            "a@example.org",
            "bench-password-123",
            role="admin",
            department=Department.objects.first(),
        )
        client = Client()
        client.force_login(admin)

        small, large = directory / "usage-10k.csv", directory / "usage-990k.csv"
        write_csv(small, 10_000, seed=1, source="bench-small")
        write_csv(large, 990_000, seed=2, source="bench-large")

        import_file(small, admin)
        rollups.rollups_recompute()
        time_10k, queries_10k = dashboard_measure(client)

        import_seconds, rss_growth_kb, result = import_file(large, admin)
        copy_bare_seconds = psql_copy_bare(large)
        copy_table_seconds = psql_copy_into_records("bench-large", directory)
        rollup_start = time.perf_counter()
        groups = rollups.rollups_recompute()
        rollup_seconds = time.perf_counter() - rollup_start
        time_1m, queries_1m = dashboard_measure(client)
        measured = report_measure(client)
        records = UsageRecord.objects.count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    size_mb = large.stat().st_size / 1e6
    print(f"records in the database:                  {records:>12,}")
    print(
        f"CSV import of {result.total_rows:,} rows ({size_mb:.0f} MB): {import_seconds:>8.1f} s ({result.total_rows / import_seconds:,.0f} rows/s)"
    )
    print(
        f"psql \\copy, same file, into a bare table:  {copy_bare_seconds:>8.1f} s   import ÷ it: {copy_bare_seconds / import_seconds:.2f}"
    )
    print(
        f"psql \\copy, same rows, into the records table: {copy_table_seconds:>5.1f} s   import ÷ it: {copy_table_seconds / import_seconds:.2f}   (aim ≥ 0.25)"
    )
    print(f"peak memory growth during the import:     {rss_growth_kb / 1024:>10.0f} MB")
    print(
        f"rollup recompute (all months):             {rollup_seconds:>9.1f} s, {groups:,} groups, one estimate each"
    )
    print(f"dashboard at 10k records:                 {time_10k * 1000:>10.1f} ms, {queries_10k} queries")
    print(f"dashboard at 1M records:                  {time_1m * 1000:>10.1f} ms, {queries_1m} queries")
    print(
        f"dashboard time 1M ÷ 10k:                  {time_1m / time_10k:>10.2f}   (aim ≤ 2; queries ≤ 10 and equal)"
    )
    (report_time, report_queries), (page_time, page_queries) = measured["report"], measured["dashboard"]
    training_time, training_queries = measured["training"]
    parts = ["training", *(f"table {name}" for name in TABLES), "what-if"]
    parts_time = sum(measured[name][0] for name in parts)
    # The page with everything the report prints, each table read with the page's rollups (see report_measure)
    tables_in_page = sum(max(0.0, measured[f"page with table {name}"][0] - page_time) for name in TABLES)
    shown_time = page_time + tables_in_page + measured["training"][0] + measured["what-if"][0]
    print(
        f"yearly report (PDF) at 1M:                {report_time * 1000:>10.1f} ms, {report_queries} queries;"
        f" the dashboard page, same months, beside it {page_time * 1000:.1f} ms, {page_queries} queries"
    )
    print(
        f"report time ÷ dashboard page time:        {report_time / page_time:>10.2f}   (aim ≤ 3; queries ≤ the dashboard's)"
    )
    print(
        f"÷ the page and the training panel it loads ({training_time * 1000:.1f} ms, {training_queries} queries):"
        f" {report_time / (page_time + training_time):.2f}"
    )
    print(
        f"÷ the page with all the report prints, asked as the page asks (panel, five tables, what-if:"
        f" {parts_time * 1000:.1f} ms more): {report_time / (page_time + parts_time):.2f}"
    )
    print(
        f"÷ the page with its five tables in it (as before they loaded when asked: {tables_in_page * 1000:.1f} ms"
        f" more): {report_time / (page_time + tables_in_page):.2f}"
    )
    print(
        f"÷ the page with all the report prints, its tables read with the page's rollups (tables"
        f" {tables_in_page * 1000:.1f} ms, panel and what-if {(shown_time - page_time - tables_in_page) * 1000:.1f} ms"
        f" more): {report_time / shown_time:.2f}"
    )
    for path in (small, large):
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
