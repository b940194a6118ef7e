"""The demo organisation loaded by `manage.py load_demo`. Demo data only: never use in production."""

from dataclasses import dataclass

from django.db import transaction

from estimator import services as estimator
from estimator.models import Estimate
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


# Saved estimates each demo user finds in the estimator: (username, name, kind, inputs).
DEMO_ESTIMATES = [
    (
        "alice",
        "Weekly newsletter draft: GPT-4o in Iowa",
        "text",
        {
            "model": "gpt-4o",
            "output_tokens": 800,
            "input_tokens": 1500,
            "requests": 52,
            "iterations": 4,
            "region": "us-central1",
        },
    ),
    (
        "alice",
        "Weekly newsletter draft: GPT-4o mini in Paris, briefed",
        "text",
        {
            "model": "gpt-4o-mini",
            "output_tokens": 600,
            "input_tokens": 1500,
            "requests": 52,
            "iterations": 2,
            "region": "europe-west9",
        },
    ),
    (
        "alice",
        "Campaign visuals: 200 SDXL images",
        "image",
        {"model": "sdxl", "images": 200, "iterations": 5, "region": "europe-west4"},
    ),
    (
        "bruno",
        "Fine-tune on support tickets: 200 A100-hours in Finland",
        "training",
        {"gpu_hours": 200, "gpu_type": "a100", "region": "europe-north1", "include_embodied": True},
    ),
    ("david", "The study's example: Llama 3 for a year", "scenario", {"preset": "llama3-year"}),
]


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
    by_name = {user.username: user for user in users}
    for username, name, kind, inputs in DEMO_ESTIMATES:
        if not Estimate.objects.filter(owner=by_name[username], name=name).exists():
            estimator.estimate_save(owner=by_name[username], name=name, kind=kind, inputs=inputs)
    return users
