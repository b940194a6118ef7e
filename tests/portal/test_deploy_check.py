import os
import subprocess
import sys


def test_check_deploy_passes_with_only_the_three_required_variables():
    # Given only the variables a production deployment must set (and none of our test settings)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k3y-" + "Zq8!rT2@vB6#nM1$wE5%yU9^iO3&pA7*sD4(fG0)hJ" * 2,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    }

    # When running Django's deployment checklist
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )

    # Then it finds nothing to warn about
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "0"}

    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
