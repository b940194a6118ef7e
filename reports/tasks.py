from celery import shared_task

from reports import management, register, targets


@shared_task(acks_late=True)
def targets_check_pace_task() -> int:
    """E-mail about targets above their pace (once per target, recipient and month: safe to run twice)."""
    return targets.targets_check_pace()


@shared_task(acks_late=True)
def refreshers_remind_task() -> int:
    """E-mail those whose AI-literacy refresher is due (once per training and due date)."""
    return register.refreshers_remind()


@shared_task(acks_late=True)
def management_report_monthly_task() -> int:
    """E-mail last month's management report to the admins (once a month each: safe to run twice)."""
    return management.management_report_send_monthly()
