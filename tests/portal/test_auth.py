import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_sign_in_leads_to_the_home_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Welcome, alice" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_and_does_not_sign_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client, alice):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "nope"})

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_api_token_endpoint_is_throttled_too(client, alice):
    for _ in range(5):
        client.post(reverse("api-token"), {"username": "alice", "password": "nope"})

    response = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})

    # Then axes refuses the right password too: no token is handed out, a JSON 429 says why
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    # in the API's one error body, like every other error of the API
    assert response.json() | {"detail": ""} == {"detail": "", "code": "throttled", "errors": {}}


@pytest.mark.django_db
def test_a_token_authenticates_api_requests(client, alice):
    token = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD}).json()["token"]

    response = client.get(reverse("api-root"), headers={"Authorization": f"Token {token}"})

    assert response.status_code == 200
    assert response.json()["docs"].endswith(reverse("api-docs"))


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice):
    client.post(reverse("password_reset"), {"email": alice.email})

    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver")[1], follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-passphrase")


@pytest.mark.django_db
def test_the_home_page_speaks_french_after_the_switch(client, alice):
    client.force_login(alice)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert "Bienvenue, alice" in response.content.decode()


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_and_htmx_gets_the_csrf_token(client, alice):
    client.force_login(alice)

    response = client.get(reverse("portal:home"))

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in response.content.decode()
