import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_demo_employee_signs_in_and_switches_to_french(page: Page, live_server):
    # Given the demo organisation
    call_command("load_demo")

    # When the demo employee signs in
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alice")

    # And switches the language to French
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()

    # Then the home page is in French
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Alice")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
