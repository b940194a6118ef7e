"""The Celery application. Tasks live in each app's tasks.py; the beat schedule is in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# DjangoTask adds delay_on_commit(): enqueue only once the transaction that asked for it commits.
app = Celery("portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
