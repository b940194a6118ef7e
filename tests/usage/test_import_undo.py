"""The import history and the undo of a whole import: its records removed in one transaction, the
rollups of their months recomputed, the import kept (undone) with an audit event; pages and permissions."""

import datetime
import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.models import OutboxMessage
from usage import rollups
from usage import services as usage
from usage.models import MonthlyRollup, UsageImport, UsageImportEvent, UsageRecord

pytestmark = pytest.mark.django_db
HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"


def rows(ids, day="2026-10-05", requests=10, source="crm") -> str:
    return "".join(
        f"{day},Sales,,gpt-4o-mini,europe-west9,{requests},5000,2000,0,,,{source},{n}\n" for n in ids
    )


def imported(root, content: str, tmp_path, settings, name="usage.csv") -> UsageImport:
    settings.USAGE_IMPORT_DIR = tmp_path
    created = usage.usage_import_create(uploaded_by=root, upload=SimpleUploadedFile(name, content.encode()))
    result = usage.usage_import_run(usage_import=created)
    assert result.status == "done", (result.message, result.errors)
    return result


def rollup_tasks() -> list[list[str]]:
    return [
        message.args[0]
        for message in OutboxMessage.objects.filter(task_name="usage.tasks.usage_rollup_task").order_by("pk")
    ]


# --- the service ---------------------------------------------------------------------------------


def test_undo_removes_the_import_s_records_and_keeps_an_audit_event(root, sales, tmp_path, settings):
    # Given an import over two months, another import, and records sent through the API
    first = imported(root, HEADER + rows(range(3)) + rows([9], day="2026-09-30"), tmp_path, settings)
    other = imported(root, HEADER + rows(range(100, 102)), tmp_path, settings)
    api = usage.usage_ingest(
        records=[
            {"date": "2026-10-06", "department": "Sales", "model": "gpt-4o-mini", "region": "FRA",
             "requests": 5, "output_tokens": 10, "source": "api", "external_id": "a1"}
        ]
    )  # fmt: skip
    assert api.inserted == 1
    queued_before = len(rollup_tasks())

    # When an admin undoes the first import
    result = usage.usage_import_undo(usage_import=first, actor=root)

    # Then its four records are gone, the others stay
    assert not UsageRecord.objects.filter(usage_import=first).exists()
    assert UsageRecord.objects.filter(usage_import=other).count() == 2
    assert UsageRecord.objects.filter(source="api").count() == 1
    # and the import is kept, marked undone, with who, when and how many
    assert (result.status, result.undone_by, result.removed_rows) == ("undone", root, 4)
    assert result.undone_at is not None and result.finished
    # with an audit event saying the same, and the months it touched
    event = UsageImportEvent.objects.get(usage_import=first)
    assert (event.actor, event.action, event.records_removed) == (root, "undone", 4)
    assert event.months == ["2026-09-01", "2026-10-01"]
    # and one rollup refresh of those two months is queued
    assert rollup_tasks()[queued_before:] == [["2026-09-01", "2026-10-01"]]


def test_the_rollups_after_an_undo_count_only_what_is_left(root, sales, tmp_path, settings):
    first = imported(root, HEADER + rows(range(3), requests=10), tmp_path, settings)
    imported(root, HEADER + rows(range(10, 12), requests=7), tmp_path, settings)
    rollups.rollups_recompute()
    assert MonthlyRollup.objects.get().requests == 3 * 10 + 2 * 7

    usage.usage_import_undo(usage_import=first, actor=root)
    (months,) = rollup_tasks()[-1:]
    rollups.rollups_recompute(months=[datetime.date.fromisoformat(month) for month in months])

    assert MonthlyRollup.objects.get().requests == 2 * 7


def test_an_import_is_undone_once(root, sales, tmp_path, settings):
    first = imported(root, HEADER + rows(range(2)), tmp_path, settings)
    usage.usage_import_undo(usage_import=first, actor=root)
    queued = len(rollup_tasks())

    with pytest.raises(usage.ImportConflict, match="already been undone"):
        usage.usage_import_undo(usage_import=first, actor=root)

    assert UsageImportEvent.objects.filter(usage_import=first).count() == 1
    assert len(rollup_tasks()) == queued
    assert UsageImport.objects.get(pk=first.pk).removed_rows == 2


@pytest.mark.parametrize("status", ["queued", "checking", "importing", "invalid", "failed", "cancelled"])
def test_only_a_finished_import_can_be_undone(root, sales, status):
    usage_import = UsageImport.objects.create(uploaded_by=root, file_name="u.csv", path="/x", status=status)
    with pytest.raises(usage.ImportConflict, match="Only an import that has finished"):
        usage.usage_import_undo(usage_import=usage_import, actor=root)
    assert UsageImport.objects.get(pk=usage_import.pk).status == status
    assert not UsageImportEvent.objects.exists()


def test_an_import_that_added_nothing_has_nothing_to_undo(root, sales, tmp_path, settings):
    first = imported(root, HEADER + rows(range(2)), tmp_path, settings)
    again = imported(root, HEADER + rows(range(2)), tmp_path, settings)  # the same records: counted once
    assert (again.inserted_rows, again.duplicate_rows) == (0, 2)

    with pytest.raises(usage.ImportConflict, match="added no records"):
        usage.usage_import_undo(usage_import=again, actor=root)
    assert UsageRecord.objects.filter(usage_import=first).count() == 2


def test_undo_removes_only_the_records_the_import_still_owns(root, sales, tmp_path, settings):
    # Given a first file, and a later one that repeats two of its rows and adds two
    first = imported(root, HEADER + rows(range(4)), tmp_path, settings, name="october.csv")
    later_content = HEADER + rows([2, 3, 4, 5])
    later = imported(root, later_content, tmp_path, settings, name="october-fixed.csv")
    assert (later.inserted_rows, later.duplicate_rows) == (2, 2)

    # When the later import is undone, only the two records it added go
    usage.usage_import_undo(usage_import=later, actor=root)
    assert sorted(UsageRecord.objects.values_list("external_id", flat=True)) == ["0", "1", "2", "3"]

    # When the first is undone too, its four go (rows 2 and 3 were its own, not the later file's)
    usage.usage_import_undo(usage_import=first, actor=root)
    assert not UsageRecord.objects.exists()

    # and importing the later file again brings its rows back: what is already there counts once
    again = imported(root, later_content, tmp_path, settings, name="october-fixed.csv")
    assert (again.inserted_rows, again.duplicate_rows) == (4, 0)


def test_retry_and_cancel_are_audited_too(root, sales, tmp_path, settings):
    settings.USAGE_IMPORT_DIR = tmp_path
    created = usage.usage_import_create(
        uploaded_by=root, upload=SimpleUploadedFile("u.csv", (HEADER + rows([1])).encode())
    )
    UsageImport.objects.filter(pk=created.pk).update(status="failed")
    usage.usage_import_retry(usage_import=created, actor=root)
    usage.usage_import_cancel(usage_import=created, actor=root)
    assert list(UsageImportEvent.objects.values_list("action", "actor")) == [
        ("retried", root.pk),
        ("cancelled", root.pk),
    ]


def test_the_undo_makes_as_many_queries_for_many_records_as_for_few(root, sales, tmp_path, settings):
    small = imported(root, HEADER + rows(range(2)), tmp_path, settings)
    large = imported(root, HEADER + rows(range(100, 1100)), tmp_path, settings)

    counts = []
    for usage_import in (small, large):
        with CaptureQueriesContext(connection) as context:
            usage.usage_import_undo(usage_import=usage_import, actor=root)
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
    assert not UsageRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_undoing_at_once_remove_once(reference_rows, root, sales, tmp_path, settings):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs the suite on PostgreSQL: DATABASE_URL must point at it")
        pytest.skip("PostgreSQL only (row locks): run with DATABASE_URL pointing at PostgreSQL")
    for trial in range(10):
        target = imported(root, HEADER + rows(range(trial * 10, trial * 10 + 5)), tmp_path, settings)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def undo(target=target, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                usage.usage_import_undo(usage_import=UsageImport.objects.get(pk=target.pk), actor=root)
                outcomes.append("won")
            except usage.ImportConflict:
                outcomes.append("conflict")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=undo) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes) == ["conflict", "won"], trial
        assert UsageImportEvent.objects.filter(usage_import=target).count() == 1, trial
        assert UsageImport.objects.get(pk=target.pk).removed_rows == 5, trial


# --- the pages -----------------------------------------------------------------------------------


def test_the_history_lists_who_when_file_rows_and_result(client: Client, root, sales, tmp_path, settings):
    done = imported(root, HEADER + rows(range(3)), tmp_path, settings, name="october.csv")
    UsageImport.objects.create(
        uploaded_by=root, file_name="broken.csv", path="/x", status="invalid", total_rows=4, error_count=2
    )
    usage.usage_import_undo(usage_import=done, actor=root)
    client.force_login(root)

    page = client.get(reverse("usage:imports")).content.decode()

    assert "october.csv" in page and "broken.csv" in page
    assert reverse("usage:import", args=[done.pk]) in page
    assert "Undone: its records removed" in page and "by root" in page and "3 records removed" in page
    assert "2 problems" in page
    assert page.index("broken.csv") < page.index("october.csv")  # newest first


def test_the_history_is_paginated(client: Client, root):
    UsageImport.objects.bulk_create(
        UsageImport(uploaded_by=root, file_name=f"file-{n:03d}.csv", path="/x") for n in range(55)
    )
    client.force_login(root)
    first = client.get(reverse("usage:imports")).content.decode()
    second = client.get(reverse("usage:imports"), {"page": "2"}).content.decode()
    beyond = client.get(reverse("usage:imports"), {"page": "nonsense"})

    assert first.count("<tr>") - 1 == 50 and "Page 1 of 2" in first and "?page=2" in first
    assert second.count("<tr>") - 1 == 5 and "Page 2 of 2" in second
    assert beyond.status_code == 200


def test_the_history_speaks_french(client: Client, root):
    client.force_login(root)
    with translation.override("fr"):
        page = client.get(reverse("usage:imports"), headers={"accept-language": "fr"}).content.decode()
    assert "Historique des imports" in page


def test_undo_from_the_pages(client: Client, root, sales, tmp_path, settings):
    # Given an import done and its page
    done = imported(root, HEADER + rows(range(3)) + rows([7], day="2026-09-02"), tmp_path, settings)
    client.force_login(root)
    detail = client.get(reverse("usage:import", args=[done.pk])).content.decode()
    undo_url = reverse("usage:import-undo", args=[done.pk])
    assert undo_url in detail

    # When the admin asks to undo it, the confirmation says what goes
    confirmation = client.get(undo_url).content.decode()
    assert "Undo the import of usage.csv?" in confirmation
    assert "Records that will be removed" in confirmation and ">4 (" in confirmation
    assert not UsageImportEvent.objects.exists()  # asking changes nothing

    # and confirming removes the records and says so
    response = client.post(undo_url, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("usage:import", args=[done.pk]), 302)]
    assert "The import is undone: 4 records removed." in page
    assert "Undone by root" in page and "History of this import" in page
    assert undo_url not in page
    assert not UsageRecord.objects.exists()

    # Then a second undo is refused with a message, and asking again goes back to the import
    again = client.post(undo_url, follow=True).content.decode()
    assert "This import has already been undone." in again
    assert client.get(undo_url)["Location"] == reverse("usage:import", args=[done.pk])
    assert UsageImportEvent.objects.count() == 1


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager"])
def test_only_admins_see_the_history_and_undo(client: Client, personas, sales, tmp_path, settings, persona):
    done = imported(personas["admin"], HEADER + rows(range(2)), tmp_path, settings)
    client.force_login(personas[persona])
    undo_url = reverse("usage:import-undo", args=[done.pk])

    assert client.get(reverse("usage:imports")).status_code == 403
    assert client.get(undo_url).status_code == 403
    assert client.post(undo_url).status_code == 403
    assert UsageRecord.objects.count() == 2 and UsageImport.objects.get().status == "done"


def test_anonymous_goes_to_sign_in(client: Client, root, sales, tmp_path, settings):
    done = imported(root, HEADER + rows(range(2)), tmp_path, settings)
    for method, url in (
        ("get", reverse("usage:imports")),
        ("get", reverse("usage:import-undo", args=[done.pk])),
        ("post", reverse("usage:import-undo", args=[done.pk])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert UsageRecord.objects.count() == 2
