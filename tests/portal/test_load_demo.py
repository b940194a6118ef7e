import pytest
from django.core.management import call_command

from estimator.models import Estimate
from portal.demo import DEMO_PASSWORD
from portal.models import Department, User


@pytest.mark.django_db
def test_load_demo_creates_three_departments_each_with_an_employee_and_a_manager():
    call_command("load_demo")

    assert Department.objects.count() == 3
    for department in Department.objects.all():
        members = User.objects.filter(department=department)
        assert members.filter(role=User.Role.EMPLOYEE).exists()
        assert User.objects.filter(role=User.Role.MANAGER, managed_departments=department).exists()
    admin = User.objects.get(role=User.Role.ADMIN)
    assert admin.is_staff and admin.check_password(DEMO_PASSWORD)
    # People are shown by their name; the admin account by its username
    assert str(User.objects.get(username="chloe")) == "Chloé Dubois" and str(admin) == "admin"


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_repairs_what_was_changed():
    call_command("load_demo")
    alice = User.objects.get(username="alice")
    alice.set_password("something-else-entirely")
    alice.role = User.Role.ADMIN
    alice.save()

    call_command("load_demo")

    assert User.objects.exclude(username__startswith="demo-learner-").count() == 7
    assert User.objects.filter(username__startswith="demo-learner-").count() == 12
    assert Department.objects.count() == 3
    alice.refresh_from_db()
    assert alice.role == User.Role.EMPLOYEE and alice.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_load_demo_gives_the_demo_users_saved_estimates_once():
    call_command("load_demo")
    call_command("load_demo")

    alice = User.objects.get(username="alice")
    assert alice.estimates.count() == 3
    assert Estimate.objects.filter(kind="scenario").count() == 1
