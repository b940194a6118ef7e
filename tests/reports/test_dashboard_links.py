"""The dashboard links to the management report and the CSRD / GHG export of the period and departments
it shows; the reports read the dashboard's period (a range of months)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dates import months_back
from reports.forms import parse_period
from tests.reports.test_management_report import pdf_text
from tests.usage.test_dashboard import add_usage


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        ("2025-12..2026-11", "range", (2025, 12), (2026, 11), "2025-12..2026-11"),
        ("2026-01..2026-12", "year", (2026, 1), (2026, 12), "2026"),
        ("2026-10..2026-12", "quarter", (2026, 10), (2026, 12), "2026-Q4"),
        ("2026-11..2026-11", "month", (2026, 11), (2026, 11), "2026-11"),
        ("2026-02..2026-04", "range", (2026, 2), (2026, 4), "2026-02..2026-04"),  # three months, no quarter
        ("2026-1..2026-3", "quarter", (2026, 1), (2026, 3), "2026-Q1"),
        ("2026-12..2026-01", None, None, None, None),  # backwards
        ("2026-13..2027-01", None, None, None, None),
        ("2026-11..", None, None, None, None),
    ],
)
def test_a_range_of_months_is_a_period(text, kind, start, end, label):
    period = parse_period(text)

    if kind is None:
        assert period is None
        return
    assert (period.kind, period.start, period.end, period.label) == (
        kind,
        datetime.date(*start, 1),
        datetime.date(*end, 1),
        label,
    )
    assert parse_period(period.label) == period  # labels read back


def links(html: str) -> dict[str, str]:
    """The dashboard's report links, by their text."""
    section = re.search(r'<p id="period-reports">(.*?)</p>', html, flags=re.S)[1]
    return {
        unescape(text): unescape(href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
    }


pytestmark = pytest.mark.django_db


def test_admins_get_the_reports_of_the_period_shown(client, root, sales, research):
    add_usage([sales, research], months=2)
    client.force_login(root)
    end = timezone.localdate().replace(day=1)
    start = months_back(end, 11)  # the dashboard's default: the last 12 months

    found = links(client.get(reverse("usage:dashboard")).content.decode())

    period = f"{start:%Y-%m}..{end:%Y-%m}"
    assert found == {
        "management report (PDF)": f"{reverse('reports:management-report')}?period={period}",
        "XLSX": f"{reverse('reports:export')}?period={period}&format=xlsx",
        "CSV": f"{reverse('reports:export')}?period={period}&format=csv",
    }
    report = client.get(found["management report (PDF)"])
    assert report["Content-Type"] == "application/pdf"
    text = pdf_text(report.content)
    # In December the last 12 months are the calendar year, which the report names as such.
    period_label = f"{end:%Y}" if start.month == 1 else f"{start:%B %Y} to {end:%B %Y}"
    assert period_label in text and "Sales" in text and "Research" in text
    assert client.get(found["XLSX"]).status_code == 200
    assert client.get(found["CSV"]).content.decode().count("Sales") >= 1


def test_the_links_follow_the_filters(client, root, sales, research):
    add_usage([sales, research], months=1)
    client.force_login(root)

    html = client.get(
        reverse("usage:dashboard"),
        {"start": "2026-01", "end": "2026-12", "department": research.pk, "region": "us-central1"},
    ).content.decode()

    found = links(html)
    assert (
        found["management report (PDF)"]
        == f"{reverse('reports:management-report')}?period=2026-01..2026-12&department={research.pk}"
    )
    assert "the reports cover every model and region" in html
    text = pdf_text(client.get(found["management report (PDF)"]).content)
    assert "Research" in text and "Sales" not in text


def test_managers_get_links_to_their_departments_only(client, bruno, sales, research):
    add_usage([sales, research], months=1)
    client.force_login(bruno)

    # Asking the dashboard for another department is refused by its filter: the links keep their scope
    found = links(client.get(reverse("usage:dashboard"), {"department": research.pk}).content.decode())

    assert "department=" not in found["management report (PDF)"]
    report = client.get(found["management report (PDF)"])
    text = pdf_text(report.content)
    assert "Sales" in text and "Research" not in text
    export = client.get(found["CSV"]).content.decode()
    assert "Sales" in export and "Research" not in export
    # And a hand-made link to another department's report is refused
    other = found["management report (PDF)"] + f"&department={research.pk}"
    assert client.get(other).status_code == 400


def test_the_links_are_in_french_for_french_users(client, root, sales):
    add_usage([sales], months=1)
    client.force_login(root)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    html = client.get(reverse("usage:dashboard")).content.decode()

    assert "rapport de direction (PDF)" in html


@pytest.mark.parametrize(
    ("language", "empty"), [("en", "No target for this year."), ("fr", "Aucun objectif pour cette année.")]
)
def test_without_targets_the_dashboard_says_so_instead_of_an_empty_table(client, root, language, empty):
    """An empty six-column table scrolled sideways on a phone; the report links read as one sentence (a flex
    row spaced 'XLSX , CSV')."""
    client.force_login(root)
    client.cookies["django_language"] = language

    html = client.get(reverse("usage:dashboard")).content.decode()

    assert f'<p class="empty">{empty}</p>' in html
    assert 'class="targets"' not in html
    assert re.search(r'<p id="period-reports">', html)
