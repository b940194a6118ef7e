"""A deployment that signs in through single sign-on only (LOCAL_PASSWORDS_ENABLED off)."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_only(settings):
    settings.OIDC_ENABLED = True
    settings.LOCAL_PASSWORDS_ENABLED = False
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.oidc.PortalOIDCBackend",
    ]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/authorize"
    settings.OIDC_RP_CLIENT_ID = "portal"


def test_the_sign_in_page_offers_only_single_sign_on(client, sso_only):
    page = client.get(reverse("login")).content.decode()

    assert "Sign in with your organisation account" in page
    assert 'name="password"' not in page and "Forgotten your password?" not in page


def test_passwords_are_refused_everywhere(client, alice, sso_only):
    form = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    api = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})

    assert form.status_code == 403 and "_auth_user_id" not in client.session
    assert api.status_code == 403 and "API tokens page" in api.json()["detail"]
    assert client.get(reverse("password_reset")).status_code == 404
    client.force_login(alice, backend="accounts.oidc.PortalOIDCBackend")
    assert client.get(reverse("password_change")).status_code == 404
    assert client.get(reverse("accounts:tokens")).status_code == 200  # tokens come from here instead


def test_the_sso_button_sends_the_browser_to_the_provider(client, sso_only):
    response = client.get(reverse("accounts:oidc-start"))

    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:9/authorize?")
    assert "code_challenge=" in response["Location"]  # PKCE


def test_a_deployment_without_any_way_in_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env={"DJANGO_DEBUG": "1", "LOCAL_PASSWORDS_ENABLED": "0"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "nobody could sign in" in result.stderr
