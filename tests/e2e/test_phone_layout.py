"""At a phone's width (390 px), in English and French: no page wider than the screen, and the
estimator's summary in view while typing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from governance.models import UseCase
from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def phone_page(browser: Browser, live_server_url: str, language: str, username: str) -> Page:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server_url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form[action*=login] button[type=submit]").click()
    page.wait_for_load_state()
    return page


def overflowing(page: Page) -> list[str]:
    """What sticks out past the right edge, outside the tables that scroll by design."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"""
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_main_page_is_wider_than_a_phone(browser: Browser, live_server, reference_rows, language):
    # Given the demo organisation and its administrator on a 390 px wide screen
    call_command("load_demo")
    use_case = UseCase.objects.exclude(footprint=None).order_by("pk").first()
    pages = [
        reverse("portal:home"),
        reverse("estimator:estimate"),
        reverse("estimator:compare"),
        reverse("estimator:scenario"),
        reverse("governance:list"),
        reverse("governance:detail", args=[use_case.pk]),
        reverse("usage:dashboard"),
        reverse("courses:list"),
        reverse("usage:imports"),
    ]
    page = phone_page(browser, live_server.url, language, "admin")

    # When each page opens, then none is wider than the screen
    widths = {}
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == language
        widths[path] = (page.evaluate("document.documentElement.scrollWidth"), overflowing(page))
    assert {path: width for path, width in widths.items() if width[0] > PHONE["width"]} == {}
    page.context.close()


def test_the_estimators_summary_stays_in_view_while_typing_on_a_phone(
    browser: Browser, live_server, reference_rows
):
    # Given the demo employee on the estimator, on a phone
    call_command("load_demo")
    page = phone_page(browser, live_server.url, "en", "alice")
    page.goto(live_server.url + reverse("estimator:estimate"))
    summary = page.locator("#result-summary-narrow")
    before = summary.inner_text()

    # When she types ten times more output, far above the full result
    field = page.get_by_label("Output tokens per answer")
    field.fill("4000")

    # Then the summary changes, and it is on screen while the full result is not
    expect(summary).not_to_have_text(before)
    assert "gCO2e" in summary.inner_text()
    expect(summary).to_be_in_viewport()
    expect(page.locator("#estimate-result .result-figure").first).not_to_be_in_viewport()
    # And it stays on screen down to the form's last control
    page.locator("#estimate-form button[type=submit]").last.scroll_into_view_if_needed()
    expect(summary).to_be_in_viewport()
    # And the wide screen's summary is not shown (one live region speaks at a time)
    expect(page.locator("#result-summary-wide")).to_be_hidden()
    page.context.close()
