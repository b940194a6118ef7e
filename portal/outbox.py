"""The task outbox: work a transaction asks for is stored in that transaction, then sent to the broker.

A broker outage must never fail or stall a user request, and must never lose the work. So
`portal.celery.enqueue_on_commit` writes an `OutboxMessage` row in the caller's transaction (the work is
committed with the change that asked for it, or not at all); after the commit, `outbox_dispatch` sends it
with a short broker timeout (no retries: a refused or silent broker costs at most about
`OUTBOX_BROKER_TIMEOUT_S`). A message the broker did not take stays pending; the beat task
`portal.tasks.outbox_dispatch_task` (every `OUTBOX_SWEEP_SECONDS`), every worker when it starts, and
`manage.py outbox_dispatch` send what is pending once the broker is back. Delivery is at least once:
every task that goes through here is safe to run twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from celery import current_app as app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxMessage

# `app` is the project's Celery app (portal.celery, loaded by portal/__init__.py), read as Celery's current
# app: portal.celery imports this module to enqueue, so this module does not import it back.

logger = logging.getLogger(__name__)

KEEP_DISPATCHED = datetime.timedelta(days=7)
SWEEP_BATCH = 500


@dataclass(frozen=True)
class DispatchResult:
    sent: int
    pending: int
    error: str = ""


def outbox_add(*, task_name: str, args: Iterable[Any], countdown_s: int = 0) -> OutboxMessage:
    """Record a task to run, in the current transaction; it is sent once that transaction commits (and
    runs `countdown_s` seconds after it is sent)."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), countdown_s=countdown_s)
    transaction.on_commit(lambda: outbox_dispatch(message_ids=[message.pk]))
    return message


def _broker_connection() -> Any:
    timeout_s = settings.OUTBOX_BROKER_TIMEOUT_S
    return app.connection_for_write(
        transport_options={
            "socket_connect_timeout": timeout_s,
            "socket_timeout": timeout_s,
            "max_retries": 0,  # kombu's ensure_connection: one attempt, no back-off
        },
        connect_timeout=timeout_s,
    )


def _run_in_process(messages: list[OutboxMessage]) -> None:
    """No broker configured (`make run`, the SQLite test suite): the task runs here, now, as before."""
    for message in messages:
        OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now(), attempts=1)
        if message.task_name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[message.task_name].apply_async(args=message.args)  # eager: no countdown either


def outbox_dispatch(*, message_ids: list[int] | None = None) -> DispatchResult:
    """Send pending messages (these ids, or all). Never raises on a broker error: what was not sent stays
    pending for the next sweep. Rows another process is sending are skipped (locked), so the request that
    made a message and a sweep do not both send it."""
    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    if message_ids is not None:
        pending = pending.filter(pk__in=message_ids)
    if app.conf.task_always_eager:
        _run_in_process(list(pending.order_by("pk")))
        return DispatchResult(sent=0, pending=0)
    sent, error = 0, ""
    with _broker_connection() as connection:
        while not error:
            with transaction.atomic():
                batch = list(pending.order_by("pk").select_for_update(skip_locked=True)[:SWEEP_BATCH])
                for message in batch:
                    try:
                        app.send_task(
                            message.task_name,
                            args=message.args,
                            countdown=message.countdown_s or None,
                            connection=connection,
                            retry=False,
                            ignore_result=True,
                        )
                    except Exception as problem:  # broker down or refusing: keep it for the next sweep
                        error = f"{type(problem).__name__}: {problem}"[:500]
                        OutboxMessage.objects.filter(pk=message.pk).update(
                            attempts=message.attempts + 1, last_error=error
                        )
                        logger.warning("outbox: message %s kept for later: %s", message.pk, error)
                        break
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        dispatched_at=timezone.now(), attempts=message.attempts + 1, last_error=""
                    )
                    sent += 1
            if message_ids is not None or len(batch) < SWEEP_BATCH:
                break
    return DispatchResult(sent=sent, pending=pending.count(), error=error)


def outbox_sweep() -> DispatchResult:
    """Send what is pending (rows a request could not send, or a process died before sending), and forget
    messages sent more than a week ago."""
    OutboxMessage.objects.filter(dispatched_at__lt=timezone.now() - KEEP_DISPATCHED).delete()
    return outbox_dispatch()
