from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(acks_late=True)
def session_cleanup_task() -> int:
    """Delete expired sessions (daily, from the beat schedule). Safe to run twice."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(acks_late=True)
def usage_import_task(usage_import_id: int) -> str:
    """Check, then import, an uploaded CSV file. Safe to run twice (a finished import is left as is)."""
    from portal import usage
    from portal.models import UsageImport

    usage_import = UsageImport.objects.filter(pk=usage_import_id).first()
    return usage.usage_import_run(usage_import=usage_import).status if usage_import else "missing"


@shared_task(acks_late=True)
def usage_rollup_task(months: list[str]) -> int:
    """Recompute the rollups of these months (ISO dates), then check use cases for drift."""
    import datetime

    from portal import rollups

    count = rollups.rollups_recompute(months=[datetime.date.fromisoformat(month) for month in months])
    rollups.usage_drift_check()
    return count


@shared_task(acks_late=True)
def usage_rollups_nightly_task() -> int:
    """Recompute every rollup from the records (nightly), then check use cases for drift."""
    from portal import rollups

    count = rollups.rollups_recompute()
    rollups.usage_drift_check()
    return count
