"""The use-case form in a browser: the preview follows the typing with one request per pause (the form's
required fields do not hold it back), and the image-only fields show for image generation only."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_preview_follows_the_typing_and_the_image_fields_follow_the_task(page: Page, live_server, alice):
    previews = []
    page.on(
        "request", lambda request: previews.append(request) if "/governance/preview/" in request.url else None
    )
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/governance/new/")
    image_fields = page.locator("[data-task-kind=image]")

    # Nothing is asked while nobody types (no polling); the image fields wait for an image task.
    page.wait_for_timeout(1500)
    assert previews == []
    expect(image_fields).to_be_hidden()

    # A burst of typing, title and description still empty: one preview, after the pause.
    page.get_by_label("Task type").select_option("summarisation")
    page.get_by_label("Requests per month").press_sequentially("250", delay=80)
    page.get_by_label("Output tokens per request").fill("")
    page.get_by_label("Output tokens per request").press_sequentially("400", delay=80)
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Emissions")).to_be_visible()
    expect(preview.locator(".dot-highlight")).to_have_count(1)
    page.wait_for_timeout(1000)
    assert len(previews) == 1 and previews[0].method == "POST"

    page.get_by_label("Task type").select_option("image_generation")
    expect(image_fields).to_be_visible()
    page.get_by_label("Task type").select_option("translation")
    expect(image_fields).to_be_hidden()
