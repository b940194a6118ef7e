"""Governance tasks: notifications and the daily schedules. Each is safe to run twice."""

from celery import shared_task

from governance import notifications, services


@shared_task(acks_late=True)
def usecase_notify_deciders_task(event_id: int) -> int:
    return notifications.notify_deciders(event_id=event_id)


@shared_task(acks_late=True)
def usecase_notify_owner_task(event_id: int) -> int:
    return notifications.notify_owner(event_id=event_id)


@shared_task(acks_late=True)
def usecase_remind_pending_task() -> int:
    return notifications.usecase_remind_pending()


@shared_task(acks_late=True)
def usecase_start_due_reviews_task() -> int:
    return services.usecase_start_due_reviews()
