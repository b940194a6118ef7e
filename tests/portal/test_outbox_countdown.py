"""A task queued with a countdown through the outbox is sent with it (the OTLP receiver's rollup debounce)."""

import pytest

from portal import outbox
from portal.celery import app, enqueue_on_commit
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """What the dispatcher hands to the broker, with a broker configured (never contacted here)."""
    calls = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(outbox.app, "send_task", lambda name, **options: calls.append((name, options)))
    return calls


def test_the_countdown_is_stored_and_sent_with_the_task(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("usage.tasks.usage_rollup_task", ["2026-10-01"], countdown_s=60)
        enqueue_on_commit("usage.tasks.usage_import_task", 7)

    assert [(name, options["args"], options["countdown"]) for name, options in sent] == [
        ("usage.tasks.usage_rollup_task", [["2026-10-01"]], 60),
        ("usage.tasks.usage_import_task", [7], None),
    ]
    stored = [
        (message.countdown_s, message.dispatched_at is not None) for message in OutboxMessage.objects.all()
    ]
    assert stored == [(60, True), (0, True)]
