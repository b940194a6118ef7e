import contextlib

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in
from tests.factories import DepartmentFactory, UserFactory
from tests.worker import celery_worker_process
from usage.models import UsageRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"


def test_an_admin_imports_usage_watches_the_progress_and_sees_the_dashboard_change(
    page: Page, live_server, tmp_path, settings
):
    settings.USAGE_IMPORT_DIR = tmp_path
    legal = DepartmentFactory(name="Legal")
    UserFactory(
        username="ada",
        role="admin",
        department=legal,
        password="correct-horse-battery",
        is_staff=True,
        is_superuser=True,
    )
    rows = "".join(
        f"2026-{m:02d}-10,Legal,,gpt-4o,us-central1,500,400000,200000,0,,,contracts,{m}-{n}\n"
        for m in range(1, 11)
        for n in range(300)
    )
    csv_file = tmp_path / "legal-usage.csv"
    csv_file.write_text(HEADER + rows)

    # The import runs in the background: a real worker when a broker is configured (CI), in-process otherwise.
    worker = celery_worker_process() if django_settings.CELERY_BROKER_URL else contextlib.nullcontext()
    with worker:
        sign_in(page, live_server.url, "ada", "correct-horse-battery")
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("region", name="By department")).to_contain_text("No usage in this period.")

        page.goto(f"{live_server.url}/usage/import/")
        page.get_by_label("CSV file (UTF-8)").set_input_files(str(csv_file))
        page.get_by_role("button", name="Check and import").click()

        expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
        expect(page.get_by_text("3,000 records imported, 0 already there")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "100")

        page.get_by_role("link", name="Open the dashboard").click()
        page.get_by_label("From:", exact=True).fill("2026-01")
        page.get_by_label("To:", exact=True).fill("2026-10")
        page.get_by_role("button", name="Filter").click()
        chart = page.get_by_role("figure", name="Emissions by department, the ten largest")
        expect(chart).to_contain_text("Legal", timeout=30_000)
        # The table loads when asked (EcoIndex), with the same groups as the chart
        page.get_by_role("link", name="Show the table By department").click()
        expect(page.get_by_role("region", name="By department")).to_contain_text("Legal")

    assert UsageRecord.objects.filter(department=legal).count() == 3000
