"""The demo organisation loaded by `manage.py load_demo`. Demo data only: never use in production."""

from dataclasses import dataclass

from django.db import transaction

from portal.models import Department, User

DEMO_PASSWORD = "frugal-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    department: str
    manages: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("alice", User.Role.EMPLOYEE, "Marketing"),
    DemoUser("bruno", User.Role.MANAGER, "Marketing", manages=("Marketing",)),
    DemoUser("chloe", User.Role.EMPLOYEE, "Finance"),
    DemoUser("david", User.Role.MANAGER, "Finance", manages=("Finance",)),
    DemoUser("emma", User.Role.EMPLOYEE, "Customer service"),
    DemoUser("farid", User.Role.MANAGER, "Customer service", manages=("Customer service",)),
    DemoUser("admin", User.Role.ADMIN, "Finance"),
)


@transaction.atomic
def demo_organisation_load() -> list[User]:
    """Create or reset the demo departments and users. Safe to run any number of times."""
    users = []
    for demo in DEMO_USERS:
        department, _ = Department.objects.get_or_create(name=demo.department)
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "email": f"{demo.username}@demo.example",
                "role": demo.role,
                "department": department,
                "is_staff": demo.role == User.Role.ADMIN,
                "is_superuser": demo.role == User.Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.managed_departments.set(
            [Department.objects.get_or_create(name=name)[0] for name in demo.manages]
        )
        users.append(user)
    return users
