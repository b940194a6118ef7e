"""Actual GenAI usage: validation, CSV and XLSX import, its undo, and API ingest (rollups and drift:
usage/rollups.py).

One validator serves the file import (CSV or the first sheet of an Excel workbook) and the API. The import streams its file in bounded memory and
imports nothing if any row is bad: on PostgreSQL in one pass (rows are checked while they go into a staging
table by COPY, then move in one statement), elsewhere in two (check, then insert in batches). The same
(source, external_id) never counts twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import logging
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from estimator import services as estimator
from estimator.models import Modality
from governance.models import UseCase
from portal.celery import enqueue_on_commit
from portal.dates import month_start
from portal.errors import Conflict
from portal.exports import csv_writer
from portal.models import Department, User
from usage.models import UsageImport, UsageImportEvent, UsageRecord
from usage.rollups import rollups_refresh_on_commit

logger = logging.getLogger(__name__)

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
MAX_COUNT = 10**12  # requests, tokens, images: 64-bit columns
MAX_IMAGE_SIDE_PX = 100_000  # image_width, image_height: 32-bit columns, and no generator comes close


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
    value: str,
    column: str,
    errors: list[tuple[str, str]],
    *,
    minimum: int = 0,
    maximum: int = MAX_COUNT,
    required: bool = False,
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
    if not minimum <= number <= maximum:
        errors.append(
            (
                column,
                _("must be at least %(minimum)s") % {"minimum": minimum}
                if number < minimum
                else _("too large (at most %(maximum)s)") % {"maximum": f"{maximum:,}"},
            )
        )
        return None
    return number


def parse_row(
    raw: dict[str, str], lookups: Lookups, today: datetime.date
) -> tuple[tuple[Any, ...] | None, list[tuple[str, str]]]:
    """One record as the values to store (in COLUMNS order, ids resolved), or its errors (column, reason)."""
    errors: list[tuple[str, str]] = []
    for column in COLUMNS:
        value = raw.get(column) or ""
        if "\x00" in value:
            errors.append((column, _("contains a NUL character")))
        elif "\n" in value or "\r" in value:
            errors.append((column, _("contains a line break (is a quote left open?)")))
    if errors:
        return None, errors
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
    width = _integer(raw.get("image_width", ""), "image_width", errors, minimum=64, maximum=MAX_IMAGE_SIDE_PX)
    height = _integer(
        raw.get("image_height", ""), "image_height", errors, minimum=64, maximum=MAX_IMAGE_SIDE_PX
    )
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
    assert model is not None  # a missing or unknown model is an error above
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
    ), []


# --- CSV -----------------------------------------------------------------------------------------


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, empty, missing columns)."""


DELIMITERS = (",", ";", "\t")


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str], int]]:
    """(line number, row, bytes read so far) of a UTF-8 CSV file (with or without a byte-order mark),
    streamed; the delimiter (comma, or the semicolon of French spreadsheets, or tab) is the one the
    header uses. The line number is the physical line the record starts on. FileProblem on a
    file-level problem: encoding, no header, missing columns, a quote left open."""
    raw = path.open("rb")
    text = codecs.getreader("utf-8-sig")(raw, "strict")
    line = 1
    try:
        first = text.readline()
        if not first.strip():
            raise FileProblem(_("The file is empty."))
        delimiter = max(DELIMITERS, key=first.count)
        reader = csv.reader(itertools.chain([first], text), delimiter=delimiter, strict=True)
        header = [name.strip() for name in next(reader)]
        missing = [column for column in REQUIRED if column not in header]
        if missing and len(header) == 1:
            raise FileProblem(
                _(
                    "The first line has a single column (“%(header)s”): separate the columns with commas, "
                    "semicolons or tabs, as in the template."
                )
                % {"header": header[0][:80]}
            )
        if missing:
            raise FileProblem(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        line = reader.line_num + 1
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            yield start, dict(zip(header, values, strict=False)), raw.tell()
    except UnicodeDecodeError:
        raise FileProblem(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise FileProblem(
                _(
                    "A quote opened on line %(line)s is never closed: the rest of the file would be "
                    "one value. Nothing was imported."
                )
                % {"line": line}
            ) from None
        raise FileProblem(
            _("The file is not valid CSV (line %(line)s): %(error)s.") % {"line": line, "error": error}
        ) from None
    finally:
        raw.close()


# --- XLSX ----------------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected workbook, or an old .xls
# openpyxl keeps the workbook's table of distinct texts in memory (the rows themselves are streamed):
# these bound it, and the time a small, highly compressed file could take to read.
XLSX_MAX_SHARED_STRINGS_BYTES = 150 * 1024 * 1024
XLSX_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024


def upload_kind(upload: UploadedFile[bytes]) -> str:
    """ "xlsx" if the file is an Excel workbook (a zip archive, or an encrypted one), else "csv"; by its
    content, whatever its name says."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return "xlsx" if head.startswith(XLSX_MAGIC) or head.startswith(OLE_MAGIC) else "csv"


def _cell_text(value: Any) -> str:
    """A cell's value as the CSV would have it: whole numbers without ".0", a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _xlsx_corrupt() -> FileProblem:
    return FileProblem(
        _("The Excel file is damaged or not a workbook: open it in Excel, save it again as .xlsx, retry.")
    )


def _xlsx_open(path: Path) -> Any:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise FileProblem(
            _(
                "This Excel file is password-protected, or in the old .xls format: save it as .xlsx "
                "without a password (or as CSV UTF-8), then import it."
            )
        )
    if not head.startswith(XLSX_MAGIC):
        raise _xlsx_corrupt()
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _xlsx_corrupt() from None
    if (
        sum(sizes.values()) > XLSX_MAX_UNCOMPRESSED_BYTES
        or sizes.get("xl/sharedStrings.xml", 0) > XLSX_MAX_SHARED_STRINGS_BYTES
    ):
        raise FileProblem(_("This workbook is too large once unpacked: split it, or save it as CSV UTF-8."))
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, missing parts) on a damaged file
        logger.info("unreadable workbook %s", path, exc_info=True)
        raise _xlsx_corrupt() from None


def xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str], int]]:
    """(row number, row, about how many bytes read) of the first sheet of an Excel workbook, whose
    first row is the header: the same columns as the CSV. Streamed (openpyxl read-only): memory holds
    one row and the workbook's table of distinct texts. FileProblem on a password-protected, damaged or
    oversized workbook, or missing columns."""
    workbook = _xlsx_open(path)
    try:
        if not workbook.worksheets:
            raise FileProblem(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        rows_hint = sheet.max_row or 0  # what the file says; progress only
        sheet.reset_dimensions()  # read every row, whatever the (sometimes stale) dimension says
        file_bytes = path.stat().st_size
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        header: list[str] = []
        for _number, values in rows:
            header = [_cell_text(value).strip() for value in values]
            if any(header):
                break
        else:
            raise FileProblem(_("The file is empty."))
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise FileProblem(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        for number, values in rows:
            texts = [_cell_text(value) for value in values]
            if not any(text.strip() for text in texts):
                continue
            position = min(file_bytes, file_bytes * number // rows_hint) if rows_hint else 0
            yield number, dict(zip(header, texts, strict=False)), position
    except FileProblem:
        raise
    except Exception:  # a sheet damaged past its first rows
        logger.info("unreadable workbook %s", path, exc_info=True)
        raise _xlsx_corrupt() from None
    finally:
        workbook.close()


def file_rows(path: Path) -> Iterator[tuple[int, dict[str, str], int]]:
    """The rows of an uploaded file: an Excel workbook if it was stored as .xlsx, else CSV."""
    return xlsx_rows(path) if path.suffix == ".xlsx" else csv_rows(path)


class ImportConflict(Conflict):
    """The import is not in a state that allows this action (retry, cancel, undo): a 409 in the API."""


RUNNING = (UsageImport.Status.CHECKING, UsageImport.Status.IMPORTING)


def usage_import_create(*, uploaded_by: User, upload: UploadedFile[bytes]) -> UsageImport:
    """Keep the uploaded file where the worker can read it, and queue its import (the form checked its
    size against USAGE_IMPORT_MAX_BYTES)."""
    directory = Path(settings.USAGE_IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    usage_import = UsageImport.objects.create(
        uploaded_by=uploaded_by, file_name=(upload.name or "")[:255], path=""
    )
    path = directory / f"{usage_import.pk}.{upload_kind(upload)}"
    with path.open("wb") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)
    UsageImport.objects.filter(pk=usage_import.pk).update(path=str(path))
    usage_import.path = str(path)
    enqueue_on_commit("usage.tasks.usage_import_task", usage_import.pk)
    return usage_import


def _months_of(dates: Iterable[datetime.date]) -> set[datetime.date]:
    return {month_start(date) for date in dates}


class _LeaseLost(Exception):
    """Another run took the import over (this one was stale), or an admin cancelled it: stop quietly."""


def _claim(usage_import_id: int) -> int | None:
    """Take the import for one run: compare-and-swap from queued, or from a running state whose heartbeat
    is older than the lease (its worker died). Returns the run's attempt number, or None if the import is
    finished or another run holds it."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.USAGE_IMPORT_LEASE_S)
    claimable = Q(status=UsageImport.Status.QUEUED) | Q(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True), status__in=RUNNING
    )
    with transaction.atomic():
        row = UsageImport.objects.select_for_update().filter(claimable, pk=usage_import_id).first()
        if row is None:
            return None
        if row.attempt >= settings.USAGE_IMPORT_MAX_ATTEMPTS:
            UsageImport.objects.filter(pk=row.pk).update(
                status=UsageImport.Status.FAILED,
                finished_at=now,
                message=_(
                    "Stopped %(count)s times before finishing (a worker killed or out of memory?): "
                    "nothing was imported. Retry it, or cancel it."
                )
                % {"count": row.attempt},
            )
            return None
        UsageImport.objects.filter(pk=row.pk).update(
            status=UsageImport.Status.CHECKING, attempt=row.attempt + 1, heartbeat_at=now, processed_bytes=0
        )
        return row.attempt + 1


def _beat(usage_import_id: int, attempt: int, **fields: Any) -> None:
    """Record progress and renew the lease; _LeaseLost if this run no longer holds the import."""
    held = UsageImport.objects.filter(pk=usage_import_id, attempt=attempt, status__in=RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not held:
        raise _LeaseLost


def usage_import_run(*, usage_import: UsageImport) -> UsageImport:
    """Check every row, then insert them all — or, if any row is bad, nothing. Safe to run twice: a
    finished import, or one another run holds, is left as is; a run whose worker died is taken over once
    its heartbeat is older than USAGE_IMPORT_LEASE_S (it starts again: nothing of it was inserted, as the
    records go in with one transaction). On PostgreSQL one pass: rows are checked while they go into a
    staging table, and move to the records table in one statement at the end. Elsewhere two passes."""
    pk = usage_import.pk
    attempt = _claim(pk)
    if attempt is None:
        usage_import.refresh_from_db()
        return usage_import
    stage = None
    try:
        path = Path(usage_import.path)
        _beat(pk, attempt, file_bytes=path.stat().st_size, processed_bytes=0)
        stage = _PostgresStage() if connection.vendor == "postgresql" else None
        try:
            checked = _check(pk, attempt, path, stage)
            if stage is not None and not checked.error_count:
                checked.errors = stage.conflicting_duplicates()
                checked.error_count = len(checked.errors)
        except FileProblem as problem:
            return _finish(pk, attempt, UsageImport.Status.INVALID, message=str(problem))
        if checked.error_count:
            return _finish(
                pk,
                attempt,
                UsageImport.Status.INVALID,
                total_rows=checked.total,
                error_count=checked.error_count,
                errors=[error.as_dict() for error in checked.errors],
                message=_("%(count)s problems: nothing was imported.") % {"count": checked.error_count},
            )
        _beat(pk, attempt, status=UsageImport.Status.IMPORTING, total_rows=checked.total)
        try:
            with transaction.atomic():
                held = UsageImport.objects.select_for_update().filter(
                    pk=pk, attempt=attempt, status=UsageImport.Status.IMPORTING
                )
                if not held.exists():
                    raise _LeaseLost
                if stage is not None:
                    inserted = stage.move_to_records(pk)
                else:
                    inserted = _insert_second_pass(pk, attempt, path)
                done = _finish(
                    pk,
                    attempt,
                    UsageImport.Status.DONE,
                    inserted_rows=inserted,
                    duplicate_rows=checked.total - inserted,
                    processed_bytes=F("file_bytes"),
                )
        except _DuplicatesInFile as duplicates:
            return _finish(
                pk,
                attempt,
                UsageImport.Status.INVALID,
                total_rows=checked.total,
                error_count=len(duplicates.errors),
                errors=[error.as_dict() for error in duplicates.errors],
                message=_("%(count)s problems: nothing was imported.") % {"count": len(duplicates.errors)},
            )
        rollups_refresh_on_commit(checked.months)
        return done
    except _LeaseLost:
        logger.info("usage import %s: run %s stopped, another run or an admin took it over", pk, attempt)
        usage_import.refresh_from_db()
        return usage_import
    except Exception as error:  # the database refused, the file vanished: say so, never stay running
        logger.exception("usage import %s failed", pk)
        try:
            return _finish(
                pk,
                attempt,
                UsageImport.Status.FAILED,
                message=_("The import failed and nothing was imported: %(error)s")
                % {"error": str(error).strip()[:400]},
            )
        except _LeaseLost:
            usage_import.refresh_from_db()
            return usage_import
    finally:
        if stage is not None:
            stage.drop()


@dataclass
class _Checked:
    total: int
    error_count: int
    errors: list[RowError]
    months: set[datetime.date]


def _check(usage_import_id: int, attempt: int, path: Path, stage: _PostgresStage | None) -> _Checked:
    lookups, today = Lookups(), timezone.localdate()
    errors: list[RowError] = []
    error_count = total = 0
    months: set[datetime.date] = set()
    batch: list[tuple[Any, ...]] = []
    position = 0
    for line, raw, position in file_rows(path):
        total += 1
        values, problems = parse_row(raw, lookups, today)
        if problems:
            error_count += len(problems)
            errors += [RowError(line, column, reason) for column, reason in problems][
                : MAX_STORED_ERRORS - len(errors)
            ]
        else:
            assert values is not None  # no problems: the values
            months.add(values[0].replace(day=1))
            if stage is not None and not error_count:
                batch.append((*values, line))
        if total % BATCH_ROWS == 0:
            if stage is not None and not error_count:
                stage.write(batch)
            batch = []
            progress = position if stage is not None else position // 2
            _beat(usage_import_id, attempt, processed_bytes=progress)
    if stage is not None and batch and not error_count:
        stage.write(batch)
    if total == 0:
        raise FileProblem(_("The file has no records."))
    return _Checked(total, error_count, errors, months)


class _DuplicatesInFile(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


def _duplicate_error(line: int, first_line: int) -> RowError:
    return RowError(
        line,
        "external_id",
        _("the same source and external_id as line %(line)s, with different values") % {"line": first_line},
    )


def _insert_second_pass(usage_import_id: int, attempt: int, path: Path) -> int:
    """Insert the checked rows in batches (inside the caller's transaction). A (source, external_id) seen
    earlier in the file with different values is an error (_DuplicatesInFile), not a silent drop."""
    lookups, today = Lookups(), timezone.localdate()
    inserted = 0
    batch: list[tuple[Any, ...]] = []
    lines: list[int] = []
    errors: list[RowError] = []

    def flush() -> int:
        errors.extend(_sqlite_conflicts(batch, lines, usage_import_id))
        count = insert_records(batch, usage_import_id=usage_import_id)
        batch.clear()
        lines.clear()
        return count

    for line, raw, position in file_rows(path):
        values, _problems = parse_row(raw, lookups, today)
        assert values is not None  # the first pass found no problem
        batch.append(values)
        lines.append(line)
        if len(batch) == BATCH_ROWS:
            inserted += flush()
            _beat(usage_import_id, attempt, processed_bytes=F("file_bytes") / 2 + position // 2)
    inserted += flush()
    if errors:
        raise _DuplicatesInFile(errors[:MAX_STORED_ERRORS])
    return inserted


def _sqlite_conflicts(batch: list[tuple[Any, ...]], lines: list[int], usage_import_id: int) -> list[RowError]:
    """Rows of this batch whose key appeared earlier in the same file (this batch, or records this import
    already inserted) with other values."""
    first: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    errors = []
    keys = {(row[11], row[12]) for row in batch}
    earlier = UsageRecord.objects.filter(
        usage_import_id=usage_import_id, external_id__in={key[1] for key in keys}
    ).values_list(*STAGING_COLUMNS)
    for row in earlier:
        first.setdefault((row[11], row[12]), (0, tuple(row)))
    for row, line in zip(batch, lines, strict=True):
        seen = first.setdefault((row[11], row[12]), (line, tuple(row)))
        if seen[1] != tuple(row):
            errors.append(_duplicate_error(line, seen[0]))
    return errors


def _finish(usage_import_id: int, attempt: int, status: str, **fields: Any) -> UsageImport:
    """End this run (only if it still holds the import); a finished import's file is deleted, except a
    failed one's, which an admin may retry."""
    ended = UsageImport.objects.filter(pk=usage_import_id, attempt=attempt, status__in=RUNNING).update(
        status=status, finished_at=timezone.now(), heartbeat_at=None, **fields
    )
    if not ended:
        raise _LeaseLost
    usage_import = UsageImport.objects.get(pk=usage_import_id)
    if status != UsageImport.Status.FAILED:
        transaction.on_commit(lambda: _delete_file(usage_import.path))
    return usage_import


def _delete_file(path: str) -> None:
    if path:
        Path(path).unlink(missing_ok=True)


def usage_import_stalled(usage_import: UsageImport) -> bool:
    """Running, but no heartbeat for the lease: its worker has died (it will be resumed, or retry it)."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.USAGE_IMPORT_LEASE_S)
    return usage_import.status in RUNNING and (
        usage_import.heartbeat_at is None or usage_import.heartbeat_at < stale
    )


def usage_imports_resume_stale() -> int:
    """Queue again the imports whose worker stopped sending heartbeats (killed, out of memory): the next
    run takes them over. Beat runs this every USAGE_IMPORT_LEASE_S."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.USAGE_IMPORT_LEASE_S)
    ids = list(
        UsageImport.objects.filter(status__in=RUNNING, heartbeat_at__lt=stale).values_list("pk", flat=True)
    )
    for usage_import_id in ids:
        enqueue_on_commit("usage.tasks.usage_import_task", usage_import_id)
    return len(ids)


def usage_import_retry(*, usage_import: UsageImport, actor: User) -> UsageImport:
    """Queue a failed import again, or a running one whose worker stopped (admins)."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.USAGE_IMPORT_LEASE_S)
    if not Path(usage_import.path).exists():
        raise ImportConflict(_("The file of this import is gone: upload it again."))
    retried = UsageImport.objects.filter(
        Q(status=UsageImport.Status.FAILED) | Q(status__in=RUNNING, heartbeat_at__lt=stale),
        pk=usage_import.pk,
    ).update(
        status=UsageImport.Status.QUEUED,
        attempt=0,
        heartbeat_at=None,
        finished_at=None,
        message="",
        errors=[],
        error_count=0,
        processed_bytes=0,
    )
    if not retried:
        raise ImportConflict(_("Only a failed or stalled import can be retried."))
    UsageImportEvent.objects.create(
        usage_import=usage_import, actor=actor, action=UsageImportEvent.Action.RETRIED
    )
    logger.info("usage import %s retried by %s", usage_import.pk, actor.username)
    enqueue_on_commit("usage.tasks.usage_import_task", usage_import.pk)
    usage_import.refresh_from_db()
    return usage_import


def usage_import_cancel(*, usage_import: UsageImport, actor: User) -> UsageImport:
    """Stop an import that has not finished (admins): a run in progress stops at its next heartbeat and
    inserts nothing."""
    with transaction.atomic():
        cancelled = UsageImport.objects.filter(
            pk=usage_import.pk,
            status__in=(UsageImport.Status.QUEUED, *RUNNING, UsageImport.Status.FAILED),
        ).update(
            status=UsageImport.Status.CANCELLED,
            attempt=F("attempt") + 1,  # a run in progress no longer holds it
            finished_at=timezone.now(),
            heartbeat_at=None,
            message=_("Cancelled by %(user)s: nothing was imported.") % {"user": actor},
        )
        if not cancelled:
            raise ImportConflict(_("This import has already finished."))
        UsageImportEvent.objects.create(
            usage_import=usage_import, actor=actor, action=UsageImportEvent.Action.CANCELLED
        )
        usage_import.refresh_from_db()
        transaction.on_commit(lambda: _delete_file(usage_import.path))
    return usage_import


def usage_import_undo_refusal(usage_import: UsageImport) -> str:
    """Why this import cannot be undone, or "" if it can."""
    if usage_import.status == UsageImport.Status.UNDONE:
        return _("This import has already been undone.")
    if usage_import.status != UsageImport.Status.DONE:
        return _("Only an import that has finished can be undone.")
    if not usage_import.inserted_rows:
        return _("This import added no records: there is nothing to undo.")
    return ""


@dataclass(frozen=True)
class UndoPreview:
    records: int  # the records the import still owns: what an undo removes
    first_date: datetime.date | None
    last_date: datetime.date | None


def usage_import_undo_preview(usage_import: UsageImport) -> UndoPreview:
    """What undoing this import would remove (for the confirmation)."""
    found = UsageRecord.objects.filter(usage_import_id=usage_import.pk).aggregate(
        records=Count("id"), first_date=Min("date"), last_date=Max("date")
    )
    return UndoPreview(found["records"], found["first_date"], found["last_date"])


def usage_import_undo(*, usage_import: UsageImport, actor: User) -> UsageImport:
    """Remove the records a finished import added, in one transaction, and keep the import (status undone)
    with an audit event: who, when, how many records. The months they were in get their rollups
    recomputed once the transaction commits. Only once, and only for an import that added records.

    What is removed is the records the import still owns (`usage_import` points at it). A record it added
    is never taken over by a later file (the same source and external_id counts once: the later import
    counts it as already there), so undoing an earlier import also removes usage a later file repeated:
    import that file again to bring those rows back (the rest of it counts once). Records that a
    connection's sync has since replaced under its own source (a CSV source named like
    `connection-<id>`) are the sync's now, and stay."""
    with transaction.atomic():
        locked = UsageImport.objects.select_for_update().get(pk=usage_import.pk)
        refusal = usage_import_undo_refusal(locked)
        if refusal:
            raise ImportConflict(refusal)
        records = UsageRecord.objects.filter(usage_import_id=locked.pk)
        months = sorted(month_start(day) for day in records.dates("date", "month"))
        removed, _counts = records.delete()  # one DELETE: nothing refers to a usage record
        now = timezone.now()
        UsageImport.objects.filter(pk=locked.pk, status=UsageImport.Status.DONE).update(
            status=UsageImport.Status.UNDONE, undone_at=now, undone_by=actor, removed_rows=removed
        )
        UsageImportEvent.objects.create(
            usage_import=locked,
            actor=actor,
            action=UsageImportEvent.Action.UNDONE,
            records_removed=removed,
            months=[month.isoformat() for month in months],
        )
        rollups_refresh_on_commit(set(months))
    logger.info("usage import %s undone by %s: %s records removed", locked.pk, actor.username, removed)
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
    requests bigint, input_tokens bigint, output_tokens bigint, images bigint,
    image_width integer, image_height integer, source varchar(60), external_id varchar(120), line integer
"""


class _PostgresStage:
    """A session-local staging table filled with COPY (each row with its line), then moved in one go.
    An import's lives for the import (autocommit); the API's only for its transaction (ON COMMIT DROP),
    so that a failed statement never leaves a cleanup to run in an aborted transaction."""

    def __init__(self, *, transaction_scoped: bool = False) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS usage_import_staging")
            cursor.execute(
                f"CREATE TEMP TABLE usage_import_staging ({STAGING_COLUMNS_SQL})"
                + (" ON COMMIT DROP" if transaction_scoped else "")
            )

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows in STAGING_COLUMNS order followed by their line number."""
        if rows:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY usage_import_staging ({', '.join(STAGING_COLUMNS)}, line) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)

    def conflicting_duplicates(self) -> list[RowError]:
        """Rows whose (source, external_id) appeared on an earlier line with other values."""
        values = ", ".join(STAGING_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT line, first_line FROM (
                    SELECT line, md5(ROW({values})::text) AS digest,
                           first_value(line) OVER same AS first_line,
                           first_value(md5(ROW({values})::text)) OVER same AS first_digest
                    FROM usage_import_staging
                    WINDOW same AS (PARTITION BY source, external_id ORDER BY line)
                ) AS numbered
                WHERE digest <> first_digest ORDER BY line LIMIT %s
                """,
                [MAX_STORED_ERRORS],
            )
            return [_duplicate_error(line, first_line) for line, first_line in cursor.fetchall()]

    def move_to_records(self, usage_import_id: int | None) -> int:
        columns = ", ".join(STAGING_COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {UsageRecord._meta.db_table} ({columns}, usage_import_id) "
                f"SELECT {columns}, %s FROM usage_import_staging ORDER BY line "
                "ON CONFLICT (source, external_id) DO NOTHING",
                [usage_import_id],
            )
            return int(cursor.rowcount)

    def drop(self) -> None:
        """Best effort: a session-local table goes with the session anyway. Never raises, so that it
        never hides the error that ended the import."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS usage_import_staging")
        except DatabaseError:
            logger.warning("could not drop the staging table", exc_info=True)


def _insert_postgresql(rows: list[tuple[Any, ...]], usage_import_id: int | None) -> int:
    """A batch of parsed rows (the API's, the demo's) through a staging table that goes with the
    transaction (the caller's atomic block)."""
    stage = _PostgresStage(transaction_scoped=True)
    stage.write([(*row, index) for index, row in enumerate(rows)])
    return stage.move_to_records(usage_import_id)


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
    first: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(RowError(index, "", _("a record is an object")))
            continue
        raw = {column: "" if record.get(column) is None else str(record.get(column)) for column in COLUMNS}
        values, problems = parse_row(raw, lookups, today)
        errors += [RowError(index, column, reason) for column, reason in problems]
        if values is not None:
            seen = first.setdefault((values[11], values[12]), (index, values))
            if seen[1] != values:
                errors.append(_duplicate_error(index, seen[0]))
            rows.append(values)
    if errors:
        return IngestResult(len(records), 0, 0, errors)
    try:
        inserted = insert_records(rows)
    except DatabaseError as error:  # nothing went in (one transaction): say why, as a record error
        logger.exception("usage ingest refused by the database")
        reason = _("the database refused the records: %(error)s") % {"error": str(error).strip()[:300]}
        return IngestResult(len(records), 0, 0, [RowError(-1, "", reason)])
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
