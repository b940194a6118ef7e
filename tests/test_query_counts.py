"""Every list page and list endpoint makes as many queries with a few rows as with more: no N+1.

Each case reads the page once to warm the caches (reference data, the matrix thresholds row), counts the
queries of a second read, adds rows that the list shows, and counts again.

Not here: the model and region lists of the estimator API read the reference data from memory (no query
at all once loaded), so their count cannot grow with rows.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services as courses
from courses.models import Course
from estimator import services as estimator
from governance.models import UseCaseEvent
from tests.courses.conftest import do_task
from tests.factories import UserFactory, use_case
from tests.usage.test_dashboard import add_usage
from usage.models import UsageImport, UsageImportEvent

pytestmark = pytest.mark.django_db


def queries(
    client: Client, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> int:
    client.get(url, data, headers=headers)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def assert_flat(
    client: Client,
    user: Any,
    url: str,
    grow: Callable[[int], None],
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    client.force_login(user)
    grow(1)
    few = queries(client, url, data, headers)
    grow(4)
    more = queries(client, url, data, headers)
    assert few == more, f"{url}: {few} queries with a few rows, {more} with more"


def test_saved_estimates(client, alice):
    def grow(count: int) -> None:
        for n in range(count):
            estimator.estimate_save(
                owner=alice, name=f"e{n}", kind="text", inputs={"model": "gpt-4o", "output_tokens": 100 + n}
            )

    assert_flat(client, alice, reverse("estimator:saved-list"), grow)
    assert_flat(client, alice, reverse("estimator-api:estimates"), grow)


@pytest.fixture
def grow_use_cases(alice, colette, marc, bruno):
    """alice's and colette's use cases in Sales in every status that lists show, each joined by marc."""

    def grow(count: int) -> None:
        for n in range(count):
            for owner, status in ((alice, "submitted"), (colette, "approved"), (alice, "draft")):
                case = use_case(owner, status=status, decider=bruno, title=f"{status} {n} {owner}")
                case.members.add(marc)

    return grow


@pytest.mark.parametrize("persona", ["employee", "manager", "admin"])
def test_use_case_list(client, personas, grow_use_cases, persona):
    assert_flat(client, personas[persona], reverse("governance:list"), grow_use_cases)


def test_use_case_list_filtered(client, root, grow_use_cases):
    assert_flat(client, root, reverse("governance:list"), grow_use_cases, data={"quadrant": "go"})


def test_use_case_api_list(client, root, grow_use_cases):
    assert_flat(client, root, reverse("governance-api:use-cases"), grow_use_cases)


def test_use_case_events(client, alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)

    def grow(count: int) -> None:
        for _ in range(count):
            UseCaseEvent.objects.create(
                use_case=case, actor=bruno, from_status="approved", to_status="approved", comment="Noted."
            )

    url = reverse("governance-api:use-case-events", kwargs={"use_case_id": case.pk})
    assert_flat(client, alice, url, grow)
    assert_flat(client, alice, reverse("governance:detail", kwargs={"use_case_id": case.pk}), grow)


def test_course_lists(client, alice):
    def grow(count: int) -> None:
        start = Course.objects.count()
        for n in range(start, start + count):
            course = Course.objects.create(
                slug=f"course-{n}", title_en="C", title_fr="C", summary_en="S", summary_fr="S"
            )
            courses.course_enroll(user=alice, course=course)

    assert_flat(client, alice, reverse("courses:list"), grow)
    assert_flat(client, alice, reverse("courses-api:courses"), grow)


def test_cohort_results(client, root, sales):
    course = Course.objects.get(slug="frugal-prompting")

    def grow(count: int) -> None:
        start = course.enrollments.count()
        for n in range(start, start + count):
            learner = UserFactory(username=f"learner{n}", department=sales)
            enrollment = courses.course_enroll(user=learner, course=course)
            for task in course.tasks.filter(set=enrollment.first_set):
                do_task(enrollment, task, iterations=2)

    slug = {"slug": course.slug}
    assert_flat(client, root, reverse("courses:cohort", kwargs=slug), grow, data={"scope": "org"})
    assert_flat(client, root, reverse("courses-api:results"), grow, data={"scope": "org"})


def test_emissions_dashboard_and_summary(client, root, sales, research):
    def grow(count: int) -> None:
        add_usage([sales, research], months=count, per_month=count)

    assert_flat(client, root, reverse("usage:dashboard"), grow)
    # A breakdown table loaded when asked (htmx) and the page with it (without JavaScript)
    table_url = reverse("usage:dashboard-table", args=["model"])
    assert_flat(client, root, table_url, grow)
    assert_flat(client, root, table_url, grow, headers={"HX-Request": "true"})
    assert_flat(client, root, reverse("usage-api:summary"), grow, data={"group_by": "department"})


def test_usage_imports(client, root):
    def grow(count: int) -> None:
        for n in range(count):
            UsageImport.objects.create(uploaded_by=root, file_name=f"u{n}.csv", path="/nonexistent")

    assert_flat(client, root, reverse("usage:import-new"), grow)


def test_usage_import_history(client, root, alice, bruno):
    """Uploaded by several people, some undone by another: still one query for the page of imports."""

    def grow(count: int) -> None:
        for n in range(count):
            for uploader in (root, alice):
                UsageImport.objects.create(
                    uploaded_by=uploader, file_name=f"u{n}.csv", path="/nonexistent", status="done"
                )
            UsageImport.objects.create(
                uploaded_by=root, file_name=f"x{n}.csv", path="/x", status="undone", undone_by=bruno,
                undone_at=timezone.now(), removed_rows=n,
            )  # fmt: skip

    assert_flat(client, root, reverse("usage:imports"), grow)
    assert_flat(client, root, reverse("usage-api:imports"), grow)


def test_usage_import_events(client, root, alice):
    usage_import = UsageImport.objects.create(uploaded_by=root, file_name="u.csv", path="/x", status="done")

    def grow(count: int) -> None:
        for _ in range(count):
            for actor in (root, alice):
                UsageImportEvent.objects.create(usage_import=usage_import, actor=actor, action="retried")

    assert_flat(client, root, reverse("usage:import", args=[usage_import.pk]), grow)
    assert_flat(client, root, reverse("usage-api:import", args=[usage_import.pk]), grow)


@pytest.mark.parametrize("persona", ["employee", "manager", "admin"])
def test_home(client, personas, grow_use_cases, persona):
    """The home page lists the user's training, use cases, decisions and estimates: a fixed number of
    queries however many there are."""
    user = personas[persona]

    def grow(count: int) -> None:
        grow_use_cases(count)
        start = Course.objects.count()
        for n in range(start, start + count):
            course = Course.objects.create(
                slug=f"course-{n}", title_en="C", title_fr="C", summary_en="S", summary_fr="S"
            )
            courses.course_enroll(user=user, course=course)
            estimator.estimate_save(
                owner=user, name=f"e{n}", kind="text", inputs={"model": "gpt-4o", "output_tokens": 100 + n}
            )

    assert_flat(client, user, reverse("portal:home"), grow)
