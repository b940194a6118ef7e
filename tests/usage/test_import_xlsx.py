"""Usage import from Excel workbooks (.xlsx), built by openpyxl in each test: the same columns and checks
as the CSV, the first sheet, row numbers in the errors, streamed; damaged and protected files refused."""

import datetime
import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from usage import services as usage
from usage.models import UsageImport, UsageRecord

pytestmark = pytest.mark.django_db
COLUMNS = list(usage.COLUMNS)


def record(external_id, *, day=datetime.date(2026, 10, 5), requests=10, **overrides) -> list:
    values = {
        "date": day, "department": "Sales", "use_case": None, "model": "gpt-4o-mini", "region": "europe-west9",
        "requests": requests, "input_tokens": 5000, "output_tokens": 2000, "images": 0, "image_width": None,
        "image_height": None, "source": "crm", "external_id": external_id,
    }  # fmt: skip
    values.update(overrides)
    return [values[column] for column in COLUMNS]


def workbook(*rows, header=COLUMNS, extra_sheet=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Usage"
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("Notes").append(["not", "usage"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(root, content: bytes, tmp_path, settings, name="usage.xlsx") -> UsageImport:
    settings.USAGE_IMPORT_DIR = tmp_path
    created = usage.usage_import_create(uploaded_by=root, upload=SimpleUploadedFile(name, content))
    return usage.usage_import_run(usage_import=created)


def stored() -> list[tuple]:
    return list(
        UsageRecord.objects.order_by("external_id").values_list(
            "date", "department__name", "model__slug", "region", "requests", "input_tokens",
            "output_tokens", "images", "image_width", "image_height", "source", "external_id",
        )
    )  # fmt: skip


def test_a_workbook_is_imported_like_the_same_csv(
    root, sales, tmp_path, settings, django_capture_on_commit_callbacks
):
    # Given the same three records as a CSV file and as a workbook with typed cells (a date cell,
    # numbers, a whole float, a country code in lower case, an image row)
    rows = [
        record("a"),
        record("b", requests=12.0, region="fra"),
        record("c", model="sdxl", output_tokens=0, images=4, image_width=1024, image_height=1024),
    ]
    csv_text = ",".join(COLUMNS) + "\n" + "".join(
        ",".join("" if v is None else (v.isoformat() if isinstance(v, datetime.date) else str(int(v)) if isinstance(v, float) else str(v)) for v in row) + "\n"
        for row in rows
    )  # fmt: skip

    # When each is imported on its own
    from_csv = run(root, csv_text.encode(), tmp_path, settings, name="usage.csv")
    as_csv = stored()
    UsageRecord.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        from_xlsx = run(root, workbook(*rows), tmp_path, settings)

    # Then both are done with the same records
    assert (from_xlsx.status, from_xlsx.total_rows, from_xlsx.inserted_rows) == ("done", 3, 3), (
        from_xlsx.message,
        from_xlsx.errors,
    )
    assert from_csv.status == "done" and stored() == as_csv
    assert stored()[1][3] == "FRA" and stored()[1][4] == 12
    assert not Path(from_xlsx.path).exists()  # deleted after import, as a CSV


def test_row_errors_carry_the_sheet_row_numbers_and_nothing_is_imported(root, sales, tmp_path, settings):
    # Given a header, a good row, an empty row, then bad rows (row 4 and 5 of the sheet)
    content = workbook(
        record("1"),
        [None] * len(COLUMNS),
        record("2", model="no-such-model"),
        record("3", requests=10.5, day="05/10/2026"),
    )

    result = run(root, content, tmp_path, settings)

    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert result.errors == [
        {"line": 4, "column": "model", "reason": "unknown model: no-such-model"},
        {"line": 5, "column": "date", "reason": "not an ISO date (YYYY-MM-DD): 05/10/2026"},
        {"line": 5, "column": "requests", "reason": "not a whole number: 10.5"},
    ]


def test_a_date_with_a_time_of_day_is_refused_not_truncated(root, sales, tmp_path, settings):
    content = workbook(record("1", day=datetime.datetime(2026, 10, 5, 13, 30)))  # noqa: DTZ001 (cells are naive)
    result = run(root, content, tmp_path, settings)
    assert result.errors == [
        {"line": 2, "column": "date", "reason": "not an ISO date (YYYY-MM-DD): 2026-10-05T13:30:00"}
    ]


def test_the_same_key_twice_with_other_values_is_an_error_with_both_rows(root, sales, tmp_path, settings):
    content = workbook(record("1"), record("2"), record("1", requests=11))
    result = run(root, content, tmp_path, settings)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert result.errors == [
        {
            "line": 4,
            "column": "external_id",
            "reason": "the same source and external_id as line 2, with different values",
        }
    ]


def test_only_the_first_sheet_is_read(root, sales, tmp_path, settings):
    result = run(root, workbook(record("1"), extra_sheet=True), tmp_path, settings)
    assert (result.status, result.total_rows) == ("done", 1)


def test_the_header_may_be_in_any_order_and_optional_columns_left_out(root, sales, tmp_path, settings):
    header = ["external_id", "source", "requests", "region", "model", "department", "date", "output_tokens"]
    content = workbook(
        ["x1", "crm", 3, "FRA", "gpt-4o-mini", "Sales", datetime.date(2026, 10, 1), 50], header=header
    )
    result = run(root, content, tmp_path, settings)
    assert result.status == "done", result.errors
    assert UsageRecord.objects.get().requests == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (workbook(header=None), "The file is empty."),
        (workbook(header=COLUMNS), "The file has no records."),
        (workbook(["x"], header=["date", "department", "model"]), "Missing columns: region, requests"),
    ],
)
def test_file_level_problems(root, sales, tmp_path, settings, content, expected):
    result = run(root, content, tmp_path, settings)
    assert result.status == "invalid" and expected in result.message


def test_a_stale_sheet_dimension_does_not_hide_rows(root, sales, tmp_path, settings):
    # Given a workbook whose sheet says it spans A1:A1 (some generators never update it)
    original = workbook(*(record(str(n)) for n in range(5)))
    source, target = zipfile.ZipFile(io.BytesIO(original)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:M6" />' in data
                data = data.replace(b'<dimension ref="A1:M6" />', b'<dimension ref="A1:A1" />')
            rewritten.writestr(item, data)

    result = run(root, target.getvalue(), tmp_path, settings)

    assert (result.status, result.inserted_rows) == ("done", 5), (result.message, result.errors)


DAMAGED = "The Excel file is damaged or not a workbook"
PROTECTED = "password-protected, or in the old .xls format"


def _truncated() -> bytes:
    content = workbook(*(record(str(n)) for n in range(50)))
    return content[: len(content) // 2]


def _without_the_workbook_part() -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(workbook(record("1")))), io.BytesIO()
    with zipfile.ZipFile(target, "w") as rewritten:
        for item in source.infolist():
            if item.filename != "xl/workbook.xml":
                rewritten.writestr(item, source.read(item.filename))
    return target.getvalue()


def _damaged_sheet() -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(workbook(*(record(str(n)) for n in range(5))))), io.BytesIO()
    with zipfile.ZipFile(target, "w") as rewritten:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) * 2 // 3]  # the XML stops in the middle of the rows
            rewritten.writestr(item, data)
    return target.getvalue()


def _ole_container() -> bytes:
    """Excel saves a password-protected workbook (and .xls files) in an OLE compound document: this is
    that container's header sector, which is all the import reads before refusing it."""
    return bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900") + bytes(488)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_truncated, DAMAGED),
        (_without_the_workbook_part, DAMAGED),
        (_damaged_sheet, DAMAGED),
        (lambda: b"PK\x03\x04" + b"\x00" * 200, DAMAGED),
        (_ole_container, PROTECTED),
    ],
)
def test_a_damaged_or_protected_workbook_is_refused_with_a_clear_message(
    root, sales, tmp_path, settings, make, expected
):
    result = run(root, make(), tmp_path, settings)
    assert result.status == "invalid", result.message
    assert expected in result.message
    assert not UsageRecord.objects.exists()


def test_a_workbook_named_csv_is_still_read_as_a_workbook(root, sales, tmp_path, settings):
    result = run(root, workbook(record("1")), tmp_path, settings, name="usage.csv")
    assert result.status == "done" and result.path.endswith(".xlsx")


def _with_part(content: bytes, name: str, size: int) -> bytes:
    target = io.BytesIO(content)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b" " * size)  # highly compressible: a few kB in the file
    return target.getvalue()


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("xl/sharedStrings.xml", "XLSX_MAX_SHARED_STRINGS_BYTES"),
        ("xl/media/padding.bin", "XLSX_MAX_UNCOMPRESSED_BYTES"),
    ],
)
def test_a_workbook_too_large_once_unpacked_is_refused_before_reading(
    root, sales, tmp_path, settings, monkeypatch, name, limit
):
    # Given a limit, and a small file holding a part that unpacks past it
    monkeypatch.setattr(usage, limit, 1_000_000)
    content = _with_part(workbook(record("1")), name, 1_000_001)
    assert len(content) < 50_000

    result = run(root, content, tmp_path, settings)

    assert result.status == "invalid" and "too large once unpacked" in result.message


def test_a_large_workbook_is_streamed_in_bounded_memory(root, sales, tmp_path, settings, monkeypatch):
    # Given a workbook of 15,000 rows (written row by row), the last one bad
    count = 15_000
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    for n in range(count):
        sheet.append(record(f"{n:07d}"))
    sheet.append(record("last", requests=-1))
    path = tmp_path / "source.xlsx"
    book.save(path)
    settings.USAGE_IMPORT_DIR = tmp_path / "imports"
    with path.open("rb") as handle:
        created = usage.usage_import_create(
            uploaded_by=root, upload=SimpleUploadedFile("big.xlsx", handle.read())
        )

    # When it is checked, memory traced (PostgreSQL stages parsed rows in batches: small ones here, so
    # that what is measured is the reading of the workbook)
    monkeypatch.setattr(usage, "BATCH_ROWS", 1_000)
    tracemalloc.start()
    result = usage.usage_import_run(usage_import=created)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Then the bad last row is found (with its row number), and memory stayed far below the rows' size:
    # the rows as the reader yields them would take about 17 MB held together; the check holds one row
    # (and, on PostgreSQL, a batch of parsed values on its way to the staging table)
    assert result.status == "invalid" and result.total_rows == count + 1 and result.percent == 100
    assert result.errors == [{"line": count + 2, "column": "requests", "reason": "must be at least 1"}]
    # (openpyxl writes texts inline; a workbook saved by Excel also has its table of distinct texts in
    # memory, bounded by XLSX_MAX_SHARED_STRINGS_BYTES)
    assert peak < 10_000_000, peak


def test_the_import_page_takes_a_workbook(client, root, sales, tmp_path, settings):
    settings.USAGE_IMPORT_DIR = tmp_path
    client.force_login(root)
    page = client.get(reverse("usage:import-new")).content.decode()
    assert ".xlsx" in page and 'accept=".csv,.xlsx' in page

    upload = SimpleUploadedFile("october.xlsx", workbook(record("1"), record("2")))
    response = client.post(reverse("usage:import-new"), {"file": upload})

    usage_import = UsageImport.objects.get()
    assert response["Location"] == reverse("usage:import", args=[usage_import.pk])
    assert usage_import.file_name == "october.xlsx" and usage_import.path.endswith(".xlsx")
    assert usage.usage_import_run(usage_import=usage_import).inserted_rows == 2
