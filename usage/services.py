"""Actual GenAI usage: validation, CSV import and API ingest (rollups and drift: usage/rollups.py).

One validator serves the CSV import and the API. The import streams its file in bounded memory and
imports nothing if any row is bad: on PostgreSQL in one pass (rows are checked while they go into a staging
table by COPY, then move in one statement), elsewhere in two (check, then insert in batches). The same
(source, external_id) never counts twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estimator import services as estimator
from estimator.models import Modality
from governance.models import UseCase
from portal.celery import enqueue_on_commit
from portal.dates import month_start
from portal.exports import csv_writer
from portal.models import Department
from usage.models import UsageImport, UsageRecord
from usage.rollups import rollups_refresh_on_commit

COLUMNS = (
    "date",
    "department",
    "use_case",
    "model",
    "region",
    "requests",
    "input_tokens",
    "output_tokens",
    "images",
    "image_width",
    "image_height",
    "source",
    "external_id",
)
REQUIRED = ("date", "department", "model", "region", "requests", "source", "external_id")
BATCH_ROWS = 10_000
MAX_API_RECORDS = 10_000
MAX_STORED_ERRORS = 1_000
MAX_COUNT = 10**12


@dataclass(frozen=True)
class RowError:
    line: int  # CSV line number (the header is line 1), or API record index
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


class Lookups:
    """Names, slugs and ids a usage row refers to, loaded once per import or request."""

    def __init__(self) -> None:
        self.departments = dict(Department.objects.values_list("name", "id"))
        ref = estimator.reference_data()
        self.models = {slug: (model.pk, model.modality) for slug, model in ref.models.items()}
        self.regions = set(ref.regions)
        self.countries = set(ref.mixes)
        self.use_cases = set(UseCase.objects.values_list("id", flat=True))


def _integer(
    value: str, column: str, errors: list[tuple[str, str]], *, minimum: int = 0, required: bool = False
) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append((column, _("required")))
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append((column, _("not a whole number: %(value)s") % {"value": value[:40]}))
        return None
    if not minimum <= number <= MAX_COUNT:
        errors.append(
            (
                column,
                _("must be at least %(minimum)s") % {"minimum": minimum}
                if number < minimum
                else _("too large"),
            )
        )
        return None
    return number


def parse_row(
    raw: dict[str, str], lookups: Lookups, today: datetime.date
) -> tuple[tuple[Any, ...] | None, list[tuple[str, str]]]:
    """One record as the values to store (in COLUMNS order, ids resolved), or its errors (column, reason)."""
    errors: list[tuple[str, str]] = []
    for column in REQUIRED:
        if not (raw.get(column) or "").strip():
            errors.append((column, _("required")))
    date = None
    if (raw.get("date") or "").strip():
        try:
            date = datetime.date.fromisoformat(raw["date"].strip())
            if date > today + datetime.timedelta(days=1):
                errors.append(("date", _("in the future")))
        except ValueError:
            errors.append(
                ("date", _("not an ISO date (YYYY-MM-DD): %(value)s") % {"value": raw["date"][:40]})
            )
    department = lookups.departments.get((raw.get("department") or "").strip())
    if raw.get("department", "").strip() and department is None:
        errors.append(("department", _("unknown department: %(value)s") % {"value": raw["department"][:60]}))
    use_case = _integer(raw.get("use_case", ""), "use_case", errors, minimum=1)
    if use_case is not None and use_case not in lookups.use_cases:
        errors.append(("use_case", _("unknown use case: %(value)s") % {"value": use_case}))
    model = lookups.models.get((raw.get("model") or "").strip())
    if raw.get("model", "").strip() and model is None:
        errors.append(("model", _("unknown model: %(value)s") % {"value": raw["model"][:60]}))
    region = (raw.get("region") or "").strip()
    if region and region not in lookups.regions and region.upper() not in lookups.countries:
        errors.append(("region", _("unknown region or country: %(value)s") % {"value": region[:40]}))
    elif region.upper() in lookups.countries and region not in lookups.regions:
        region = region.upper()
    requests = _integer(raw.get("requests", ""), "requests", errors, minimum=1)
    input_tokens = _integer(raw.get("input_tokens", ""), "input_tokens", errors) or 0
    output_tokens = _integer(raw.get("output_tokens", ""), "output_tokens", errors) or 0
    images = _integer(raw.get("images", ""), "images", errors) or 0
    width = _integer(raw.get("image_width", ""), "image_width", errors, minimum=64)
    height = _integer(raw.get("image_height", ""), "image_height", errors, minimum=64)
    if model is not None:
        if model[1] == Modality.TEXT and not output_tokens:
            errors.append(("output_tokens", _("a text model's usage has output tokens")))
        if model[1] == Modality.IMAGE and not images:
            errors.append(("images", _("an image model's usage has images")))
    if (width is None) != (height is None):
        errors.append(("image_width", _("give both image_width and image_height, or neither")))
    source, external_id = (raw.get("source") or "").strip(), (raw.get("external_id") or "").strip()
    if len(source) > 60 or len(external_id) > 120:
        errors.append(("external_id" if len(external_id) > 120 else "source", _("too long")))
    if errors:
        return None, errors
    return (
        date,
        department,
        use_case,
        model[0],
        region,
        requests,
        input_tokens,
        output_tokens,
        images,
        width,
        height,
        source,
        external_id,
    ), []  # type: ignore[index]


# --- CSV -----------------------------------------------------------------------------------------


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, empty, missing columns)."""


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str], int]]:
    """(line number, row, bytes read so far) of a UTF-8 CSV file, streamed; FileProblem on a file-level problem."""
    raw = path.open("rb")
    text = codecs.getreader("utf-8-sig")(raw, errors="strict")
    try:
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise FileProblem(_("The file is empty.")) from None
        header = [name.strip() for name in header]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise FileProblem(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        for line, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            yield line, dict(zip(header, values, strict=False)), raw.tell()
    except UnicodeDecodeError:
        raise FileProblem(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from None
    except csv.Error as error:
        raise FileProblem(_("The file is not valid CSV: %(error)s.") % {"error": error}) from None
    finally:
        raw.close()


def usage_import_create(*, uploaded_by: Any, upload: Any) -> UsageImport:
    """Keep the uploaded file where the worker can read it, and queue its import."""
    directory = Path(settings.USAGE_IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    usage_import = UsageImport.objects.create(uploaded_by=uploaded_by, file_name=upload.name[:255], path="")
    path = directory / f"{usage_import.pk}.csv"
    with path.open("wb") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)
    UsageImport.objects.filter(pk=usage_import.pk).update(path=str(path))
    usage_import.path = str(path)
    enqueue_on_commit("usage.tasks.usage_import_task", usage_import.pk)
    return usage_import


def _months_of(dates: Iterable[datetime.date]) -> set[datetime.date]:
    return {month_start(date) for date in dates}


def usage_import_run(*, usage_import: UsageImport) -> UsageImport:
    """Check every row, then insert them all — or, if any row is bad, nothing. Safe to run twice: a
    finished import is left as is. On PostgreSQL one pass: rows are checked while they go into a staging
    table, and move to the records table in one statement at the end. Elsewhere two passes."""
    if usage_import.finished:
        return usage_import
    path = Path(usage_import.path)
    UsageImport.objects.filter(pk=usage_import.pk).update(
        status=UsageImport.Status.CHECKING, file_bytes=path.stat().st_size, processed_bytes=0
    )
    stage = _PostgresStage() if connection.vendor == "postgresql" else None
    try:
        checked = _check(usage_import, path, stage)
    except FileProblem as problem:
        _drop(stage)
        return _finish(usage_import, UsageImport.Status.INVALID, message=str(problem))
    if checked.error_count:
        _drop(stage)
        return _finish(
            usage_import,
            UsageImport.Status.INVALID,
            total_rows=checked.total,
            error_count=checked.error_count,
            errors=[error.as_dict() for error in checked.errors],
            message=_("%(count)s problems: nothing was imported.") % {"count": checked.error_count},
        )
    UsageImport.objects.filter(pk=usage_import.pk).update(
        status=UsageImport.Status.IMPORTING, total_rows=checked.total
    )
    try:
        if stage is not None:
            inserted = stage.move_to_records(usage_import.pk)
        else:
            inserted = _insert_second_pass(usage_import, path)
    except Exception as error:  # the database refused: take back whatever this import inserted
        _drop(stage)
        UsageRecord.objects.filter(usage_import=usage_import).delete()
        return _finish(usage_import, UsageImport.Status.FAILED, message=str(error)[:500])
    _drop(stage)
    done = _finish(
        usage_import,
        UsageImport.Status.DONE,
        inserted_rows=inserted,
        duplicate_rows=checked.total - inserted,
        processed_bytes=F("file_bytes"),
    )
    rollups_refresh_on_commit(checked.months)
    return done


@dataclass
class _Checked:
    total: int
    error_count: int
    errors: list[RowError]
    months: set[datetime.date]


def _check(usage_import: UsageImport, path: Path, stage: _PostgresStage | None) -> _Checked:
    lookups, today = Lookups(), timezone.localdate()
    errors: list[RowError] = []
    error_count = total = 0
    months: set[datetime.date] = set()
    batch: list[tuple[Any, ...]] = []
    position = 0
    for line, raw, position in csv_rows(path):
        total += 1
        values, problems = parse_row(raw, lookups, today)
        if problems:
            error_count += len(problems)
            errors += [RowError(line, column, reason) for column, reason in problems][
                : MAX_STORED_ERRORS - len(errors)
            ]
        else:
            months.add(values[0].replace(day=1))  # type: ignore[index]
            if stage is not None and not error_count:
                batch.append(values)  # type: ignore[arg-type]
        if total % BATCH_ROWS == 0:
            if stage is not None and not error_count:
                stage.write(batch)
            batch = []
            progress = position if stage is not None else position // 2
            UsageImport.objects.filter(pk=usage_import.pk).update(processed_bytes=progress)
    if stage is not None and batch and not error_count:
        stage.write(batch)
    if total == 0:
        raise FileProblem(_("The file has no records."))
    return _Checked(total, error_count, errors, months)


def _insert_second_pass(usage_import: UsageImport, path: Path) -> int:
    lookups, today = Lookups(), timezone.localdate()
    inserted = 0
    batch: list[tuple[Any, ...]] = []
    for _line, raw, position in csv_rows(path):
        values, _problems = parse_row(raw, lookups, today)
        batch.append(values)  # type: ignore[arg-type]
        if len(batch) == BATCH_ROWS:
            inserted += insert_records(batch, usage_import_id=usage_import.pk)
            batch = []
            UsageImport.objects.filter(pk=usage_import.pk).update(
                processed_bytes=F("file_bytes") / 2 + position // 2
            )
    return inserted + insert_records(batch, usage_import_id=usage_import.pk)


def _drop(stage: _PostgresStage | None) -> None:
    if stage is not None:
        stage.drop()


def _finish(usage_import: UsageImport, status: str, **fields: Any) -> UsageImport:
    UsageImport.objects.filter(pk=usage_import.pk).update(status=status, finished_at=timezone.now(), **fields)
    usage_import.refresh_from_db()
    return usage_import


STAGING_COLUMNS = (
    "date", "department_id", "use_case_id", "model_id", "region", "requests", "input_tokens",
    "output_tokens", "images", "image_width", "image_height", "source", "external_id",
)  # fmt: skip


def insert_records(rows: list[tuple[Any, ...]], *, usage_import_id: int | None = None) -> int:
    """Insert parsed rows, skipping any (source, external_id) already there. Returns how many went in."""
    if not rows:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _insert_postgresql(rows, usage_import_id)
        before = UsageRecord.objects.count()
        UsageRecord.objects.bulk_create(
            [
                UsageRecord(**dict(zip(STAGING_COLUMNS, row, strict=True)), usage_import_id=usage_import_id)
                for row in rows
            ],
            ignore_conflicts=True,
        )
        return UsageRecord.objects.count() - before


STAGING_COLUMNS_SQL = """
    date date, department_id bigint, use_case_id bigint, model_id bigint, region varchar(40),
    requests integer, input_tokens bigint, output_tokens bigint, images integer,
    image_width integer, image_height integer, source varchar(60), external_id varchar(120)
"""


class _PostgresStage:
    """A session-local staging table an import fills with COPY while checking, then moves in one go."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS usage_import_staging")
            cursor.execute(f"CREATE TEMP TABLE usage_import_staging ({STAGING_COLUMNS_SQL})")

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(  # type: ignore[attr-defined]
                    f"COPY usage_import_staging ({', '.join(STAGING_COLUMNS)}) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)

    def move_to_records(self, usage_import_id: int | None) -> int:
        columns = ", ".join(STAGING_COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {UsageRecord._meta.db_table} ({columns}, usage_import_id) "
                f"SELECT {columns}, %s FROM usage_import_staging ON CONFLICT (source, external_id) DO NOTHING",
                [usage_import_id],
            )
            return cursor.rowcount

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS usage_import_staging")


def _insert_postgresql(rows: list[tuple[Any, ...]], usage_import_id: int | None) -> int:
    """A batch of parsed rows (the API's, the demo's) through the same staging table as an import."""
    stage = _PostgresStage()
    try:
        stage.write(rows)
        return stage.move_to_records(usage_import_id)
    finally:
        stage.drop()


# --- API ingest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    received: int
    inserted: int
    duplicates: int
    errors: list[RowError]


def usage_ingest(*, records: list[dict[str, Any]]) -> IngestResult:
    """Check a list of records (index from 0); insert them all, or none if any is bad."""
    if len(records) > MAX_API_RECORDS:
        return IngestResult(
            len(records),
            0,
            0,
            [RowError(-1, "records", _("at most %(n)s records per call") % {"n": MAX_API_RECORDS})],
        )
    lookups, today = Lookups(), timezone.localdate()
    rows, errors = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(RowError(index, "", _("a record is an object")))
            continue
        raw = {column: "" if record.get(column) is None else str(record.get(column)) for column in COLUMNS}
        values, problems = parse_row(raw, lookups, today)
        errors += [RowError(index, column, reason) for column, reason in problems]
        if values is not None:
            rows.append(values)
    if errors:
        return IngestResult(len(records), 0, 0, errors)
    inserted = insert_records(rows)
    rollups_refresh_on_commit(_months_of(row[0] for row in rows))
    return IngestResult(len(records), inserted, len(records) - inserted, [])


def csv_template() -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "2026-10-01",
            "Marketing",
            "",
            "gpt-4o-mini",
            "europe-west9",
            "120",
            "90000",
            "48000",
            "0",
            "",
            "",
            "crm-export",
            "2026-10-01-mkt-0001",
        ]
    )
    writer.writerow(
        [
            "2026-10-01",
            "Marketing",
            "",
            "sdxl",
            "FRA",
            "10",
            "0",
            "0",
            "40",
            "1024",
            "1024",
            "design-tool",
            "2026-10-01-mkt-0002",
        ]
    )
    return buffer.getvalue()
