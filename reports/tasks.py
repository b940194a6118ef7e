from celery import shared_task

from reports import targets


@shared_task(acks_late=True)
def targets_check_pace_task() -> int:
    """E-mail about targets above their pace (once per target, recipient and month: safe to run twice)."""
    return targets.targets_check_pace()
