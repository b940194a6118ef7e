"""The cohort CSV never hands a formula to a spreadsheet (issue 14, defect 5): usernames and
department names come from users and admins.

OWASP, CSV Injection (https://owasp.org/www-community/attacks/CSV_Injection).
"""

import csv
import io

import pytest
from django.urls import reverse

from courses import services
from tests.courses.conftest import complete
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_usernames_and_departments_with_formulas_are_exported_as_text(client, root, course):
    department = DepartmentFactory(name="@Ops")
    learners = ['=HYPERLINK("https://evil.example","x")', "-1+1", "\tcalc", "plain"]
    for username in learners:
        complete(
            services.course_enroll(user=UserFactory(username=username, department=department), course=course)
        )
    client.force_login(root)

    response = client.get(reverse("courses:cohort-csv", args=[course.slug]), {"scope": "org"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {row[0] for row in rows[1:]} == {"'" + learners[0], "'-1+1", "'\tcalc", "plain"}
    assert {row[1] for row in rows[1:]} == {"'@Ops"}
