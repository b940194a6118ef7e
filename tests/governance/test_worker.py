import pytest

from governance import notifications, tasks
from governance.models import Notification
from tests.factories import use_case
from tests.worker import celery_worker_process


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_notifies_the_deciders_once_even_when_the_task_runs_twice(reference_rows, alice, bruno):
    # Given a use case submitted (its notification is queued on commit)
    with celery_worker_process():
        case = use_case(alice, status="submitted")
        event = case.events.get(to_status="submitted")

        # When the same notification task is delivered again
        tasks.usecase_notify_deciders_task.delay(event.pk).get(timeout=30)
        second = tasks.usecase_notify_deciders_task.delay(event.pk).get(timeout=30)

    # Then bruno, the department's manager, was notified exactly once
    assert second == 0
    assert list(Notification.objects.values_list("key", flat=True)) == [f"deciders:{event.pk}:{bruno.pk}"]
    assert notifications.deciders_of(case) == [bruno]
