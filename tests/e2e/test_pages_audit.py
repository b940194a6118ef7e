"""Every main page, in English and French, at 1280 and 390 px wide (issue 13, item 11 and the checks that
stay): no axe-core violation (WCAG 2.0/2.1 A and AA, and axe's best practices), within its weight budget,
EcoIndex grade A where the page is one people open many times a day, and a full-page screenshot saved.

One browser context per language and width; the signed-in user changes by swapping the session cookie
(admin for the dashboard and the administration pages, an employee for the rest, nobody for sign-in).

Weight is measured as EcoIndex does (its scraper and its Lighthouse plugin, github.com/cnumr): every
request of a cold load (the browser cache is off), its bytes as transferred (Chromium's
`encodedDataLength`: headers and body), and the page's elements not counting those inside an `<svg>`.
The test server compresses nothing (in production WhiteNoise sends the static files compressed), so the
sizes are an upper bound.
Screenshots go to $E2E_SCREENSHOTS_DIR, else to var/e2e-screenshots/ (git-ignored), named
<page>.<lang>.<width>.png; the run's summary prints where, with each page's weight, grade and violations.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ecoindex.compute import get_grade, get_score
from playwright.sync_api import Browser, BrowserContext, Page

from courses import content as course_content
from courses import services as courses
from courses.models import Course
from estimator.models import Estimate
from governance.models import UseCase
from portal.demo import demo_organisation_load
from portal.models import User
from usage import services as usage
from usage.models import Connection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# var/ is git-ignored; pytest's own temporary folders are pruned after three runs (other runs included).
DEFAULT_SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {1280: 800, 390: 844}  # viewport width → height, px

# Every main page's HTML and assets, KB as transferred (uncompressed here: an upper bound). The catalogue
# lists all 342 models on one page (its search filters them there): 180 KB.
PAGE_BUDGET_KB = 150
BUDGET_KB = {"catalogue": 180}
# The pages people open many times a day: EcoIndex grade A (≤ 150 KB, ≤ 10 requests, a modest DOM).
# The dashboard was 73 (B) with 552 elements, most of them its six data tables (the charts' text
# alternative); its four breakdown tables now load when asked (usage:dashboard-table).
GRADE_A_PAGES = {"estimator", "compare", "scenario", "use case", "dashboard"}


@dataclass
class MainPage:
    name: str
    path: str  # may hold {placeholders} filled from the site's data
    user: str  # "anonymous", "employee" or "admin"
    status: int = 200
    ready: str | None = None  # a selector that shows the page has finished its after-load requests


MAIN_PAGES = [
    MainPage("sign-in", "/accounts/login/", "anonymous"),
    MainPage("password reset", "/accounts/password_reset/", "anonymous"),
    MainPage("not found (anonymous)", "/no-such-page/", "anonymous", status=404),
    MainPage("home", "/", "employee"),
    MainPage("estimator", "/estimator/", "employee"),
    MainPage("compare", "/estimator/compare/", "employee"),
    MainPage("scenario", "/estimator/scenario/", "employee"),
    MainPage("catalogue", "/estimator/models/", "employee"),
    MainPage("method", "/estimator/method/", "employee"),
    MainPage("saved estimates", "/estimator/saved/", "employee"),
    MainPage("saved estimate", "/estimator/saved/{estimate}/", "employee"),
    MainPage("saved estimates compared", "/estimator/saved/compare/?{two_estimates}", "employee"),
    MainPage("courses", "/courses/", "employee"),
    MainPage("course", "/courses/{course}/", "employee"),
    MainPage("module and quiz", "/courses/{course}/modules/1/", "employee"),
    MainPage("practice task", "/courses/{course}/tasks/{task}/", "employee"),
    MainPage("course results", "/courses/{course}/results/", "employee"),
    MainPage("use cases", "/governance/", "employee"),
    MainPage("use case", "/governance/{use_case}/", "employee"),
    MainPage("use case form", "/governance/new/", "employee"),
    MainPage("reports", "/reports/", "employee"),
    MainPage("password change", "/accounts/password_change/", "employee"),
    MainPage("API tokens", "/accounts/tokens/", "employee"),
    MainPage("not allowed", "/dashboard/", "employee", status=403),
    MainPage("not found", "/estimator/saved/999999/", "employee", status=404),
    MainPage("dashboard", "/dashboard/", "admin", ready="#training-panel:not([hx-get])"),
    MainPage(
        "dashboard with a table", "/dashboard/tables/model/", "admin", ready="#training-panel:not([hx-get])"
    ),
    MainPage("use cases and matrix", "/governance/", "admin"),
    MainPage("cohort results", "/courses/{course}/cohort/", "admin"),
    MainPage("usage imports", "/usage/imports/", "admin"),
    MainPage("usage import form", "/usage/import/", "admin"),
    MainPage("usage import", "/usage/import/{usage_import}/", "admin"),
    MainPage("connections", "/usage/connections/", "admin"),
    MainPage("connection", "/usage/connections/{connection}/", "admin"),
    MainPage("new connection", "/usage/connections/new/", "admin"),
    MainPage("targets", "/reports/targets/", "admin"),
    MainPage("GHG export", "/reports/ghg-export/", "admin"),
    MainPage("AI literacy register", "/reports/ai-literacy-register/", "admin"),
]


@dataclass
class Measure:
    page: str
    lang: str
    width: int
    kb: float
    requests: int
    nodes: int
    score: int
    grade: str
    violations: list[str] = field(default_factory=list)


MEASURES: list[Measure] = []  # read by the e2e conftest's terminal summary


def ecoindex_of(nodes: int, kb: float, requests: int) -> tuple[int, str]:
    """EcoIndex's score and grade (ecoindex-compute is async; Playwright's sync API owns this thread's
    event loop, so it runs in another thread)."""

    async def score_and_grade() -> tuple[int, str]:
        score = await get_score(dom=nodes, size=kb, requests=requests)
        return round(score), await get_grade(score)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, score_and_grade()).result()


@pytest.fixture
def site(reference_rows, tmp_path, settings) -> dict[str, object]:
    """The demo organisation (usage over a year, use cases, estimates, a trained cohort), alice enrolled
    past her first practice tasks, and a finished usage import."""
    course_content.load(apps)
    demo_organisation_load()
    alice = User.objects.get(username="alice")
    admin = User.objects.get(username="admin")
    course = Course.objects.get(slug="frugal-prompting")
    enrollment = courses.course_enroll(user=alice, course=course)
    first_tasks = list(course.tasks.filter(set=enrollment.first_set))
    for task in first_tasks:
        attempt = courses.attempt_start(enrollment=enrollment, task=task)
        courses.attempt_finish(attempt=attempt, outcome="gave_up")
    settings.USAGE_IMPORT_DIR = tmp_path
    csv = (
        "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,"
        "image_width,image_height,source,external_id\n"
        "2026-10-05,Finance,,gpt-4o-mini,europe-west9,10,5000,2000,0,,,crm,audit-1\n"
    )
    created = usage.usage_import_create(
        uploaded_by=admin, upload=SimpleUploadedFile("usage.csv", csv.encode())
    )
    usage_import = usage.usage_import_run(usage_import=created)
    estimates = list(Estimate.objects.filter(owner=alice).order_by("pk").values_list("pk", flat=True))
    visible_case = UseCase.objects.filter(owner=alice).order_by("pk").first()
    return {
        "users": {"employee": alice, "admin": admin},
        "estimate": estimates[0],
        "two_estimates": f"ids={estimates[0]}&ids={estimates[1]}",
        "course": course.slug,
        "task": first_tasks[0].pk,
        "use_case": visible_case.pk,
        "usage_import": usage_import.pk,
        "connection": Connection.objects.order_by("pk").first().pk,
    }


@pytest.fixture(scope="session")
def screenshots_dir(pytestconfig) -> Path:
    folder = Path(os.environ.get("E2E_SCREENSHOTS_DIR") or DEFAULT_SCREENSHOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[SCREENSHOTS_KEY] = folder
    return folder


SCREENSHOTS_KEY = pytest.StashKey[Path]()


def session_cookie(user: User | None) -> list[dict[str, str]]:
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    return [
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    ]


class Meter:
    """The requests of one page load and their bytes, from Chromium's network events (cache off)."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.bytes = 0
        self.urls: list[str] = []
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        session.on("Network.requestWillBeSent", self._request)
        session.on("Network.loadingFinished", self._finished)

    def _request(self, event: dict) -> None:
        if not event["request"]["url"].startswith("data:"):
            self.urls.append(event["request"]["url"])

    def _finished(self, event: dict) -> None:
        self.bytes += int(event["encodedDataLength"])

    def reset(self) -> None:
        self.bytes = 0
        self.urls = []


@pytest.fixture
def audit_context(browser: Browser, live_server) -> Iterator[Callable[[str, int], tuple[Page, Meter]]]:
    contexts: list[BrowserContext] = []

    def open_context(lang: str, width: int) -> tuple[Page, Meter]:
        context = browser.new_context(
            locale="fr-FR" if lang == "fr" else "en-GB",
            viewport={"width": width, "height": WIDTHS[width]},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, Meter(context, page)

    yield open_context
    for context in contexts:
        context.close()  # closing twice is harmless


# axe-core 4.7 retired its duplicate-id rules with WCAG 2.2's 4.1.1, but a repeated id still breaks what
# points at it: a <label for> then focuses another page's field (issue 13: the what-if's region label
# focused the dashboard filter). Checked here, as a violation of its own.
DUPLICATE_IDS_JS = """() => {
  const seen = {};
  for (const element of document.querySelectorAll('[id]')) seen[element.id] = (seen[element.id] || 0) + 1;
  return Object.keys(seen).filter(id => seen[id] > 1);
}"""


# axe-core leaves SVG text out of its colour-contrast rule; the charts draw theirs on the page's white.
# Each <text>'s fill against white, WCAG's contrast ratio (4.5:1 for text under 18.66 px bold / 24 px).
SVG_TEXT_CONTRAST_JS = """() => {
  const luminance = rgb => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const failing = [];
  document.querySelectorAll('svg text').forEach(text => {
    const rgb = (getComputedStyle(text).fill.match(/[0-9.]+/g) || ['0', '0', '0']).slice(0, 3).map(Number);
    const ratio = 1.05 / (luminance(rgb) + 0.05);
    if (ratio < 4.5) failing.push(`svg text "${text.textContent.trim()}" at ${ratio.toFixed(2)}:1`);
  });
  return failing;
}"""


def violations_of(page: Page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())  # evaluated by the devtools protocol: the page's CSP allows it
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    duplicates = page.evaluate(DUPLICATE_IDS_JS)
    if duplicates:
        nodes = [{"target": [f"#{name}"]} for name in duplicates]
        result["violations"].append({"id": "duplicate-id", "impact": "serious", "nodes": nodes})
    low_contrast = page.evaluate(SVG_TEXT_CONTRAST_JS)
    if low_contrast:
        nodes = [{"target": [text]} for text in low_contrast]
        result["violations"].append({"id": "svg-text-contrast", "impact": "serious", "nodes": nodes})
    return result["violations"]


def audit(
    page: Page, meter: Meter, lang: str, width: int, site: dict, base_url: str, screenshots: Path
) -> list[str]:
    """Visit every main page in this language and width; the problems found, one line each."""
    context = page.context
    problems: list[str] = []
    signed_in_as: str | None = None
    for main in MAIN_PAGES:
        where = f"{main.name} [{lang} {width}px] {main.path}"
        if main.user != signed_in_as:
            cookies = [
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang},
                *session_cookie(site["users"].get(main.user)),
            ]
            context.clear_cookies()
            context.add_cookies([{**cookie, "url": base_url} for cookie in cookies])
            signed_in_as = main.user
        meter.reset()
        response = page.goto(base_url + main.path.format(**site))
        assert response is not None
        if response.status != main.status:
            problems.append(f"{where}: HTTP {response.status}, expected {main.status}")
            continue
        if main.ready:
            page.locator(main.ready).wait_for(state="attached")
        nodes = page.evaluate(
            "document.querySelectorAll('*').length - document.querySelectorAll('svg *').length"
        )
        kb, requests = meter.bytes / 1000, len(meter.urls)
        score, grade = ecoindex_of(nodes, kb, requests)
        measure = Measure(main.name, lang, width, round(kb, 1), requests, nodes, score, grade)
        MEASURES.append(measure)
        for violation in violations_of(page):
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            shown = ", ".join(targets[:5]) + (f" and {len(targets) - 5} more" if len(targets) > 5 else "")
            measure.violations.append(violation["id"])
            problems.append(f"{where}: {violation['id']} ({violation['impact']}) on {shown}")
        budget_kb = BUDGET_KB.get(main.name, PAGE_BUDGET_KB)
        if kb > budget_kb:
            problems.append(f"{where}: {kb:.0f} KB, over its {budget_kb} KB budget")
        if main.name in GRADE_A_PAGES and grade != "A":
            problems.append(
                f"{where}: EcoIndex {score} ({grade}), not A: {kb:.0f} KB, {requests} requests, {nodes} elements"
            )
        slug = "".join(c if c.isalnum() else "-" for c in main.name.lower())
        page.screenshot(path=screenshots / f"{slug}.{lang}.{width}.png", full_page=True, timeout=60_000)
    return problems


def test_every_main_page_is_accessible_light_and_photographed(
    site, audit_context, live_server, screenshots_dir: Path
):
    # The demo organisation takes seconds to load: one test, one browser context per language and width.
    problems: list[str] = []
    for lang in ("en", "fr"):
        for width in WIDTHS:
            page, meter = audit_context(lang, width)
            problems += audit(page, meter, lang, width, site, live_server.url, screenshots_dir)
            page.context.close()

    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
