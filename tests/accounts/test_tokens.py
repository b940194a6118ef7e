"""API tokens: expiry, rotation, revocation (own, on password change/reset, on deactivation), listing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def api_root(client, key: str) -> int:
    return client.get(reverse("api-root"), headers={"Authorization": f"Token {key}"}).status_code


def test_the_token_endpoint_hands_out_an_expiring_token_stored_only_as_a_digest(client, alice, settings):
    response = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD, "name": "ci"})

    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert body["token"].startswith("fap_") and body["name"] == "ci"
    assert token.digest == services.token_digest(body["token"]) and body["token"] not in token.digest
    lifetime = token.expires_at - token.created_at
    assert timedelta(days=settings.API_TOKEN_TTL_DAYS) - lifetime < timedelta(seconds=5)
    assert api_root(client, body["token"]) == 200


def test_an_expired_token_is_refused_even_while_cached(client, alice):
    token, key = services.token_create(user=alice, name="script")
    assert api_root(client, key) == 200  # now cached

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # The cached copy still carries the old expiry: the cache must not outlive the token.
    cached = services.token_cache_key(token.digest)

    cache.set(cached, ApiToken.objects.select_related("user").get(pk=token.pk))
    response = client.get(reverse("api-root"), headers={"Authorization": f"Token {key}"})

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_wrong_key_is_refused(client, alice):
    services.token_create(user=alice, name="script")

    assert api_root(client, "fap_not-a-real-key") == 401


def test_rotation_issues_a_new_key_and_the_old_one_stops_working(client, alice):
    _token, old_key = services.token_create(user=alice, name="nightly export")
    assert api_root(client, old_key) == 200  # cached

    response = client.post(reverse("api-token-rotate"), headers={"Authorization": f"Token {old_key}"})

    assert response.status_code == 201
    new_key = response.json()["token"]
    assert new_key != old_key and response.json()["name"] == "nightly export"
    assert api_root(client, old_key) == 401
    assert api_root(client, new_key) == 200
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_password_change_revokes_every_token_at_once(client, alice):
    _token, key = services.token_create(user=alice, name="script")
    _token, other_key = services.token_create(user=alice, name="laptop")
    assert api_root(client, key) == 200  # cached
    client.force_login(alice)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    client.logout()
    assert api_root(client, key) == 401
    assert api_root(client, other_key) == 401
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_password_reset_revokes_every_token(client, alice):
    _token, key = services.token_create(user=alice, name="script")
    assert api_root(client, key) == 200  # cached

    client.post(reverse("password_reset"), {"email": alice.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver")[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    assert api_root(client, key) == 401


def test_the_changepassword_command_revokes_tokens_too(client, alice, monkeypatch):
    _token, key = services.token_create(user=alice, name="script")
    assert api_root(client, key) == 200
    answers = iter(["yet-another-passphrase", "yet-another-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    call_command("changepassword", "alice")

    assert api_root(client, key) == 401


def test_saving_the_user_without_a_password_change_keeps_the_tokens(client, alice):
    _token, key = services.token_create(user=alice, name="script")
    alice.first_name = "Alice"
    alice.save()

    assert api_root(client, key) == 200


def test_deactivation_revokes_the_tokens_for_good(client, alice):
    _token, key = services.token_create(user=alice, name="script")
    assert api_root(client, key) == 200  # cached

    alice.is_active = False
    alice.save()
    assert api_root(client, key) == 401

    alice.is_active = True
    alice.save()
    assert api_root(client, key) == 401  # revoked, not suspended
    assert not ApiToken.objects.filter(user=alice).exists()


def test_users_list_and_revoke_their_own_tokens_over_the_api(client, alice, bruno):
    token, key = services.token_create(user=alice, name="script")
    brunos, _bruno_key = services.token_create(user=bruno, name="bruno's")
    headers = {"Authorization": f"Token {key}"}

    listed = client.get(reverse("api-tokens"), headers=headers).json()["results"]
    not_hers = client.delete(reverse("api-token-revoke", kwargs={"token_id": brunos.pk}), headers=headers)
    revoked = client.delete(reverse("api-token-revoke", kwargs={"token_id": token.pk}), headers=headers)

    assert [row["name"] for row in listed] == ["script"]
    assert "token" not in listed[0] and "digest" not in listed[0]
    assert not_hers.status_code == 404 and ApiToken.objects.filter(pk=brunos.pk).exists()
    assert revoked.status_code == 204
    assert api_root(client, key) == 401


def test_the_tokens_page_creates_shows_the_key_once_and_revokes(client, alice, bruno):
    brunos, _key = services.token_create(user=bruno, name="bruno's script")
    client.force_login(alice)

    created = client.post(reverse("accounts:token-create"), {"name": "report script"}, follow=True)
    key = created.context["new_key"]
    again = client.get(reverse("accounts:tokens"))
    token = ApiToken.objects.get(user=alice)

    assert key and key in created.content.decode()
    assert key not in again.content.decode()  # shown once
    assert "report script" in again.content.decode() and "bruno&#x27;s script" not in again.content.decode()
    assert api_root(client.__class__(), key) == 200

    revoked = client.post(reverse("accounts:token-revoke", kwargs={"token_id": token.pk}), follow=True)
    assert "Token revoked" in revoked.content.decode()
    assert api_root(client.__class__(), key) == 401
    assert client.post(reverse("accounts:token-revoke", kwargs={"token_id": brunos.pk})).status_code == 404


def test_a_token_without_a_name_is_refused_with_a_message(client, alice):
    client.force_login(alice)

    response = client.post(reverse("accounts:token-create"), {"name": ""})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_tokens_page_speaks_french(client, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    response = client.get(reverse("accounts:tokens"))

    assert "Jetons d’API" in response.content.decode()
