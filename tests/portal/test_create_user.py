import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from portal.models import Department, User

GOOD = {
    "username": "zoe",
    "email": "zoe@example.org",
    "password": "a-long-unusual-passphrase",
    "role": "manager",
    "department": "Legal",
    "manages": ["Legal", "Procurement"],
}


def run(**overrides):
    options = {**GOOD, **overrides}
    args = [f"--{key}={value}" for key, value in options.items() if key != "manages" and value is not None]
    if options.get("manages"):
        args += ["--manages", *options["manages"]]
    call_command("create_user", *args)


@pytest.mark.django_db
def test_create_user_creates_a_manager_and_the_departments_it_needs():
    run()

    user = User.objects.get(username="zoe")
    assert user.role == User.Role.MANAGER
    assert user.department.name == "Legal"
    assert sorted(d.name for d in user.managed_departments.all()) == ["Legal", "Procurement"]
    assert user.check_password(GOOD["password"])
    assert not user.is_staff


@pytest.mark.django_db
def test_an_admin_can_open_the_django_admin():
    run(role="admin", manages=[])

    user = User.objects.get(username="zoe")
    assert user.is_staff and user.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": "boss"}, "Unknown role boss"),
        ({"department": "  "}, "Every user belongs to a department"),
        ({"password": "123"}, "This password is too short"),
        ({"password": "password123"}, "This password is too common"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"manages": []}, "A manager manages at least one department"),
        ({"role": "employee"}, "Only managers manage departments"),
    ],
)
def test_bad_input_gives_a_clear_message_and_creates_nothing(overrides, message):
    with pytest.raises(CommandError, match=message):
        run(**overrides)

    assert not User.objects.exists()
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_a_taken_username_is_refused(alice):
    with pytest.raises(CommandError, match="The username alice is taken"):
        run(username="alice")


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env)

    result = subprocess.run(
        [
            *manage,
            "create_user",
            "--username",
            "x",
            "--email",
            "x@example.org",
            "--password",
            "a-long-unusual-passphrase",
            "--role",
            "wizard",
            "--department",
            "Legal",
        ],
        capture_output=True,
        text=True,
        env=env,
    )

    assert result.returncode != 0
    assert "Unknown role wizard" in result.stderr
    assert "Traceback" not in result.stderr
