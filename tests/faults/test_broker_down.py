"""Fault test: the broker is really unreachable (a closed port, then a port that accepts and never answers).

Requests that queue work (submit, approve, CSV import, the usage API) must succeed quickly, the work must
wait in the outbox, and a real worker on Redis must deliver all of it once the broker is back.
Bound stated here: every request < 2 s with the broker refusing, < 2 s + 2 × OUTBOX_BROKER_TIMEOUT_S
with a broker that never answers (the measured figures are printed).
"""

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.models import Notification, UseCase
from portal.celery import app
from portal.models import OutboxMessage
from tests.connectors import otel
from tests.factories import use_case
from tests.worker import celery_worker_process, require_broker_and_postgres
from usage.connectors import services as connectors
from usage.models import MonthlyRollup, UsageImport, UsageRecord

HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"
REFUSED_BOUND_S = 2.0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app (the web side) at another broker; the real one afterwards."""
    saved = app.conf.broker_url
    saved_environ = os.environ.get("CELERY_BROKER_URL")  # Celery reads this one before its settings
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url
    try:
        yield
    finally:
        app.conf.broker_url = saved
        if saved_environ is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ


@contextmanager
def silent_broker() -> Iterator[str]:
    """A port that accepts connections and never answers (a hung broker, a black-holed network)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()


def warm_up(client, user, case) -> None:
    """A running web server has its modules imported: do that before measuring (not the broker's cost)."""
    # Imported here, as the warm-up: the request below loads the rest of what a running server has.
    import kombu.transport.redis  # noqa: F401

    client.force_login(user)
    assert client.get(f"/api/v1/governance/use-cases/{case.pk}/").status_code == 200


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def wait_for(condition, timeout_s: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout_s} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_requests_succeed_quickly_and_the_work_is_delivered_when_it_returns(
    client, reference_rows, alice, bruno, root, sales, tmp_path, settings
):
    require_broker_and_postgres()
    settings.USAGE_IMPORT_DIR = tmp_path
    case = use_case(alice)  # a draft: nothing queued yet
    timings = {}
    warm_up(client, alice, case)

    # Given a broker nobody listens on
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        # When alice submits, bruno approves, root uploads a CSV and sends usage through the API
        client.force_login(alice)
        submitted, timings["submit"] = timed(
            lambda: client.post(f"/api/v1/governance/use-cases/{case.pk}/submit/")
        )
        client.force_login(bruno)
        approved, timings["approve"] = timed(
            lambda: client.post(
                f"/api/v1/governance/use-cases/{case.pk}/approve/", {}, content_type="application/json"
            )
        )
        client.force_login(root)
        csv = HEADER + "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5000,2000,0,,,crm,csv-1\n"
        uploaded, timings["csv import"] = timed(
            lambda: client.post("/usage/import/", {"file": _upload("usage.csv", csv.encode())}, follow=False)
        )
        record = {
            "date": "2026-09-03", "department": "Sales", "model": "gpt-4o-mini", "region": "FRA",
            "requests": 4, "output_tokens": 100, "source": "api", "external_id": "api-1",
        }  # fmt: skip
        ingested, timings["usage API"] = timed(
            lambda: client.post("/api/v1/usage/records/", [record], content_type="application/json")
        )

    # Then each request succeeded, within the bound
    print("latency with the broker refusing (s):", {k: round(v, 3) for k, v in timings.items()})
    assert (submitted.status_code, approved.status_code, uploaded.status_code, ingested.status_code) == (
        200, 200, 302, 201,
    )  # fmt: skip
    assert max(timings.values()) < REFUSED_BOUND_S, timings
    case.refresh_from_db()
    assert case.status == UseCase.Status.APPROVED
    # and the work waits in the outbox: two notifications, the import, the API's rollup refresh
    pending = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True).values_list("task_name", flat=True)
    )
    assert sorted(pending) == sorted(
        [
            "governance.tasks.usecase_notify_deciders_task",
            "governance.tasks.usecase_notify_owner_task",
            "usage.tasks.usage_import_task",
            "usage.tasks.usage_rollup_task",
        ]
    )
    assert OutboxMessage.objects.filter(attempts=1).exclude(last_error="").count() == 4
    usage_import = UsageImport.objects.get()
    assert usage_import.status == UsageImport.Status.QUEUED and not Notification.objects.exists()

    # When the broker is back and a worker starts
    with celery_worker_process():
        delivered_in_s = wait_for(
            lambda: (
                not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
                and UsageImport.objects.get().finished
                and Notification.objects.count() == 2
                and MonthlyRollup.objects.filter(month__in=["2026-09-01", "2026-10-01"]).count() == 2
            ),
            timeout_s=60,
        )
    print(f"all queued work delivered {delivered_in_s:.1f} s after the worker started")

    # Then everything asked for while it was down was done: both e-mails, the import, both rollups
    keys = sorted(Notification.objects.values_list("key", flat=True))
    assert [key.split(":")[0] for key in keys] == ["deciders", "owner"], keys
    assert UsageImport.objects.get().status == UsageImport.Status.DONE
    assert set(UsageRecord.objects.values_list("external_id", flat=True)) == {"csv-1", "api-1"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_broker_that_never_answers_costs_a_request_at_most_the_outbox_timeout(
    client, reference_rows, alice, bruno, settings
):
    require_broker_and_postgres()
    case = use_case(alice)
    warm_up(client, alice, case)
    bound_s = REFUSED_BOUND_S + 2 * settings.OUTBOX_BROKER_TIMEOUT_S
    client.force_login(alice)
    with silent_broker() as url, broker_at(url):
        submitted, elapsed_s = timed(lambda: client.post(f"/api/v1/governance/use-cases/{case.pk}/submit/"))
    print(f"submit with a silent broker: {elapsed_s:.2f} s (bound {bound_s} s)")
    assert submitted.status_code == 200 and elapsed_s < bound_s
    assert OutboxMessage.objects.get(dispatched_at__isnull=True).task_name.endswith("notify_deciders_task")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_dispatch_command_says_when_the_broker_refuses_and_sends_once_it_is_back(
    reference_rows, alice, bruno
):
    require_broker_and_postgres()
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        use_case(alice, status="submitted")
        with pytest.raises(CommandError, match="the broker refused"):
            call_command("outbox_dispatch")
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 1

    call_command("outbox_dispatch")

    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    app.control.purge()  # the message went to the real broker; no worker here to take it


def _upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_otlp_receiver_answers_quickly_and_its_rollup_waits_in_the_outbox(
    client, reference_rows, sales, root
):
    require_broker_and_postgres()
    traces, token = connectors.connection_create(
        created_by=root, name="Traces", kind="otlp", default_region="europe-west9"
    )
    connectors.rule_create(connection=traces, field="project", value="support-bot", department=sales)
    OutboxMessage.objects.all().delete()  # the rule's re-attribution queued nothing to count here
    body = otel.protobuf_body(
        otel.spans(
            [{"gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 10,
              "gen_ai.usage.output_tokens": 5}]
        )
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/otlp/v1/traces", b"{}", content_type="application/json", headers=headers)  # warm-up

    # Given a broker nobody listens on, when an exporter sends a span
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        response, seconds = timed(
            lambda: client.post(
                "/otlp/v1/traces", body, content_type="application/x-protobuf", headers=headers
            )
        )

    # Then the span is counted, the answer comes quickly, and the month's rollup (a minute later, so
    # that it takes in the spans of that minute) waits in the outbox for the broker
    print(f"OTLP receiver latency with the broker refusing: {seconds:.3f} s")
    assert response.status_code == 200 and seconds < REFUSED_BOUND_S
    assert UsageRecord.objects.get(source=traces.source).requests == 1
    pending = OutboxMessage.objects.get(dispatched_at__isnull=True)
    assert (pending.task_name, pending.countdown_s) == ("usage.tasks.usage_rollup_task", 60)
