"""The one scope rule (portal.scope) and every place that applies it, as tables over the personas.

alice (employee, Sales) owns the rows; colette is her colleague in Sales; marc (Sales) joined her use
cases; bruno manages Sales; carla manages Research; root is an admin (in Research).
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Course
from governance import selectors as governance_selectors
from governance import services as governance
from governance.notifications import deciders_of
from portal import scope
from tests.factories import DepartmentFactory, UserFactory, use_case
from tests.usage.test_dashboard import add_usage
from usage import dashboard

PERSONAS = ("anonymous", "employee", "colleague", "member", "manager", "other_manager", "admin")


def who(personas: dict[str, Any], name: str) -> Any:
    return personas[name] or AnonymousUser()


@pytest.mark.parametrize(
    ("persona", "departments", "oversees"),
    [
        ("anonymous", set(), False),
        ("employee", set(), False),
        ("colleague", set(), False),
        ("member", set(), False),
        ("manager", {"Sales"}, True),
        ("other_manager", {"Research"}, True),
        ("admin", {"Sales", "Research"}, True),
    ],
)
def test_departments_visible_to(personas, persona, departments, oversees):
    user = who(personas, persona)
    assert {d.name for d in scope.departments_visible_to(user)} == departments
    assert scope.oversees_departments(user) is oversees
    for department in ("Sales", "Research"):
        department_id = DepartmentFactory(name=department).pk
        assert scope.oversees(user, department_id) is (department in departments)


@pytest.mark.parametrize(
    ("persona", "people"),
    [
        ("anonymous", set()),
        ("employee", set()),
        ("colleague", set()),
        ("member", set()),
        ("manager", {"alice", "colette", "marc", "bruno"}),
        ("other_manager", {"carla", "root"}),
        ("admin", {"alice", "colette", "marc", "bruno", "carla", "root"}),
    ],
)
def test_people_visible_to(personas, persona, people):
    assert {u.username for u in scope.people_visible_to(who(personas, persona))} == people


def test_overseers_of_a_department_are_its_managers_or_else_the_admins(personas, sales, research):
    assert [u.username for u in scope.overseers_of(sales.pk)] == ["bruno"]
    # The manager's own work: nobody else manages Sales, so the admins oversee it.
    assert [u.username for u in scope.overseers_of(sales.pk, excluding=personas["manager"].pk)] == ["root"]
    assert [u.username for u in scope.overseers_of(DepartmentFactory(name="Legal").pk)] == ["root"]
    # An inactive manager oversees nothing.
    UserFactory(username="old", role="manager", department=research, manages=[research], is_active=False)
    assert [u.username for u in scope.overseers_of(research.pk)] == ["carla"]


@pytest.fixture
def alices(personas) -> dict[str, Any]:
    """alice's use cases in three statuses, each joined by marc."""
    cases = {
        status: use_case(personas["employee"], status=status, decider=personas["manager"], title=status)
        for status in ("draft", "submitted", "approved")
    }
    for case in cases.values():
        governance.usecase_join(use_case=case, user=personas["member"])
    return cases


@pytest.mark.parametrize(
    ("persona", "sees", "decides", "retires"),
    [
        ("employee", {"draft", "submitted", "approved"}, False, True),
        ("colleague", {"approved"}, False, False),
        ("member", {"draft", "submitted", "approved"}, False, False),
        ("manager", {"draft", "submitted", "approved"}, True, True),
        ("other_manager", set(), False, False),
        ("admin", {"draft", "submitted", "approved"}, True, True),
    ],
)
def test_who_sees_decides_and_retires_a_use_case(personas, alices, persona, sees, decides, retires):
    user = personas[persona]
    assert {c.title for c in governance_selectors.visible_use_cases(user)} == sees
    assert governance.is_decider(user, alices["submitted"]) is decides
    assert governance.can_retire(user, alices["approved"]) is retires
    queue = {c.title for c in governance_selectors.decision_queue(user)}
    assert queue == ({"submitted"} if decides else set())


def test_nobody_anonymous_decides(alices):
    assert governance.is_decider(AnonymousUser(), alices["submitted"]) is False


def test_the_deciders_notified_are_the_overseers_without_the_owner(personas, alices, sales):
    assert [u.username for u in deciders_of(alices["submitted"])] == ["bruno"]
    own = use_case(personas["manager"], status="draft", title="bruno's own")
    assert [u.username for u in deciders_of(own)] == ["root"]


@pytest.mark.parametrize(
    ("persona", "team", "org"),
    [
        ("employee", PermissionDenied, PermissionDenied),
        ("colleague", PermissionDenied, PermissionDenied),
        ("member", PermissionDenied, PermissionDenied),
        ("manager", {"alice", "colette"}, PermissionDenied),
        ("other_manager", {"carla"}, PermissionDenied),
        ("admin", {"alice", "colette", "carla"}, {"alice", "colette", "carla"}),
    ],
)
def test_whose_training_results_a_user_sees(personas, persona, team, org):
    course = Course.objects.get(slug="frugal-prompting")
    learners = ("employee", "colleague", "other_manager")  # two in Sales, one in Research
    for name in learners:
        course_services.course_enroll(user=personas[name], course=course)
    user = personas[persona]
    for scope_name, expected in (("team", team), ("org", org)):
        if expected is PermissionDenied:
            with pytest.raises(PermissionDenied):
                course_selectors.enrollments_in_scope(user, course, scope_name)
        else:
            enrollments = course_selectors.enrollments_in_scope(user, course, scope_name)
            assert {e.user.username for e in enrollments} == expected
    mine = course_selectors.enrollments_in_scope(user, course, "me")
    assert {e.user.username for e in mine} == ({user.username} if persona in learners else set())


@pytest.mark.parametrize(
    ("persona", "departments"),
    [
        ("employee", None),
        ("colleague", None),
        ("member", None),
        ("manager", {"Sales"}),
        ("other_manager", {"Research"}),
        ("admin", {"Sales", "Research"}),
    ],
)
def test_whose_emissions_a_user_sees(personas, persona, departments, sales, research):
    add_usage([sales, research], months=1)
    user = personas[persona]
    if departments is None:
        with pytest.raises(PermissionDenied):
            dashboard.rollups_in_scope(user)
    else:
        assert {r.department.name for r in dashboard.rollups_in_scope(user)} == departments
