"""The OTLP receiver against a baseline commit, interleaved in one run (PostgreSQL: DATABASE_URL).

    python -m bench.otlp_compare BASELINE_REV [--rounds 3] [--exports 20]

The baseline's code is unpacked with `git archive` into a temporary folder; each round measures the
baseline, then this tree, each in a fresh process with its own throwaway database: `--exports` protobuf
exports of 1,000 GenAI spans (built by the OpenTelemetry SDK beforehand) posted through Django's test
client, after one warm-up export. The machine is shared: the ratio of the medians holds better than the
absolute figures, which are printed with the load average at the time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5"]


def measure(exports: int) -> None:
    """In the tree on sys.path: print `RESULT <spans/s> <requests stored>`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from portal.models import Department, User
        from tests.connectors import otel
        from usage.connectors import services
        from usage.models import MappingRule, UsageRecord

        cache.clear()
        department, _ = Department.objects.get_or_create(name="Marketing")
        admin = User.objects.create_user(
            "bench", "b@example.org", "bench-password-123", role="admin", department=department
        )
        traces, token = services.connection_create(
            created_by=admin, name="traces", kind="otlp", default_region="FRA"
        )
        MappingRule.objects.create(connection=traces, field="project", value="app-1", department=department)
        bodies = [
            otel.protobuf_body(
                otel.spans(
                    [
                        {"gen_ai.provider.name": "openai", "gen_ai.request.model": MODELS[i % 3],
                         "gen_ai.usage.input_tokens": 100 + i, "gen_ai.usage.output_tokens": 50}
                        for i in range(1000)
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
                "/otlp/v1/traces",
                data=body,
                content_type="application/x-protobuf",
                headers=headers,
                secure=True,
            )
            assert response.status_code == 200, response.content

        post(bodies[0])
        began = time.perf_counter()
        for body in bodies[1:]:
            post(body)
        seconds = time.perf_counter() - began
        stored = sum(UsageRecord.objects.values_list("requests", flat=True))
        print(f"RESULT {exports * 1000 / seconds:.1f} {stored}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(tree: Path, name: str, exports: int) -> tuple[float, str]:
    database = os.environ["DATABASE_URL"].rstrip("/")
    env = {**os.environ, "PYTHONPATH": str(tree), "DATABASE_URL": f"{database}_{name}"}
    command = [sys.executable, str(HERE), "--measure", "--exports", str(exports)]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    found = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if not found:
        raise SystemExit(f"{name}: no result\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    _, rate, stored = found[0].split()
    return float(rate), stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", nargs="?", help="the commit to compare with (git rev)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.exports)
        return 0
    if not options.baseline or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("give the baseline commit, and DATABASE_URL pointing at PostgreSQL")
    with tempfile.TemporaryDirectory(prefix="otlp-baseline-") as folder:
        archive = subprocess.run(
            ["git", "archive", options.baseline], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        trees = {"baseline": Path(folder), "this_tree": ROOT}
        rates: dict[str, list[float]] = {name: [] for name in trees}
        for number in range(1, options.rounds + 1):
            for name, tree in trees.items():
                load = Path("/proc/loadavg").read_text().split()[0]
                rate, stored = run(tree, name, options.exports)
                rates[name].append(rate)
                print(
                    f"round {number} {name:9s} {rate:8,.0f} spans/s   (load average {load}; "
                    f"requests stored {stored})",
                    flush=True,
                )
    baseline, current = statistics.median(rates["baseline"]), statistics.median(rates["this_tree"])
    print(
        f"median: baseline {baseline:,.0f} spans/s, this tree {current:,.0f} spans/s, "
        f"ratio {current / baseline:.2f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
