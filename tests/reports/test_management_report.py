"""The management report: rendered to PDF, read back with pdftotext in both languages, counted pages."""

import re
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from estimator.templatetags.footprint import quantity
from reports import management, targets
from reports.forms import parse_period
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
