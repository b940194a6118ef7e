"""Sign-in throttling by username and real client address, password-reset limits, trusted proxies,
no-store caching, idle sessions and the compose file."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.client_ip import client_ip
from accounts.services import token_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"


def through_proxy(client_address: str) -> dict[str, str]:
    """What the TLS proxy sends: its own peer address, the client's in X-Forwarded-For."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address, "HTTP_X_FORWARDED_PROTO": "https"}


def fail_five_times(client: Client, username: str, **extra: str) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": username, "password": "nope"}, **extra)


def test_behind_a_trusted_proxy_a_lockout_is_for_that_user_from_that_client_only(
    client, alice, bruno, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    fail_five_times(client, "alice", **through_proxy("203.0.113.7"))

    attacker = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, **through_proxy("203.0.113.7")
    )
    alice_elsewhere = Client().post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, **through_proxy("198.51.100.20")
    )
    colleague_same_proxy = Client().post(
        reverse("login"), {"username": "bruno", "password": PASSWORD}, **through_proxy("203.0.113.7")
    )

    assert attacker.status_code == 429
    assert alice_elsewhere.status_code == 302  # signed in: the proxy's address is not the key
    assert colleague_same_proxy.status_code == 302


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(client, alice, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # An attacker talking to the app directly cannot shed the lockout by inventing addresses
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "nope"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=forged,
        )

    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == 429


def test_https_is_believed_only_from_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_SSL_REDIRECT = True

    direct = client.get(reverse("login"), REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_PROTO="https")
    proxied = client.get(reverse("login"), **through_proxy("203.0.113.7"))

    assert direct.status_code == 301 and direct["Location"].startswith("https://")  # not believed
    assert proxied.status_code == 200


def test_the_client_is_the_right_most_untrusted_hop():
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        spoofed = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.1.1.1"
        )
        direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
        malformed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, junk")

        assert client_ip(spoofed) == "203.0.113.7"  # 1.2.3.4 was written by the client itself
        assert client_ip(direct) == "203.0.113.9"
        assert client_ip(malformed) == "10.0.0.5"


def test_a_bad_trusted_proxies_setting_stops_the_start():
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env={"DJANGO_DEBUG": "1", "DJANGO_TRUSTED_PROXIES": "10.0.0.0/8,proxy.example"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "'proxy.example' is not an address or network" in result.stderr


def test_password_resets_are_limited_per_address_with_a_429(client, alice, bruno, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 10
    emails = ["nobody@example.org", alice.email, bruno.email]
    for email in emails:
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302

    limited = client.post(reverse("password_reset"), {"email": alice.email})
    other_address = client.post(reverse("password_reset"), {"email": alice.email}, REMOTE_ADDR="198.51.100.4")

    assert limited.status_code == 429
    assert "Too many password reset requests" in limited.content.decode()
    assert other_address.status_code == 302
    assert len(mail.outbox) == 3  # alice, bruno, alice from the other address


def test_password_resets_are_limited_per_account_without_telling(client, alice, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 2
    answers = [
        client.post(reverse("password_reset"), {"email": alice.email.upper()}, REMOTE_ADDR=f"198.51.100.{n}")
        for n in range(4)
    ]

    assert [response.status_code for response in answers] == [302, 302, 302, 302]  # same answer
    assert len(mail.outbox) == 2


def test_signed_in_pages_and_api_responses_are_not_stored(client, alice):
    anonymous_page = client.get(reverse("password_reset"))
    anonymous_api = client.get(reverse("api-root"))
    client.force_login(alice)
    page = client.get(reverse("portal:home"))
    api = client.get(reverse("api-root"))

    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "no-store" in api["Cache-Control"]
    assert "no-store" in anonymous_api["Cache-Control"]
    assert "no-store" not in anonymous_page.get("Cache-Control", "")  # public pages stay cacheable


def test_token_authenticated_api_responses_are_not_stored(client, alice):
    _token, key = token_create(user=alice, name="script")

    response = client.get(reverse("estimator-api:models"), headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_a_session_ends_after_the_idle_timeout_and_activity_extends_it(client, alice, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    client.force_login(alice)
    session = client.session
    first_expiry = session.get_expiry_date()

    # An hour-old activity mark: the next request writes a fresh expiry
    session["_active_at"] = int(time.time()) - 3600
    session.save()
    client.get(reverse("portal:home"))
    refreshed = client.session.get_expiry_date()
    assert refreshed >= first_expiry

    # Idle past the timeout: the stored session has expired and the user is signed out
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_publishes_gunicorn_on_loopback_and_trusts_only_its_network_gateway(tmp_path):
    root = Path(settings.BASE_DIR)
    shutil.copy(root / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(root / ".env.example", tmp_path / ".env")
    run = ["docker-compose", "-f", "docker-compose.yml", "config"]

    quiet = subprocess.run([*run, "-q"], capture_output=True, text=True, cwd=tmp_path)
    config = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path).stdout

    assert quiet.returncode == 0, quiet.stderr
    assert "- 127.0.0.1:8000:8000/tcp" in config
    assert "DJANGO_TRUSTED_PROXIES: 172.31.250.1" in config
    assert "gateway: 172.31.250.1" in config
