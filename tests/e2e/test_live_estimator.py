import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_typing_in_the_live_estimator_updates_the_result_without_reloading(page: Page, live_server):
    # Given the demo employee on the estimator
    call_command("load_demo")
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    page.get_by_role("link", name="Estimator", exact=True).click()
    emissions = page.locator("#estimate-result .result-figure").first
    expect(emissions).to_have_text(re.compile(r"gCO2e"))
    before = emissions.inner_text()
    page.evaluate("window.__same_page = true")

    # When she asks for ten times more output and moves to a coal-heavy region, just by typing
    page.get_by_label("Output tokens per answer").fill("4000")
    expect(emissions).not_to_have_text(before)
    after_tokens = emissions.inner_text()
    page.get_by_role("combobox", name="Cloud region").select_option("asia-south1")
    expect(emissions).not_to_have_text(after_tokens)

    # Then the numbers changed in place (htmx), the address remembers the inputs, and they are right
    assert page.evaluate("window.__same_page") is True
    assert "output_tokens=4000" in page.url and "region=asia-south1" in page.url
    assert float(before.split()[0]) < float(emissions.inner_text().split()[0].replace(",", ""))

    # And a bad number shows a message instead of a result
    page.get_by_label("Output tokens per answer").fill("-1")
    expect(page.locator("#estimate-result [role=alert]")).to_contain_text("Must be between")
