"""Fault test: SIGKILL the whole worker (and its embedded beat) in the middle of an import, start it again:
the import completes exactly once. Bound stated here: done within 120 s of the kill on this 2-core
machine, with a lease of 4 s (USAGE_IMPORT_LEASE_S) and beat checking every lease (the measured figure is
printed). The broker's own redelivery (visibility timeout, 40 min) plays no part."""

import os
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.worker import celery_worker_process, require_broker_and_postgres
from usage import services as usage
from usage.models import UsageImport, UsageRecord

HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"
ROWS = 120_000
BOUND_S = 120


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_resumed_and_the_import_completes_exactly_once(
    reference_rows, root, sales, tmp_path, settings
):
    require_broker_and_postgres()
    settings.USAGE_IMPORT_DIR = tmp_path
    environ = {
        "USAGE_IMPORT_DIR": str(tmp_path),
        "USAGE_IMPORT_LEASE_S": "4",
        "OUTBOX_SWEEP_SECONDS": "2",
    }
    worker_args = ["-B", f"--schedule={tmp_path / 'beat-schedule'}"]
    line = "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5000,2000,0,,,killed-worker,{}\n"
    content = (HEADER + "".join(line.format(n) for n in range(ROWS))).encode()

    # Given a worker (with its beat) importing a large file
    with celery_worker_process(worker_args, environ) as worker:
        created = usage.usage_import_create(uploaded_by=root, upload=SimpleUploadedFile("big.csv", content))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            current = UsageImport.objects.get(pk=created.pk)
            if current.status == "checking" and current.processed_bytes > 0:
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"the import never got going: {current.status}")

        # When the whole worker is killed mid-import
        os.killpg(worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        worker.wait(timeout=10)
    killed = UsageImport.objects.get(pk=created.pk)
    assert killed.status == "checking" and killed.attempt == 1 and not UsageRecord.objects.exists()

    # And started again
    with celery_worker_process(worker_args, environ):
        while time.monotonic() - killed_at < BOUND_S:
            current = UsageImport.objects.get(pk=created.pk)
            if current.finished:
                break
            time.sleep(0.2)
        resumed_in_s = time.monotonic() - killed_at
        time.sleep(6)  # more beat sweeps: nothing may run it again
    print(
        f"import killed at {killed.processed_bytes} of {killed.file_bytes} bytes; done {resumed_in_s:.1f} s later"
    )

    # Then it completed, once: every record exactly once, on the second attempt, within the bound
    done = UsageImport.objects.get(pk=created.pk)
    assert (done.status, done.inserted_rows, done.duplicate_rows, done.attempt) == ("done", ROWS, 0, 2)
    assert UsageRecord.objects.count() == ROWS
    assert UsageRecord.objects.filter(usage_import=done).count() == ROWS
    assert resumed_in_s < BOUND_S
