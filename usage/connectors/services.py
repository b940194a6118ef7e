"""Connections: credentials, syncs, mapping rules, and the OpenTelemetry receiver's ingest.

A sync reads whole UTC days from the provider into `ProviderUsage` (one row per provider bucket and
group, keyed by an external id made of the provider's keys, so reading a bucket twice replaces it), applies
the mapping rules, and derives the usage records of those days from the attributed rows, all in one
transaction: a failed sync changes nothing and its run says why. Rollups of the months touched are then
recomputed in the background.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core.cache import cache
from django.db import connection as db
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from estimator import services as estimator
from estimator.reference_data import slugify_model
from portal.celery import enqueue_on_commit
from portal.models import User
from usage.connectors import crypto, providers
from usage.connectors.http import ConnectorError
from usage.connectors.otlp import GenAISpan
from usage.models import Connection, MappingRule, OtlpSpan, ProviderUsage, SyncRun, UsageRecord
from usage.rollups import rollups_refresh_on_commit

logger = logging.getLogger(__name__)

BATCH_BUCKETS = 5_000
RESYNC_DAYS = 2  # providers finalise recent buckets late: a scheduled sync reads these days again
FIRST_SYNC_DAYS = 30
MAX_BACKFILL_DAYS = 3 * 366


# --- Credentials --------------------------------------------------------------------------------


def connection_create(
    *,
    created_by: User,
    name: str,
    kind: str,
    default_region: str,
    secret: str = "",
    base_url: str = "",
    schedule_hours: int = Connection.Schedule.DAILY,
    is_demo: bool = False,
) -> tuple[Connection, str | None]:
    """A new connection; for OpenTelemetry, also its ingest token (returned once, stored only as a hash)."""
    connection = Connection(
        name=name,
        kind=kind,
        base_url=base_url,
        default_region=default_region,
        schedule_hours=0 if kind == Connection.Kind.OTLP else schedule_hours,
        created_by=created_by,
        is_demo=is_demo,
    )
    token = None
    if kind == Connection.Kind.OTLP:
        token, connection.ingest_token_sha256 = crypto.new_ingest_token()
        connection.secret_set_at = timezone.now()
    elif secret:
        connection.secret_encrypted = crypto.encrypt(secret)
        connection.secret_set_at = timezone.now()
    connection.next_sync_at = timezone.now() if connection.schedule_hours else None
    connection.save()
    return connection, token


def connection_set_secret(*, connection: Connection, secret: str) -> str | None:
    """Replace the credentials (for OpenTelemetry: a new token, returned once; the old one stops working)."""
    token = None
    if connection.kind == Connection.Kind.OTLP:
        token, connection.ingest_token_sha256 = crypto.new_ingest_token()
    else:
        connection.secret_encrypted = crypto.encrypt(secret)
    connection.secret_set_at = timezone.now()
    connection.save(update_fields=["secret_encrypted", "ingest_token_sha256", "secret_set_at"])
    return token


def connection_for_token(token: str) -> Connection | None:
    if not token:
        return None
    return Connection.objects.filter(
        kind=Connection.Kind.OTLP, ingest_token_sha256=crypto.token_digest(token)
    ).first()


def _secret(connection: Connection) -> str:
    if not connection.secret_encrypted:
        raise ConnectorError(_("This connection has no credentials yet."))
    secret = crypto.decrypt(connection.secret_encrypted)
    if secret is None:
        raise ConnectorError(
            _("The stored credentials cannot be decrypted with the configured keys: enter them again.")
        )
    return secret


def _timeout_s() -> float:
    return float(getattr(settings, "USAGE_CONNECTOR_TIMEOUT_S", 30))


def _client_options() -> dict[str, float]:
    """Timeout and the first retry's wait (doubling at each attempt), from the settings."""
    return {
        "timeout_s": _timeout_s(),
        "backoff_s": float(getattr(settings, "USAGE_CONNECTOR_BACKOFF_S", 1.0)),
    }


def connection_test(*, connection: Connection) -> str:
    """Ask the provider for yesterday's usage once; a sentence saying what happened (ConnectorError: why not)."""
    if connection.kind == Connection.Kind.OTLP:
        since = timezone.now() - datetime.timedelta(days=1)
        count = OtlpSpan.objects.filter(connection=connection, date__gte=since.date()).count()
        return _("%(count)s GenAI spans received since yesterday.") % {"count": count}
    buckets = providers.test_connection(
        connection.kind, base_url=connection.base_url, secret=_secret(connection), timeout_s=_timeout_s()
    )
    return _("The provider answered: %(count)s buckets of usage yesterday.") % {"count": buckets}


# --- Attribution --------------------------------------------------------------------------------


class ModelResolver:
    """The catalogue model a provider's model name is: the same slug, or the slug EcoLogits' name gives.
    Anything else is unknown, reported, and never guessed."""

    def __init__(self) -> None:
        self.models = {slug: model.pk for slug, model in estimator.reference_data().models.items()}

    def resolve(self, name: str, provider: str = "") -> int | None:
        if not name:
            return None
        for candidate in (name, slugify_model(name), f"{provider}-{slugify_model(name)}" if provider else ""):
            if candidate in self.models:
                return self.models[candidate]
        return None


@dataclass(frozen=True)
class Attribution:
    department_id: int | None
    use_case_id: int | None
    region: str


class Attributor:
    """The mapping rules of one connection: the first rule matching the project, then the workspace, the
    API key, the team, then any tag gives the department, use case and region."""

    ORDER: Final = ("project", "workspace", "api_key", "team")

    def __init__(self, connection: Connection) -> None:
        self.default_region = connection.default_region
        self.rules = {
            (rule.field, rule.value): rule for rule in MappingRule.objects.filter(connection=connection)
        }

    def attribute(self, values: dict[str, Any]) -> Attribution:
        for field in self.ORDER:
            rule = self.rules.get((field, values.get(field) or ""))
            if rule is not None:
                return self._of(rule)
        for tag in values.get("tags") or ():
            rule = self.rules.get(("tag", tag))
            if rule is not None:
                return self._of(rule)
        return Attribution(None, None, self.default_region)

    def _of(self, rule: MappingRule) -> Attribution:
        return Attribution(rule.department_id, rule.use_case_id, rule.region or self.default_region)


# --- Writing buckets ----------------------------------------------------------------------------

BUCKET_COLUMNS = (
    "connection_id", "external_id", "date", "model_name", "model_id", "provider", "project", "workspace",
    "api_key", "team", "user", "tags", "requests", "requests_lower_bound", "input_tokens",
    "cache_read_tokens", "cache_creation_tokens", "output_tokens", "images", "image_width", "image_height",
    "department_id", "use_case_id", "region",
)  # fmt: skip


def _bucket_row(
    connection: Connection, bucket: providers.Bucket, resolver: ModelResolver, attributor: Attributor
) -> tuple[Any, ...]:
    values = {
        "project": bucket.project,
        "workspace": bucket.workspace,
        "api_key": bucket.api_key,
        "team": bucket.team,
        "tags": bucket.tags,
    }
    attribution = attributor.attribute(values)
    return (
        connection.pk,
        bucket.external_id,
        bucket.day,
        bucket.model[:200],
        resolver.resolve(bucket.model, bucket.provider),
        bucket.provider[:100],
        bucket.project[:200],
        bucket.workspace[:200],
        bucket.api_key[:200],
        bucket.team[:200],
        bucket.user[:200],
        json.dumps(list(bucket.tags)),
        bucket.requests,
        bucket.requests_lower_bound,
        bucket.input_tokens,
        bucket.cache_read_tokens,
        bucket.cache_creation_tokens,
        bucket.output_tokens,
        bucket.images,
        bucket.image_width,
        bucket.image_height,
        attribution.department_id,
        attribution.use_case_id,
        attribution.region,
    )


SMALL_UPSERT_ROWS = 500  # up to this many rows: one statement (24 parameters a row), no staging table


def _upsert_buckets(rows: list[tuple[Any, ...]], *, add: bool = False) -> None:
    """Insert buckets, or replace (add=True: add to) the ones with the same external id. On PostgreSQL the
    rows go through COPY into a staging table and move in one statement."""
    if not rows:
        return
    table = ProviderUsage._meta.db_table
    columns = ", ".join(f'"{c}"' for c in BUCKET_COLUMNS)
    counted = (
        "requests",
        "input_tokens",
        "cache_read_tokens",
        "cache_creation_tokens",
        "output_tokens",
        "images",
    )
    updates = ", ".join(
        f'"{c}" = {table}."{c}" + excluded."{c}"' if add and c in counted else f'"{c}" = excluded."{c}"'
        for c in BUCKET_COLUMNS
        if c not in ("connection_id", "external_id")
    )
    conflict = f"ON CONFLICT (connection_id, external_id) DO UPDATE SET {updates}"
    placeholders = "(" + ", ".join(["%s"] * len(BUCKET_COLUMNS)) + ")"
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and len(rows) <= SMALL_UPSERT_ROWS:  # an OTLP export's few buckets
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(rows))} {conflict}",
                [value for row in rows for value in row],
            )
        elif db.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS usage_bucket_stage AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            cursor.execute("TRUNCATE usage_bucket_stage")
            with cursor.cursor.copy(f"COPY usage_bucket_stage ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM usage_bucket_stage {conflict}"
            )
            cursor.execute("TRUNCATE usage_bucket_stage")
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {placeholders} {conflict}", rows)


RECORD_COLUMNS = (
    "date", "department_id", "use_case_id", "model_id", "region", "requests", "input_tokens",
    "output_tokens", "images", "image_width", "image_height",
)  # fmt: skip


def _derive_records(connection: Connection, *, where: str, params: list[Any]) -> int:
    """Replace this connection's usage records matching `where` (on both tables) by those its attributed
    buckets give. Returns how many records there are now."""
    records, buckets = UsageRecord._meta.db_table, ProviderUsage._meta.db_table
    columns = ", ".join(RECORD_COLUMNS)
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {records} WHERE source = %s AND {where}", [connection.source, *params])
        cursor.execute(
            f"INSERT INTO {records} ({columns}, source, external_id) "
            f"SELECT {columns}, %s, external_id FROM {buckets} "
            f"WHERE connection_id = %s AND department_id IS NOT NULL AND model_id IS NOT NULL "
            f"AND requests > 0 AND {where}",
            [connection.source, connection.pk, *params],
        )
        return int(cursor.rowcount)


def _months(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    months, month = set(), start.replace(day=1)
    while month <= end:
        months.add(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


# --- Syncs --------------------------------------------------------------------------------------


def sync_request(
    *,
    connection: Connection,
    trigger: str,
    requested_by: User | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> SyncRun:
    """Queue a sync of these days (default: from a little before the last synced day to today)."""
    today = timezone.now().astimezone(datetime.UTC).date()
    end_date = min(end_date or today, today)
    if start_date is None:
        start_date = (
            connection.synced_through - datetime.timedelta(days=RESYNC_DAYS)
            if connection.synced_through
            else today - datetime.timedelta(days=FIRST_SYNC_DAYS)
        )
    start_date = max(min(start_date, end_date), end_date - datetime.timedelta(days=MAX_BACKFILL_DAYS))
    run = SyncRun.objects.create(
        connection=connection,
        trigger=trigger,
        requested_by=requested_by,
        start_date=start_date,
        end_date=end_date,
    )
    enqueue_on_commit("usage.tasks.connection_sync_task", run.pk)
    return run


def connections_sync_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue a sync of every connection whose schedule says it is time (beat, every few minutes)."""
    now = now or timezone.now()
    queued = []
    due = Connection.objects.exclude(kind=Connection.Kind.OTLP).filter(
        Q(next_sync_at__lte=now) | Q(next_sync_at__isnull=True), schedule_hours__gt=0, is_demo=False
    )
    for connection in due:
        next_at = now + datetime.timedelta(hours=connection.schedule_hours)
        claimed = Connection.objects.filter(pk=connection.pk, next_sync_at=connection.next_sync_at).update(
            next_sync_at=next_at
        )
        if claimed:  # compare-and-swap: two beats never queue the same sync twice
            queued.append(sync_request(connection=connection, trigger=SyncRun.Trigger.SCHEDULE).pk)
    return queued


def sync_run(*, run: SyncRun) -> SyncRun:
    """Run a queued sync. Safe to run twice: only a queued run starts."""
    if not SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED).update(
        status=SyncRun.Status.RUNNING, started_at=timezone.now()
    ):
        run.refresh_from_db()
        return run
    connection = run.connection
    try:
        with transaction.atomic():
            counts = _sync(connection, run)
    except ConnectorError as error:
        return _finish(run, SyncRun.Status.FAILED, error=str(error))
    except Exception as error:  # a bug or the database: say so without details that could hold a secret
        logger.exception("sync run %s failed", run.pk)
        return _finish(
            run,
            SyncRun.Status.FAILED,
            error=_("Unexpected error (%(kind)s).") % {"kind": type(error).__name__},
        )
    Connection.objects.filter(pk=connection.pk).filter(
        Q(synced_through__isnull=True) | Q(synced_through__lt=run.end_date)
    ).update(synced_through=run.end_date)
    rollups_refresh_on_commit(_months(run.start_date, run.end_date))
    return _finish(run, SyncRun.Status.SUCCEEDED, **counts)


def _sync(connection: Connection, run: SyncRun) -> dict[str, Any]:
    make_client, fetch = providers.FETCHERS[connection.kind]
    client = make_client(base_url=connection.base_url, secret=_secret(connection), **_client_options())
    resolver, attributor = ModelResolver(), Attributor(connection)
    in_range = ProviderUsage.objects.filter(connection=connection, date__range=(run.start_date, run.end_date))
    before = in_range.count()
    read, unattributed = 0, 0
    unknown: Counter[str] = Counter()
    batch: list[tuple[Any, ...]] = []
    for bucket in fetch(client, start=run.start_date, end=run.end_date):
        row = _bucket_row(connection, bucket, resolver, attributor)
        read += 1
        if row[4] is None:
            unknown[bucket.model or "?"] += 1
        if row[21] is None:
            unattributed += 1
        batch.append(row)
        if len(batch) >= BATCH_BUCKETS:
            _upsert_buckets(batch)
            batch = []
    _upsert_buckets(batch)
    records = _derive_records(
        connection, where="date BETWEEN %s AND %s", params=[run.start_date, run.end_date]
    )
    return {
        "buckets_read": read,
        "buckets_added": in_range.count() - before,
        "records_written": records,
        "unattributed_buckets": unattributed,
        "unknown_models": [{"model": name, "buckets": count} for name, count in unknown.most_common(50)],
    }


def _finish(run: SyncRun, status: str, **fields: Any) -> SyncRun:
    SyncRun.objects.filter(pk=run.pk).update(status=status, finished_at=timezone.now(), **fields)
    run.refresh_from_db()
    return run


# --- Mapping rules ------------------------------------------------------------------------------


def rule_create(
    *, connection: Connection, field: str, value: str, department: Any, use_case: Any = None, region: str = ""
) -> MappingRule:
    rule = MappingRule.objects.create(
        connection=connection,
        field=field,
        value=value,
        department=department,
        use_case=use_case,
        region=region,
    )
    connection_reattribute(connection=connection)
    return rule


def rule_delete(*, rule: MappingRule) -> None:
    connection = rule.connection
    rule.delete()
    connection_reattribute(connection=connection)


@transaction.atomic
def connection_reattribute(*, connection: Connection) -> int:
    """Apply the current mapping rules to every stored bucket of this connection, then rebuild its usage
    records and the rollups of the months concerned. Returns the number of records."""
    attributor = Attributor(connection)
    changed: list[ProviderUsage] = []
    months: set[datetime.date] = set()
    rows = ProviderUsage.objects.filter(connection=connection).only(
        "id",
        "date",
        "project",
        "workspace",
        "api_key",
        "team",
        "tags",
        "department_id",
        "use_case_id",
        "region",
    )
    for row in rows.iterator(chunk_size=5000):
        attribution = attributor.attribute(
            {
                "project": row.project,
                "workspace": row.workspace,
                "api_key": row.api_key,
                "team": row.team,
                "tags": row.tags,
            }
        )
        if (row.department_id, row.use_case_id, row.region) != (
            attribution.department_id,
            attribution.use_case_id,
            attribution.region,
        ):
            row.department_id, row.use_case_id, row.region = (
                attribution.department_id,
                attribution.use_case_id,
                attribution.region,
            )
            changed.append(row)
            months.add(row.date.replace(day=1))
        if len(changed) >= 5000:
            ProviderUsage.objects.bulk_update(changed, ["department_id", "use_case_id", "region"])
            changed = []
    ProviderUsage.objects.bulk_update(changed, ["department_id", "use_case_id", "region"])
    count = _derive_records(connection, where="1 = 1", params=[])
    rollups_refresh_on_commit(months)
    return count


# --- OpenTelemetry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OtlpIngest:
    counted: int  # spans not seen before, now in their daily buckets
    too_old: int  # spans older than the retention window, refused: a retry of them could not be told


def otlp_span_cutoff() -> datetime.date:
    """The oldest span day the receiver accepts: the span keys that tell a retry are kept this long."""
    return timezone.localdate() - datetime.timedelta(days=settings.USAGE_OTLP_SPAN_RETENTION_DAYS)


def otlp_spans_prune() -> int:
    """Forget the keys of spans older than the retention window (the receiver refuses such spans, so no
    retry of them can count twice). Returns how many keys were deleted."""
    deleted, _by_model = OtlpSpan.objects.filter(date__lt=otlp_span_cutoff()).delete()
    return deleted


def otlp_ingest(*, connection: Connection, spans: Iterable[GenAISpan]) -> OtlpIngest:
    """Count the GenAI spans not counted before into their daily buckets (adding to them), and refresh
    the usage records of those buckets. Spans older than the retention window are refused, not counted:
    their keys may have been pruned, so a retry of them could not be told from a first delivery.

    A handful of statements per export, whatever its size: the span keys go in with one INSERT that
    returns those not seen before (a retried export counts once), the export's buckets (a few: spans
    grouped by day, model, provider, project, team and user) are added with one upsert, and their
    records rebuilt with one DELETE and one INSERT."""
    cutoff = otlp_span_cutoff()
    unique: dict[str, GenAISpan] = {}
    too_old: set[str] = set()
    for span in spans:
        if span.day < cutoff:
            too_old.add(span.span_key)
        else:
            unique.setdefault(span.span_key, span)
    if not unique:
        return OtlpIngest(counted=0, too_old=len(too_old))
    with transaction.atomic():
        Connection.objects.select_for_update().filter(pk=connection.pk).first()  # one ingest at a time
        new_keys = _otlp_claim(connection, unique)
        if not new_keys:
            return OtlpIngest(counted=0, too_old=len(too_old))
        buckets = _otlp_buckets(unique[key] for key in new_keys)
        resolver, attributor = ModelResolver(), Attributor(connection)
        _upsert_buckets([_bucket_row(connection, b, resolver, attributor) for b in buckets], add=True)
        ids = sorted({b.external_id for b in buckets})
        placeholders = ", ".join(["%s"] * len(ids))
        _derive_records(connection, where=f"external_id IN ({placeholders})", params=ids)
        if cache.add(f"usage-otlp-rollups-{connection.pk}", 1, timeout=OTLP_ROLLUP_DELAY_S):
            # The first export of a minute asks for the rollup, a minute later, so that it takes in the
            # spans of that minute; through the outbox, so a broker outage never fails an export.
            months = sorted({b.day.replace(day=1).isoformat() for b in buckets})
            enqueue_on_commit("usage.tasks.usage_rollup_task", months, countdown_s=OTLP_ROLLUP_DELAY_S)
    return OtlpIngest(counted=len(new_keys), too_old=len(too_old))


OTLP_ROLLUP_DELAY_S = 60
OTLP_CLAIM_ROWS = 300  # SQLite: 3 parameters a row, under its 999


def _otlp_claim(connection: Connection, spans: dict[str, GenAISpan]) -> list[str]:
    """Record these span keys as counted; the ones that were not there before (inside the caller's
    transaction, so a failed ingest records none)."""
    table = OtlpSpan._meta.db_table
    returning = "ON CONFLICT (connection_id, span_key) DO NOTHING RETURNING span_key"
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # Two text parameters split on the server: the keys are hex, the days ISO dates (no commas);
            # binding them as arrays of 1,000 values costs more on the client than the insert itself.
            cursor.execute(
                f"INSERT INTO {table} (connection_id, span_key, date) "
                "SELECT %s, key, day::date FROM unnest(string_to_array(%s, ','), string_to_array(%s, ',')) "
                f"AS given(key, day) {returning}",
                [
                    connection.pk,
                    ",".join(spans),
                    ",".join([span.day.isoformat() for span in spans.values()]),
                ],
            )
            return [row[0] for row in cursor.fetchall()]
        new: list[str] = []
        items = list(spans.items())
        for start in range(0, len(items), OTLP_CLAIM_ROWS):
            chunk = items[start : start + OTLP_CLAIM_ROWS]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [value for key, span in chunk for value in (connection.pk, key, span.day)]
            cursor.execute(
                f"INSERT INTO {table} (connection_id, span_key, date) VALUES {values} {returning}", params
            )
            new += [row[0] for row in cursor.fetchall()]
        return new


def _otlp_buckets(spans: Iterable[GenAISpan]) -> list[providers.Bucket]:
    groups: dict[tuple[Any, ...], providers.Bucket] = {}
    for span in spans:
        key = ("otlp", span.day.isoformat(), span.model, span.provider, span.project, span.team, span.user)
        bucket = groups.get(key)
        if bucket is None:
            bucket = groups[key] = providers.Bucket(
                day=span.day,
                key=key,
                model=span.model,
                provider=span.provider,
                project=span.project,
                team=span.team,
                user=span.user,
            )
        bucket.requests += 1
        bucket.input_tokens += span.input_tokens
        bucket.output_tokens += span.output_tokens
        bucket.cache_read_tokens += span.cache_read_tokens
        bucket.cache_creation_tokens += span.cache_creation_tokens
    return list(groups.values())


def unattributed_summary() -> list[dict[str, Any]]:
    """Per connection: the buckets no rule maps (last 12 months), their requests and tokens, and the
    projects / workspaces / keys / teams seen most in them (what to map next)."""
    since = timezone.now().date() - datetime.timedelta(days=365)
    rows = (
        ProviderUsage.objects.filter(department__isnull=True, date__gte=since)
        .values("connection_id", "connection__name", "project", "workspace", "api_key", "team")
        .order_by()
    )
    summary: dict[int, dict[str, Any]] = {}
    for row in rows.annotate(
        buckets=Count("id"), requests_sum=Sum("requests"), tokens=Sum("input_tokens") + Sum("output_tokens")
    ):
        entry = summary.setdefault(
            row["connection_id"],
            {
                "connection_id": row["connection_id"],
                "name": row["connection__name"],
                "requests": 0,
                "tokens": 0,
                "keys": [],
            },
        )
        entry["requests"] += row["requests_sum"] or 0
        entry["tokens"] += row["tokens"] or 0
        for field in Attributor.ORDER:
            if row[field]:
                entry["keys"].append(
                    {"field": field, "value": row[field], "requests": row["requests_sum"] or 0}
                )
                break
    for entry in summary.values():
        merged: Counter[tuple[str, str]] = Counter()
        for key in entry["keys"]:
            merged[(key["field"], key["value"])] += key["requests"]
        entry["keys"] = [{"field": f, "value": v, "requests": n} for (f, v), n in merged.most_common(5)]
    return sorted(summary.values(), key=lambda e: -e["requests"])
