"""A real Celery worker on the Redis broker, observed through the database it shares with the test."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.tasks import session_cleanup_task
from tests.worker import celery_worker_process


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_deletes_expired_sessions():
    # Given one expired and one live session in the database
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))

    # When the task is sent to the broker and a real worker runs it
    with celery_worker_process():
        result = session_cleanup_task.delay()
        deleted = result.get(timeout=30)

    # Then the worker deleted exactly the expired one
    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
