"""The Celery application. Tasks live in each app's tasks.py; the beat schedule is in settings."""

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# DjangoTask adds delay_on_commit(): enqueue only once the transaction that asked for it commits.
app = Celery("portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task_name: str, *args: Any, countdown_s: int = 0) -> None:
    """Queue a task by its registered name once the current transaction commits, through the outbox.

    The task is recorded in the current transaction (portal/outbox.py) and sent after the commit with a
    short broker timeout; if the broker is unreachable it stays pending and a sweep sends it later, so a
    broker outage never fails or stalls the caller. Tasks queued here may run more than once.
    Services enqueue through this one function, by name, so that an app's tasks (which call its services)
    and its services never import each other. Arguments must be JSON values. With `countdown_s`, the
    task runs that many seconds after it is sent.
    """
    # Imported here: this module is loaded with the Celery app, before Django's apps (and models) are ready.
    from portal.outbox import outbox_add

    outbox_add(task_name=task_name, args=args, countdown_s=countdown_s)


@worker_ready.connect
def _sweep_outbox_on_worker_start(**_kwargs: Any) -> None:
    """A worker that starts (after an outage, a deploy) sends what requests could not."""
    # Imported here: see enqueue_on_commit.
    from portal.outbox import outbox_sweep

    try:
        result = outbox_sweep()
    except Exception:  # the sweep must never stop a worker from starting; beat sweeps again soon
        logging.getLogger(__name__).exception("outbox sweep at worker start failed")
        return
    logging.getLogger(__name__).info(
        "outbox: %s sent at worker start, %s still pending", result.sent, result.pending
    )
