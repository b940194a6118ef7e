import contextlib

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from tests.connectors.fake_providers import FakeProvider, serve
from tests.e2e.conftest import sign_in
from tests.factories import DepartmentFactory, UserFactory
from tests.worker import celery_worker_process
from usage.models import UsageRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SECRET = "sk-admin-e2e-0000"


def test_an_admin_connects_openai_syncs_maps_a_project_and_sees_the_dashboard_change(page: Page, live_server):
    legal = DepartmentFactory(name="Legal")
    UserFactory(
        username="ada",
        role="admin",
        department=legal,
        password="correct-horse-battery",
        is_staff=True,
        is_superuser=True,
    )
    fake = FakeProvider(
        secret=SECRET,
        openai_completions=lambda day: [
            {"input_tokens": 40_000, "output_tokens": 20_000, "num_model_requests": 50, "project_id": "proj_contracts",
             "model": "gpt-4o"}
        ],
    )  # fmt: skip
    # Syncs and rollups run in the background: a real worker when a broker is configured (CI), in-process otherwise.
    worker = celery_worker_process() if django_settings.CELERY_BROKER_URL else contextlib.nullcontext()
    with serve(fake), worker:
        sign_in(page, live_server.url, "ada", "correct-horse-battery")
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("region", name="By department")).to_contain_text("No usage in this period.")

        page.goto(f"{live_server.url}/usage/connections/")
        page.get_by_role("link", name="Add a connection").click()
        page.get_by_label("Name").fill("OpenAI")
        page.get_by_label("Kind").select_option("openai")
        page.get_by_label("Base URL").fill(fake.base_url + "/v1")
        page.get_by_label("API key").fill(SECRET)
        page.get_by_label("Default region or country").fill("us-central1")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="OpenAI")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(SECRET)

        page.get_by_role("button", name="Test the connection").click()
        expect(page.get_by_text("The provider answered")).to_be_visible()

        page.get_by_role("button", name="Sync now").click()
        expect(page.get_by_text("Sync queued")).to_be_visible()
        for _ in range(60):  # the history shows the run once the worker is done
            page.reload()
            if page.get_by_role("cell", name="Succeeded").count():
                break
            page.wait_for_timeout(500)
        expect(page.get_by_role("cell", name="Succeeded")).to_be_visible()

        page.get_by_role("link", name="project = proj_contracts").click()
        expect(page.get_by_label("Value")).to_have_value("proj_contracts")
        page.get_by_label("Department").select_option(label="Legal")
        page.get_by_role("button", name="Add the rule").click()
        expect(page.get_by_text("Rule added")).to_be_visible()

        page.goto(f"{live_server.url}/dashboard/")
        for _ in range(60):  # the rollups are recomputed in the background
            chart = page.get_by_role("figure", name="Emissions by department, the ten largest")
            if chart.count() and "Legal" in chart.inner_text():
                break
            page.wait_for_timeout(500)
            page.reload()
        page.get_by_role("link", name="Show the table By department").click()
        expect(page.get_by_role("region", name="By department")).to_contain_text("Legal")

    assert UsageRecord.objects.filter(department=legal).count() == 31
