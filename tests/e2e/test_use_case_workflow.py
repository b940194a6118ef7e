import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from governance.models import UseCase
from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_register_submit_approve_with_a_condition_and_see_the_decision(page: Page, live_server):
    call_command("load_demo")

    # An employee registers a use case and submits it
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Use cases").click()
    page.get_by_role("link", name="Register a use case").click()
    page.get_by_label("Title").fill("Translate the press kit into German")
    page.get_by_label("Description").fill("The yearly press kit, 12 pages, for German journalists.")
    page.get_by_label("Task type").select_option("translation")
    page.get_by_label("Model").select_option(label="GPT-4o mini — OpenAI")
    page.get_by_label("Cloud region").select_option("europe-west3")
    page.get_by_label("Requests per month").fill("20")
    page.get_by_label("Number of users").fill("2")
    page.get_by_label("Input tokens per request").fill("3000")
    page.get_by_label("Output tokens per request").fill("3000")
    page.get_by_label("Prompts per task").fill("2")
    page.get_by_label("Environmental value").select_option("1")
    page.get_by_label("Social value").select_option("3")
    page.get_by_label("Economic value").select_option("4")
    page.get_by_label("Justification of the value").fill("German coverage brings leads.")
    page.get_by_label("Alternatives considered").fill("A translator (2 weeks).")
    page.get_by_label("EU AI Act tier").select_option("minimal")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for decision").click()
    expect(page.locator(".lead .status")).to_have_text("Submitted")
    sign_out(page)

    # The department's manager approves it with a condition
    sign_in(page, live_server.url, "bruno", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Use cases").click()
    queue = page.get_by_role("region", name="Waiting for my decision")
    queue.get_by_role("link", name="Translate the press kit into German").click()
    page.get_by_label("Conditions (approval only)").fill("EU regions only.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".lead .status")).to_have_text("Approved")
    sign_out(page)

    # The owner sees the decision, its condition, and the use case on the matrix
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Use cases").click()
    page.get_by_role("link", name="Translate the press kit into German").first.click()
    expect(page.locator(".lead .status")).to_have_text("Approved")
    expect(page.get_by_text("Conditions of approval: EU regions only.")).to_be_visible()
    expect(page.get_by_role("img", name="Value × impact matrix")).to_be_visible()
    expect(page.get_by_text("Submitted → Approved")).to_be_visible()
    case = UseCase.objects.get(title="Translate the press kit into German")
    assert (case.status, case.conditions, case.owner.username) == ("approved", "EU regions only.", "alice")
