"""The account pages (password change and reset) are the portal's own, in both languages, not the
Django administration's look-alikes that share their template names."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse

from tests.conftest import PASSWORD

PROJECT_APPS = ("portal", "accounts", "estimator", "governance", "courses", "usage", "reports")


def project_templates() -> list[tuple[str, Path]]:
    """Every template file the project's apps ship, as (name the loader knows it by, file)."""
    found = []
    for label in PROJECT_APPS:
        folder = Path(apps.get_app_config(label).path) / "templates"
        found += [(str(path.relative_to(folder)), path) for path in folder.rglob("*") if path.is_file()]
    return found


def test_every_template_of_the_project_is_the_one_django_finds():
    # Given the templates our apps ship (registration/… shares its names with django.contrib.admin's)
    shadowed = [
        (name, get_template(name).origin.name)
        for name, path in project_templates()
        if Path(get_template(name).origin.name) != path
    ]

    # Then no other app's template of the same name is found instead
    assert shadowed == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Change your password"), ("fr", "Changer votre mot de passe")],
)
def test_the_password_change_page_is_the_portals(client, alice, language, heading):
    client.force_login(alice)
    client.cookies["django_language"] = language

    page = client.get(reverse("password_change")).content.decode()

    assert heading in page
    assert 'class="site-header"' in page
    assert "Django" not in page
    assert 'href="/admin/"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [
        ("password_reset", "en", "Reset your password"),
        ("password_reset", "fr", "Réinitialiser votre mot de passe"),
        ("password_reset_done", "en", "Check your e-mail"),
        ("password_reset_complete", "en", "Password set"),
        ("password_change_done", "en", "Password changed"),
    ],
)
def test_the_password_pages_are_the_portals(client, alice, url, language, heading):
    client.force_login(alice)
    client.cookies["django_language"] = language

    page = client.get(reverse(url)).content.decode()

    assert heading in page
    assert "Django" not in page


@pytest.mark.django_db
def test_the_reset_link_page_and_the_e_mail_are_the_portals(client, alice):
    # Given a reset asked for alice
    client.post(reverse("password_reset"), {"email": alice.email})

    # Then the e-mail is the portal's
    body = mail.outbox[0].body
    assert "Frugal AI Portal account" in body
    assert "Django" not in body and "Your username, in case you've forgotten" not in body

    # And the page the link opens too
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    page = client.get(link.split("testserver")[1], follow=True).content.decode()
    assert 'class="site-header"' in page and "Django" not in page


@pytest.mark.django_db
def test_a_changed_password_works(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-passphrase",
            "new_password2": "a-fresh-passphrase",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-fresh-passphrase")
