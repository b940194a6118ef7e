"""Usage import hardening (issue 14): counts past 32 bits, NUL bytes, quotes left open, duplicates inside
one file, re-runs and re-uploads, database errors, stalled runs, size limit, files deleted after import."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from usage import services as usage
from usage.models import UsageImport, UsageRecord

pytestmark = pytest.mark.django_db
HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"


def row(external_id="1", requests="10", source="crm", output_tokens="2000", **overrides) -> str:
    values = {
        "date": "2026-10-05", "department": "Sales", "use_case": "", "model": "gpt-4o-mini",
        "region": "europe-west9", "requests": requests, "input_tokens": "5000", "output_tokens": output_tokens,
        "images": "0", "image_width": "", "image_height": "", "source": source, "external_id": external_id,
    }  # fmt: skip
    values.update(overrides)
    return ",".join(values.values()) + "\n"


def create(root, content: bytes, tmp_path, settings, name="usage.csv") -> UsageImport:
    settings.USAGE_IMPORT_DIR = tmp_path
    return usage.usage_import_create(uploaded_by=root, upload=SimpleUploadedFile(name, content))


def run(root, content: bytes, tmp_path, settings, name="usage.csv") -> UsageImport:
    return usage.usage_import_run(usage_import=create(root, content, tmp_path, settings, name))


# --- defect 4: validation and columns agree -------------------------------------------------------


def test_counts_up_to_the_validated_maximum_are_stored(root, sales, tmp_path, settings):
    # Given a row at the validator's maximum for every count (10^12, past 32 bits)
    big = str(usage.MAX_COUNT)
    content = (
        HEADER
        + row(requests=big, output_tokens=big)
        + row("img", model="sdxl", images=big, output_tokens="0", image_width="100000", image_height="64")
    )

    # When it is imported
    result = run(root, content.encode(), tmp_path, settings)

    # Then both records are stored with their exact values
    assert result.status == "done", (result.message, result.errors)
    assert UsageRecord.objects.get(external_id="1").requests == 10**12
    assert UsageRecord.objects.get(external_id="img").images == 10**12


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("requests", str(10**12 + 1), "too large"),
        ("image_width", "100001", "too large (at most 100,000)"),
        ("requests", "9" * 40, "too large"),
    ],
)
def test_counts_past_the_maximum_are_a_row_error(root, sales, tmp_path, settings, column, value, reason):
    overrides = {column: value, "image_height": "512"} if column == "image_width" else {column: value}
    content = HEADER + row(**overrides)
    result = run(root, content.encode(), tmp_path, settings)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert result.errors[0]["column"] == column and reason in result.errors[0]["reason"]


def test_a_nul_byte_in_a_cell_is_a_row_error_not_a_crash(root, sales, tmp_path, settings):
    content = HEADER + row("1") + row("bad\x00id")
    result = run(root, content.encode(), tmp_path, settings)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert result.errors == [{"line": 3, "column": "external_id", "reason": "contains a NUL character"}]


def test_the_api_refuses_nul_and_huge_counts_with_400(client, root, sales):
    client.force_login(root)
    record = {"date": "2026-10-05", "department": "Sales", "model": "gpt-4o-mini", "region": "FRA",
              "requests": 10**13, "output_tokens": 1, "source": "api\x00", "external_id": "x"}  # fmt: skip
    response = client.post("/api/v1/usage/records/", [record], content_type="application/json")
    assert response.status_code == 400
    # The one error body: errors keyed <record index>.<column>
    assert response.json()["errors"] == {"0.source": ["contains a NUL character"]}
    record["source"] = "api"
    response = client.post("/api/v1/usage/records/", [record], content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["0.requests"]
    assert not UsageRecord.objects.exists()


# --- defect 7: quotes left open, duplicates inside one file ------------------------------------------


def test_a_quote_left_open_is_reported_with_its_line_and_nothing_is_imported(root, sales, tmp_path, settings):
    # Given a file whose third record opens a quote it never closes
    content = HEADER + row("1") + row("2") + row('"3') + row("4") + row("5")

    result = run(root, content.encode(), tmp_path, settings)

    # Then the import is invalid, names line 4, and nothing went in (not one record holding the rest)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert "line 4" in result.message and "never closed" in result.message


def test_a_quote_closed_lines_later_is_a_row_error_on_the_line_it_opened(root, sales, tmp_path, settings):
    content = HEADER + row("1") + row('"2') + row('3"') + row("4")
    result = run(root, content.encode(), tmp_path, settings)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert {
        "line": 3,
        "column": "external_id",
        "reason": "contains a line break (is a quote left open?)",
    } in result.errors


def test_the_same_key_twice_in_a_file_with_other_values_is_an_error(root, sales, tmp_path, settings):
    content = HEADER + row("1") + row("2") + row("1", requests="11")
    result = run(root, content.encode(), tmp_path, settings)
    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert result.errors == [
        {
            "line": 4,
            "column": "external_id",
            "reason": "the same source and external_id as line 2, with different values",
        }
    ]


def test_the_same_record_twice_in_a_file_counts_once(root, sales, tmp_path, settings):
    content = HEADER + row("1") + row("2") + row("1")
    result = run(root, content.encode(), tmp_path, settings)
    assert (result.status, result.inserted_rows, result.duplicate_rows) == ("done", 2, 1)


def test_the_api_refuses_the_same_key_twice_with_other_values(client, root, sales):
    client.force_login(root)
    record = {"date": "2026-10-05", "department": "Sales", "model": "gpt-4o-mini", "region": "FRA",
              "requests": 1, "output_tokens": 1, "source": "api", "external_id": "x"}  # fmt: skip
    response = client.post(
        "/api/v1/usage/records/", [record, {**record, "requests": 2}], content_type="application/json"
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["1.external_id"]
    assert not UsageRecord.objects.exists()


# --- re-runs, re-uploads, database errors ---------------------------------------------------------


def test_running_a_finished_import_again_changes_nothing(root, sales, tmp_path, settings):
    # Given an import that finished with 3 records
    first = run(root, (HEADER + row("1") + row("2") + row("3")).encode(), tmp_path, settings)
    assert (first.inserted_rows, first.duplicate_rows) == (3, 0)
    assert first.created_at <= first.finished_at <= timezone.now() and first.heartbeat_at is None

    # When its task is delivered again (at least once delivery)
    again = usage.usage_import_run(usage_import=UsageImport.objects.get(pk=first.pk))

    # Then its report is unchanged (not 0 inserted / 3 duplicates) and nothing was added
    assert (again.status, again.inserted_rows, again.duplicate_rows, again.attempt) == ("done", 3, 0, 1)
    assert again.finished_at == first.finished_at
    assert UsageRecord.objects.filter(usage_import=first).count() == 3


def test_uploading_the_same_file_again_counts_nothing_twice(root, sales, tmp_path, settings):
    content = (HEADER + row("1") + row("2") + row("3")).encode()
    run(root, content, tmp_path, settings)
    second = run(root, content, tmp_path, settings, name="again.csv")
    assert (second.status, second.inserted_rows, second.duplicate_rows) == ("done", 0, 3)
    assert UsageRecord.objects.count() == 3


@pytest.fixture
def refusing_database(db):
    """A real database error on insert: a trigger refusing one external id (SQLite and PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
                "IF NEW.external_id = 'boom' THEN RAISE EXCEPTION 'forced refusal of boom'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON usage_usagerecord "
                "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON usage_usagerecord "
                "WHEN NEW.external_id = 'boom' BEGIN SELECT RAISE(ABORT, 'forced refusal of boom'); END"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS refuse_boom"
            + (" ON usage_usagerecord" if connection.vendor == "postgresql" else "")
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS refuse_boom()")


def test_a_database_error_fails_the_import_cleanly_and_it_can_be_retried(
    client, root, sales, tmp_path, settings, refusing_database, django_capture_on_commit_callbacks
):
    # Given a file the database refuses on its last record
    created = create(root, (HEADER + row("1") + row("2") + row("boom")).encode(), tmp_path, settings)

    # When it is imported
    result = usage.usage_import_run(usage_import=created)

    # Then it failed with the database's reason, nothing half-imported, file kept for a retry, not 100 %
    assert result.status == "failed" and "forced refusal of boom" in result.message
    assert not UsageRecord.objects.exists() and Path(result.path).exists() and result.percent < 100
    client.force_login(root)
    page = client.get(reverse("usage:import", args=[result.pk])).content.decode()
    assert "forced refusal of boom" in page and "Retry" in page and "100 %" not in page

    # When the cause is gone and an admin retries
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse_boom"
            + (" ON usage_usagerecord" if connection.vendor == "postgresql" else "")
        )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("usage:import-retry", args=[result.pk]))
    assert UsageImport.objects.get(pk=result.pk).status == "queued" and queued
    with django_capture_on_commit_callbacks(execute=True):
        usage.usage_import_run(usage_import=result)  # what the queued task does

    # Then it ran again and finished, its file deleted after the commit
    result.refresh_from_db()
    assert (result.status, result.inserted_rows) == ("done", 3)
    assert not Path(result.path).exists()


def test_a_database_error_in_the_api_is_a_clear_error(client, root, sales, refusing_database):
    client.force_login(root)
    record = {"date": "2026-10-05", "department": "Sales", "model": "gpt-4o-mini", "region": "FRA",
              "requests": 1, "output_tokens": 1, "source": "api", "external_id": "boom"}  # fmt: skip
    response = client.post(
        "/api/v1/usage/records/", [record, {**record, "external_id": "ok"}], content_type="application/json"
    )
    assert response.status_code == 400
    (reason,) = response.json()["errors"]["records"]
    assert "forced refusal of boom" in reason
    assert not UsageRecord.objects.exists()


# --- stalled runs (a killed worker), retry and cancel ------------------------------------------------


def stale(usage_import, seconds=3600, status="checking", attempt=1):
    UsageImport.objects.filter(pk=usage_import.pk).update(
        status=status, attempt=attempt, heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def test_a_run_whose_worker_died_is_taken_over_and_completes_once(root, sales, tmp_path, settings):
    created = create(root, (HEADER + row("1") + row("2")).encode(), tmp_path, settings)
    stale(created, seconds=settings.USAGE_IMPORT_LEASE_S + 1)

    result = usage.usage_import_run(usage_import=created)

    assert (result.status, result.inserted_rows, result.attempt) == ("done", 2, 2)
    assert UsageRecord.objects.count() == 2


def test_a_run_that_lost_its_lease_cannot_end_the_import_and_ends_no_other(root, sales, tmp_path, settings):
    # Given two imports being checked: the first taken over by a second run (attempt 2), the other running
    taken_over = create(root, (HEADER + row("1")).encode(), tmp_path, settings, name="a.csv")
    other = create(root, (HEADER + row("2")).encode(), tmp_path, settings, name="b.csv")
    stale(taken_over, seconds=0, attempt=2)
    stale(other, seconds=0, attempt=1)

    # When the first run (attempt 1, whose worker was thought dead) tries to end its import
    with pytest.raises(usage._LeaseLost):
        usage._finish(taken_over.pk, 1, UsageImport.Status.DONE)

    # Then neither import is ended: the second run still holds the first, and the other is not its import
    assert set(UsageImport.objects.values_list("status", flat=True)) == {"checking"}


def test_a_run_in_progress_is_left_alone(root, sales, tmp_path, settings):
    created = create(root, (HEADER + row("1")).encode(), tmp_path, settings)
    stale(created, seconds=settings.USAGE_IMPORT_LEASE_S - 30)

    result = usage.usage_import_run(usage_import=created)

    assert (result.status, result.attempt) == ("checking", 1) and not UsageRecord.objects.exists()


def test_an_import_that_keeps_dying_fails_after_the_maximum_attempts(root, sales, tmp_path, settings):
    created = create(root, (HEADER + row("1")).encode(), tmp_path, settings)
    stale(created, attempt=settings.USAGE_IMPORT_MAX_ATTEMPTS)

    result = usage.usage_import_run(usage_import=created)

    assert result.status == "failed" and "Stopped 3 times" in result.message


def test_the_stale_sweep_queues_only_stalled_imports(
    root, sales, tmp_path, settings, django_capture_on_commit_callbacks
):
    stalled = create(root, (HEADER + row("1")).encode(), tmp_path, settings)
    stale(stalled)
    fresh = create(root, (HEADER + row("2")).encode(), tmp_path, settings)
    stale(fresh, seconds=1)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert usage.usage_imports_resume_stale() == 1
    assert len(queued) == 1  # one task queued (through the outbox)
    for usage_import in (stalled, fresh):  # what the queued task does, and a stray second delivery
        usage.usage_import_run(usage_import=usage_import)

    assert UsageImport.objects.get(pk=stalled.pk).status == "done"
    assert UsageImport.objects.get(pk=fresh.pk).status == "checking"


def test_a_cancelled_import_stops_its_run_and_imports_nothing(
    client, root, sales, tmp_path, settings, django_capture_on_commit_callbacks
):
    created = create(root, (HEADER + row("1")).encode(), tmp_path, settings)
    stale(created, seconds=1)  # a run holds it
    client.force_login(root)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("usage:import-cancel", args=[created.pk]))
    result = usage.usage_import_run(usage_import=created)  # the old run's task, delivered again

    assert result.status == "cancelled" and not UsageRecord.objects.exists()
    assert not Path(result.path).exists()
    refused = client.post(reverse("usage:import-cancel", args=[created.pk]), follow=True)
    assert "already finished" in refused.content.decode()


# --- defect 10: size limit, files deleted -------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_with_a_clear_message(client, root, settings, tmp_path):
    settings.USAGE_IMPORT_DIR = tmp_path
    settings.USAGE_IMPORT_MAX_BYTES = 1_000_000
    client.force_login(root)
    upload = SimpleUploadedFile("big.csv", b"x" * 1_500_000)
    response = client.post(reverse("usage:import-new"), {"file": upload})
    assert response.status_code == 200
    assert "The file is 1.5 MB; the limit is 1 MB." in response.content.decode()
    assert not UsageImport.objects.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("content", [HEADER + row("1"), HEADER + row("1", requests="-1"), ""])
def test_the_file_is_deleted_once_the_import_is_done_or_invalid(
    root, sales, tmp_path, settings, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = run(root, content.encode(), tmp_path, settings)
    assert result.status in ("done", "invalid") and not Path(result.path).exists()


def test_a_failed_import_shows_how_far_it_got_not_100(root):
    usage_import = UsageImport(status="failed", file_bytes=1000, processed_bytes=400)
    assert usage_import.percent == 40 and UsageImport(status="done").percent == 100
