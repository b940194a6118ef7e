"""The Celery application. Tasks live in each app's tasks.py; the beat schedule is in settings."""

import os
from typing import Any

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# DjangoTask adds delay_on_commit(): enqueue only once the transaction that asked for it commits.
app = Celery("portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue a task by its registered name once the current transaction commits.

    Services enqueue through this one function, by name, so that an app's tasks (which call its services)
    and its services never import each other.
    """
    task = app.tasks[task_name]
    transaction.on_commit(lambda: task.delay(*args))
