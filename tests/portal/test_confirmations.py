"""Actions that cannot be undone ask first, on a page that works without JavaScript (issue 13, item 7:
"Delete this estimate"; its siblings: revoking an API token, deleting a target)."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import token_create
from estimator import services as estimator
from estimator.models import Estimate
from reports.models import Target

pytestmark = pytest.mark.django_db


def test_deleting_an_estimate_asks_first(client, alice, bruno):
    estimate = estimator.estimate_save(
        owner=alice, name="Weekly summary", kind="text", inputs={"model": "gpt-4o", "output_tokens": 100}
    )
    url = reverse("estimator:saved-delete", args=[estimate.pk])
    client.force_login(alice)

    detail = client.get(reverse("estimator:saved-detail", args=[estimate.pk])).content.decode()
    asked = client.get(url)

    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    assert asked.status_code == 200 and "Delete the estimate “Weekly summary”?" in asked.content.decode()
    assert Estimate.objects.filter(pk=estimate.pk).exists()
    client.post(url)
    assert not Estimate.objects.filter(pk=estimate.pk).exists()

    # Somebody else's estimate: not even the question
    other = estimator.estimate_save(
        owner=alice, name="x", kind="text", inputs={"model": "gpt-4o", "output_tokens": 100}
    )
    client.force_login(bruno)
    assert client.get(reverse("estimator:saved-delete", args=[other.pk])).status_code == 404


def test_revoking_a_token_asks_first(client, alice, bruno):
    token, _key = token_create(user=alice, name="CI")
    url = reverse("accounts:token-revoke", args=[token.pk])
    client.force_login(alice)

    listing = client.get(reverse("accounts:tokens")).content.decode()
    asked = client.get(url)

    assert f'href="{url}"' in listing
    assert asked.status_code == 200 and "Revoke the token “CI”?" in asked.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.post(url)
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    client.force_login(bruno)
    assert client.get(url).status_code == 404


def test_deleting_a_target_asks_first(client, root, bruno, sales):
    target = Target.objects.create(year=2026, emissions_kgco2e=100, set_by=root)
    url = reverse("reports:target-delete", args=[target.pk])
    client.force_login(root)

    asked = client.get(url)

    assert (
        asked.status_code == 200 and "Delete the 2026 target of the organisation?" in asked.content.decode()
    )
    assert Target.objects.filter(pk=target.pk).exists()
    client.post(url)
    assert not Target.objects.filter(pk=target.pk).exists()
    target = Target.objects.create(year=2027, department=sales, emissions_kgco2e=100, set_by=root)
    client.force_login(bruno)
    assert client.get(reverse("reports:target-delete", args=[target.pk])).status_code == 403
