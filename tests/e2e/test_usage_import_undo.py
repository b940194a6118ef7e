import contextlib
import datetime

import openpyxl
import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in
from tests.factories import DepartmentFactory, UserFactory
from tests.worker import celery_worker_process
from usage import services as usage
from usage.models import UsageImport, UsageRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_imports_a_workbook_finds_it_in_the_history_and_undoes_it(
    page: Page, live_server, tmp_path, settings, reference_rows
):
    # Given an admin and an Excel workbook of 40 records over two months
    settings.USAGE_IMPORT_DIR = tmp_path / "imports"
    legal = DepartmentFactory(name="Legal")
    UserFactory(username="ada", role="admin", department=legal, password="correct-horse-battery")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(usage.COLUMNS))
    for n in range(40):
        day = datetime.date(2026, 9 + n % 2, 10)
        sheet.append(
            [day, "Legal", None, "gpt-4o", "us-central1", 5, 4000, 2000, 0, None, None, "contracts", n]
        )
    workbook = tmp_path / "legal-usage.xlsx"
    book.save(workbook)

    worker = celery_worker_process() if django_settings.CELERY_BROKER_URL else contextlib.nullcontext()
    with worker:
        # When she imports it from the import page
        sign_in(page, live_server.url, "ada", "correct-horse-battery")
        page.goto(f"{live_server.url}/usage/import/")
        page.get_by_label("Excel workbook (.xlsx)").set_input_files(str(workbook))
        page.get_by_role("button", name="Check and import").click()
        expect(page.locator("#import-status")).to_contain_text("40 records imported", timeout=30_000)

        # Then the history lists it, and its page offers the undo
        page.goto(f"{live_server.url}/usage/imports/")
        row = page.get_by_role("row").filter(has_text="legal-usage.xlsx")
        expect(row).to_contain_text("Imported")
        row.get_by_role("link", name="legal-usage.xlsx").click()
        page.get_by_role("link", name="Undo this import").click()

        # The confirmation says what goes; confirming removes it and the import shows undone
        expect(page.locator("main")).to_contain_text("Records that will be removed")
        expect(page.locator("main")).to_contain_text("40")
        page.get_by_role("button", name="Undo the import").click()
        expect(page.locator("main")).to_contain_text("The import is undone: 40 records removed.")
        expect(page.locator("#import-status")).to_contain_text("Undone by ada")

        page.goto(f"{live_server.url}/usage/imports/")
        expect(page.get_by_role("row").filter(has_text="legal-usage.xlsx")).to_contain_text("Undone")
        page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    assert not UsageRecord.objects.exists()
    assert UsageImport.objects.get().status == "undone"
