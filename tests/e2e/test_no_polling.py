"""No page keeps requesting after it has loaded (issue 13: the dashboard's training panel re-rendered
itself with hx-trigger="load" and asked the server ≈ 18 times a second, forever)."""

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import use_case
from tests.usage.test_dashboard import add_usage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH_MS = 3_000


def requests_after_load(
    page: Page, url: str, loaded: Locator, watch_ms: int = WATCH_MS
) -> tuple[list[str], list[str]]:
    """The requests made while loading `url` (until `loaded` is visible), then those in the next seconds."""
    during: list[str] = []

    def record(request: Request) -> None:
        during.append(request.url)

    page.on("request", record)
    page.goto(url)
    expect(loaded).to_be_visible()
    if "/dashboard/" in url:
        # The training panel is asked for once after the page: let it arrive before counting.
        expect(page.locator("#training-panel a")).to_have_count(0)
    at_load = list(during)
    # Playwright delivers events only while it is called: wait through it, not with time.sleep.
    page.wait_for_timeout(watch_ms)
    page.remove_listener("request", record)
    return at_load, during[len(at_load) :]


def test_the_dashboard_loads_its_training_panel_once_then_stays_quiet(page: Page, live_server, root):
    sign_in(page, live_server.url, root.username, PASSWORD)

    panel = page.locator("#training-panel").get_by_text("No training results yet.")
    at_load, later = requests_after_load(page, f"{live_server.url}/dashboard/", panel)

    # The panel came, once
    assert sum("/dashboard/training/" in url for url in at_load) == 1, at_load
    # And nothing is asked for afterwards
    assert later == [], f"{len(later)} requests in {WATCH_MS / 1000:.0f} s after load: {later[:5]}"


MAIN_PAGES = [
    "/",
    "/estimator/",
    "/estimator/compare/",
    "/estimator/scenario/",
    "/governance/",
    "/governance/new/",
    "/courses/",
    "/reports/",
    "/dashboard/",
]


def test_no_main_page_keeps_requesting_after_it_has_loaded(page: Page, live_server, root, alice, bruno):
    case = use_case(alice, status="submitted")
    sign_in(page, live_server.url, root.username, PASSWORD)

    busy = {}
    for path in [*MAIN_PAGES, f"/governance/{case.pk}/"]:
        _at_load, later = requests_after_load(
            page, f"{live_server.url}{path}", page.locator("footer"), watch_ms=1_500
        )
        if later:
            busy[path] = later[:3]

    assert busy == {}


def test_without_javascript_the_dashboard_panels_work_as_pages(
    browser: Browser, reference_rows: None, live_server, root
):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, root.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")

    # The training panel is a link, not "Loading…" forever
    page.get_by_role("link", name="Show the training's measured effect").click()
    expect(page.locator("#training-panel")).to_contain_text("No training results yet.")
    expect(page.get_by_role("heading", level=1)).to_have_text("GenAI emissions")

    # The what-if's Compute opens the whole page with the panel, not a bare fragment
    page.get_by_role("button", name="Compute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GenAI emissions")
    expect(page.locator("#whatif-panel")).to_contain_text("No usage in this period.")
    context.close()


def test_a_breakdown_table_loads_once_when_asked_and_takes_the_focus(page: Page, live_server, root, sales):
    add_usage([sales], months=2)
    sign_in(page, live_server.url, root.username, PASSWORD)
    panel = page.locator("#training-panel").get_by_text("No training results yet.")
    requests_after_load(page, f"{live_server.url}/dashboard/", panel, watch_ms=500)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    page.get_by_role("link", name="Show the table By model").click()

    table = page.locator("#model-table table.breakdown")
    expect(table).to_contain_text("GPT-4o")
    expect(page.locator("#model-table")).to_be_focused()
    page.wait_for_timeout(1_000)
    assert [url for url in asked if "/dashboard/" in url] == [f"{live_server.url}/dashboard/tables/model/"]
    # The other tables are still links
    expect(page.locator("#department-table table")).to_have_count(0)
