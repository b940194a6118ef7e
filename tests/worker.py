"""Start a real Celery worker process for integration tests, pointed at the test database."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection


def require_broker_and_postgres() -> None:
    """Integration tests need the real services; CI provides them, so there a missing one fails."""
    problems = []
    if not settings.CELERY_BROKER_URL:
        problems.append("CELERY_BROKER_URL is not set")
    if connection.vendor != "postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if problems:
        if os.environ.get("CI"):
            pytest.fail("; ".join(problems) + " (CI must run every test)")
        pytest.skip("; ".join(problems) + ": run `make test` with both services (see README)")


@contextmanager
def celery_worker_process(
    args: Sequence[str] = (), environ: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A worker (plus `args`, e.g. `-B` for an embedded beat) in its own process group, so that a test
    can kill all of it at once (os.killpg)."""
    require_broker_and_postgres()
    db = connection.settings_dict
    database_url = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        **(environ or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "--purge",
        "--loglevel=INFO",
        *args,
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    output: list[str] = []
    ready = threading.Event()

    def drain() -> None:  # a worker whose pipe is not read blocks after 64 KiB
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "ready." in line:
                ready.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not ready.wait(timeout=60):
            raise AssertionError("the Celery worker did not start:\n" + "".join(output))
        yield process
    except BaseException:
        print("Celery worker log:\n" + "".join(output[-200:]))  # noqa: T201 (pytest shows it with the failure)
        raise
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
