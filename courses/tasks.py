from celery import shared_task

from courses import services


@shared_task(acks_late=True)
def enrollment_remind_idle_task() -> int:
    """Weekly: remind learners idle for a week in an unfinished course (once a week each)."""
    return services.enrollment_remind_idle()
