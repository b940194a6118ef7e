"""Single sign-on end to end against a real OpenID Connect provider on 127.0.0.1.

The provider is django-oidc-provider in its own small project (tests/oidc_provider/), served by
gunicorn in a subprocess; the portal is the live test server. A `requests` session plays the browser:
every redirect, form and token exchange goes over HTTP, and the portal verifies the provider's RS256
signature with the keys from its JWKS endpoint. Nothing is mocked.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings

from accounts.models import OidcIdentity
from portal.models import Department, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def provider(live_server, tmp_path) -> Iterator[str]:
    """The provider's address, with the portal registered as its client at the live server's address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_TEST_PROVIDER_DIR": str(tmp_path),
        "OIDC_TEST_PROVIDER_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.bootstrap",
            f"{live_server.url}/accounts/oidc/callback/",
            f"{live_server.url}/accounts/login/",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--threads", "4", "tests.oidc_provider.wsgi:application"),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/openid/jwks", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the test provider did not start"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    """The portal configured for the provider, as a deployment would through .env."""
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.PortalOIDCBackend"]
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "portal-client-secret"
    settings.OIDC_RP_SCOPES = "openid email profile portal"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/openid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/openid/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/openid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/openid/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{provider}/openid/end-session"
    settings.OIDC_ROLE_CLAIM = "portal_role"
    settings.OIDC_DEPARTMENT_CLAIM = "department"
    return provider


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in(browser: requests.Session, portal: str, provider: str, username: str) -> requests.Response:
    """Click "Sign in with your organisation account", then sign in at the provider."""
    login_page = browser.get(f"{portal}/accounts/login/")
    start = re.search(r'href="(/accounts/oidc/authenticate/[^"]*)"', login_page.text).group(1)
    at_provider = browser.get(f"{portal}{start}")
    assert at_provider.url.startswith(f"{provider}/login/"), at_provider.url
    return browser.post(
        at_provider.url,
        data={
            "username": username,
            "password": "provider-passphrase",
            "csrfmiddlewaretoken": csrf_token(at_provider.text),
        },
    )


def test_first_sign_in_creates_the_account_with_role_and_department_from_the_claims(live_server, sso):
    browser = requests.Session()

    home = sign_in(browser, live_server.url, sso, "marie")

    assert home.status_code == 200 and home.url == f"{live_server.url}/"
    assert "Welcome, Marie" in home.text
    marie = User.objects.get(username="marie")
    assert marie.email == "marie@example.org" and marie.first_name == "Marie"
    assert marie.role == User.Role.MANAGER
    assert marie.department.name == "Finance"
    assert list(marie.managed_departments.all()) == [Department.objects.get(name="Finance")]
    assert not marie.has_usable_password()
    identity = OidcIdentity.objects.get(user=marie)
    assert identity.issuer == f"{sso}/openid" and identity.subject

    # Signed in again later: the same account, found by its subject
    browser.cookies.clear()
    assert "Welcome, Marie" in sign_in(browser, live_server.url, sso, "marie").text
    assert User.objects.filter(email="marie@example.org").count() == 1


def test_an_existing_account_is_matched_by_its_verified_e_mail(live_server, sso, sales):
    alice = UserFactory(
        username="alice", email="alice@example.org", role=User.Role.EMPLOYEE, department=sales
    )

    home = sign_in(requests.Session(), live_server.url, sso, "alice.sso")

    assert "Welcome, alice" in home.text
    assert not User.objects.filter(username="alice.sso").exists()
    assert OidcIdentity.objects.get(user=alice).subject


def test_an_unverified_e_mail_does_not_take_over_an_existing_account(live_server, sso, sales):
    alice = UserFactory(
        username="alice", email="alice@example.org", role=User.Role.EMPLOYEE, department=sales
    )

    home = sign_in(requests.Session(), live_server.url, sso, "alice.unverified")

    assert "Welcome, alice.unverified" in home.text  # a new account of its own
    assert not OidcIdentity.objects.filter(user=alice).exists()
    assert User.objects.get(username="alice.unverified").email == "alice@example.org"


def test_signing_out_ends_the_session_at_the_provider_too(live_server, sso):
    browser = requests.Session()
    home = sign_in(browser, live_server.url, sso, "marie")

    signed_out = browser.post(
        f"{live_server.url}/accounts/logout/", data={"csrfmiddlewaretoken": csrf_token(home.text)}
    )

    # The provider's end-session endpoint was visited and sent the browser back to the portal
    assert any(step.url.startswith(f"{sso}/openid/end-session") for step in signed_out.history)
    assert signed_out.url == f"{live_server.url}/accounts/login/"
    assert browser.get(f"{live_server.url}/").url.startswith(f"{live_server.url}/accounts/login/")
    # and the provider asks for the password again
    again = browser.get(f"{live_server.url}/accounts/oidc/authenticate/")
    assert again.url.startswith(f"{sso}/login/")


def test_roles_are_left_to_administrators_when_no_claim_is_configured(live_server, sso, settings):
    settings.OIDC_ROLE_CLAIM = ""
    settings.OIDC_DEPARTMENT_CLAIM = ""

    sign_in(requests.Session(), live_server.url, sso, "marie")

    marie = User.objects.get(username="marie")
    assert marie.role == User.Role.EMPLOYEE and marie.department is None
    assert not Department.objects.filter(name="Finance").exists()


def test_a_deactivated_account_cannot_sign_in_through_the_provider(live_server, sso, research):
    UserFactory(username="marie", email="marie@example.org", department=research, is_active=False)

    response = sign_in(requests.Session(), live_server.url, sso, "marie")

    assert response.url.startswith(f"{live_server.url}/accounts/login/?sso=failed")
    assert "Single sign-on did not succeed" in response.text
