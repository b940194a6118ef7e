from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.outbox import outbox_sweep


@shared_task(acks_late=True)
def session_cleanup_task() -> int:
    """Delete expired sessions (daily, from the beat schedule). Safe to run twice."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def outbox_dispatch_task() -> int:
    """Send the tasks requests recorded but could not send (broker down). Beat runs it every minute."""
    return outbox_sweep().sent
