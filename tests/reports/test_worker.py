import pytest

from governance.models import Notification
from reports import tasks
from tests.usage.test_dashboard import add_usage
from tests.worker import celery_worker_process


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_monthly_report_once_even_when_beat_fires_twice(reference_rows, root, sales):
    # Given usage last month and an admin
    add_usage([sales], months=2)

    with celery_worker_process():
        # When the monthly task is delivered twice
        first = tasks.management_report_monthly_task.delay().get(timeout=120)
        second = tasks.management_report_monthly_task.delay().get(timeout=120)

    # Then the admin got the report once
    assert (first, second) == (1, 0)
    (key,) = Notification.objects.filter(key__startswith="management-report:").values_list("key", flat=True)
    assert key.endswith(f":{root.pk}")
