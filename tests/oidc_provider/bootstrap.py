"""Set the test provider up: its database, a signing key, its users and the portal as a client.

python -m tests.oidc_provider.bootstrap <redirect_uri> <post_logout_redirect_uri>
"""

import sys

import django


def main(redirect_uri: str, post_logout_redirect_uri: str) -> None:
    django.setup()
    # Imported once Django is set up (with the provider's settings): models cannot be imported before.
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    User.objects.create_user(
        "marie", "marie@example.org", "provider-passphrase", first_name="Marie", last_name="Curie"
    )
    User.objects.create_user("alice.sso", "alice@example.org", "provider-passphrase")
    User.objects.create_user("alice.unverified", "alice@example.org", "provider-passphrase")
    client = Client.objects.create(
        name="Frugal AI Portal",
        client_id="portal",
        client_secret="portal-client-secret",
        client_type="confidential",
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
        _scope="openid email profile portal",
    )
    client.redirect_uris = [redirect_uri]
    client.post_logout_redirect_uris = [post_logout_redirect_uri]
    client.save()
    client.response_types.set([ResponseType.objects.get(value="code")])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
