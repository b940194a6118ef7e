import datetime

from celery import shared_task

from usage import rollups, services
from usage.connectors import services as connectors
from usage.models import SyncRun, UsageImport


@shared_task(acks_late=True)
def usage_import_task(usage_import_id: int) -> str:
    """Check, then import, an uploaded file. Safe to run twice (a finished or held import is left as is)."""
    usage_import = UsageImport.objects.filter(pk=usage_import_id).first()
    return services.usage_import_run(usage_import=usage_import).status if usage_import else "missing"


@shared_task
def usage_imports_resume_stale_task() -> int:
    """Queue again the imports whose worker died (no heartbeat for the lease); beat runs it."""
    return services.usage_imports_resume_stale()


@shared_task(acks_late=True)
def usage_rollup_task(months: list[str]) -> int:
    """Recompute the rollups of these months (ISO dates), then check use cases for drift."""
    count = rollups.rollups_recompute(months=[datetime.date.fromisoformat(month) for month in months])
    rollups.usage_drift_check()
    return count


@shared_task(acks_late=True)
def usage_rollups_nightly_task() -> int:
    """Nightly (beat): recompute the rollups an earlier estimator version computed (imports, syncs and
    undos refresh their own months when they commit, so only a method change leaves rollups behind), then
    check approved use cases for drift, which moves with the calendar even when no record changes. Safe to
    run twice."""
    result = rollups.rollups_recompute_outdated()
    rollups.usage_drift_check()
    return result.rollups


@shared_task(acks_late=True)
def connection_sync_task(sync_run_id: int) -> str:
    """Run a queued sync of a usage connection. Safe to run twice (only a queued run starts)."""
    run = SyncRun.objects.filter(pk=sync_run_id).select_related("connection").first()
    return connectors.sync_run(run=run).status if run else "missing"


@shared_task(acks_late=True)
def connections_sync_due_task() -> int:
    """Queue the syncs whose schedule says it is time (beat, every 5 minutes)."""
    return len(connectors.connections_sync_due())


@shared_task
def otlp_spans_prune_task() -> int:
    """Forget the OTLP span keys older than the retention window (beat, daily)."""
    return connectors.otlp_spans_prune()
