"""Playwright driving Debian's Chromium (no `playwright install`: browsers cannot be downloaded here)."""

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM}: `apt-get install chromium` to run browser tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, reference_rows: None) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Page, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After the pages' audit: each page's weight, EcoIndex and axe violations, and where the screenshots are."""
    from tests.e2e.test_pages_audit import MEASURES, SCREENSHOTS_KEY

    if not MEASURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("Main pages: weight, EcoIndex, axe-core violations")
    write(
        f"{'page':<28} {'lang':<4} {'px':>4} {'KB':>7} {'req':>4} {'elements':>8} {'EcoIndex':>9}  violations"
    )
    for m in MEASURES:
        violations = ", ".join(sorted(set(m.violations))) or "-"
        write(
            f"{m.page:<28} {m.lang:<4} {m.width:>4} {m.kb:>7.1f} {m.requests:>4} {m.nodes:>8} "
            f"{m.score:>6} {m.grade:<2}  {violations}"
        )
    if SCREENSHOTS_KEY in config.stash:
        write(f"Screenshots: {config.stash[SCREENSHOTS_KEY]}", bold=True)
