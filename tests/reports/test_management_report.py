"""The management report: rendered to PDF, read back with pdftotext in both languages, counted pages."""

import re
import subprocess

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from estimator.templatetags.footprint import quantity
from reports import management, targets
from reports.forms import parse_period
from tests.factories import DepartmentFactory, use_case
from tests.reports.helpers import rollup
from tests.usage.test_dashboard import add_usage

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with its whitespace (line and column breaks) collapsed to single spaces."""
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def pdf_pages(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


@pytest.fixture
def usage_this_year(root, sales, research):
    add_usage([sales, research], months=3, per_month=2)
    targets.target_set(user=root, year=timezone.localdate().year, department=None, emissions_kgco2e=5000)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            ["management report", "Targets: are we on track?", "By department", "Annex: methodology note"],
        ),
        ("fr", ["rapport de direction", "Objectifs : sommes-nous sur la bonne trajectoire ?", "Par service"]),
    ],
)
def test_the_report_shows_the_dashboards_figures_in_both_languages(
    client, root, usage_this_year, language, words
):
    period = parse_period(str(timezone.localdate().year))
    context = management.report_context(root, period=period)
    content = management.report_pdf(root, period=period, language=language)

    text = pdf_text(content)
    for word in words:
        assert word in text
    assert "Sales" in text and "Research" in text
    # The central emissions as the dashboard shows them (three significant digits)
    client.force_login(root)
    total = client.get(
        reverse("usage:dashboard"), {"start": f"{period.start:%Y-%m}", "end": f"{period.end:%Y-%m}"}
    ).context["total"]
    assert context["total"].emissions_kgco2e[1] == pytest.approx(total.emissions_kgco2e[1])
    with translation.override(language):
        assert quantity(total.emissions_kgco2e[1], "kgco2e") in text
    assert 3 <= pdf_pages(content) <= 12


def test_managers_get_their_departments_and_never_another(client, bruno, research, usage_this_year):
    client.force_login(bruno)
    own = client.get(reverse("reports:management-report"), {"period": "2026", "language": "en"})
    other = client.get(reverse("reports:management-report"), {"department": research.pk})

    assert own["Content-Type"] == "application/pdf"
    text = pdf_text(own.content)
    assert "Sales" in text and "Research" not in text
    assert other.status_code == 400


def test_the_monthly_email_goes_to_admins_once(root, usage_this_year):
    assert management.management_report_send_monthly() == 1
    assert management.management_report_send_monthly() == 0
    (message,) = mail.outbox
    name, content, kind = message.attachments[0]
    assert kind == "application/pdf" and name.endswith(".pdf")
    assert "Annex" in pdf_text(content)


@pytest.mark.parametrize("budgets", [False, True])
def test_the_report_takes_the_dashboards_queries_whatever_the_usage(
    client, root, sales, research, alice, bruno, budgets
):
    """The issue's performance rule: the yearly report makes no more queries than the dashboard and at
    most 10, and neither grows with the usage, also with budgeted use cases on the dashboard. (The
    dashboard makes more than the report: every page's navigation counts the decisions waiting, and its
    filters offer only the models and regions its usage names.)"""
    if budgets:
        for title in ("Summarise feedback", "Draft replies"):
            case = use_case(alice, status="approved", decider=bruno, title=title)
            rollup(timezone.localdate().replace(day=1), sales, 10.0, use_case=case)
    year = str(timezone.localdate().year)
    client.force_login(root)

    def counts() -> tuple[int, int]:
        found = []
        for url, data in (
            (reverse("usage:dashboard"), {}),
            (reverse("reports:management-report"), {"period": year, "language": "en"}),
        ):
            client.get(url, data)  # warm
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, data).status_code == 200
            found.append(len(captured))
        return found[0], found[1]

    add_usage([sales], months=1)
    dashboard_few, report_few = counts()
    add_usage([sales, research], months=4, per_month=3)
    dashboard_more, report_more = counts()

    assert report_few == report_more <= dashboard_few == dashboard_more
    assert report_few <= 10


def test_a_breakdown_table_lists_the_ten_largest_and_sums_the_rest(root):
    departments = [DepartmentFactory(name=f"Department {n:02d}") for n in range(13)]
    add_usage(departments, months=1)
    period = parse_period(str(timezone.localdate().year))

    context = management.report_context(root, period=period)

    groups = dict((name, groups) for name, groups, _chart in context["breakdowns"])["department"]
    assert len(groups) == 11 and groups[-1][0] == "3 others"
    assert sum(totals.emissions_kgco2e[1] for _label, totals in groups) == pytest.approx(
        context["total"].emissions_kgco2e[1]
    )
    assert "3 others" in pdf_text(management.report_pdf(root, period=period, language="en"))
