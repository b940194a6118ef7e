from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.models import User
from usage.models import Connection, SyncRun, UsageRecord


@pytest.mark.django_db
def test_load_demo_adds_demo_connections_without_any_network_call(client):
    with mock.patch("urllib.request.urlopen", side_effect=AssertionError("no network from load_demo")):
        call_command("load_demo")
        call_command("load_demo")  # idempotent

    assert Connection.objects.filter(is_demo=True).count() == 3
    assert not Connection.objects.filter(schedule_hours__gt=0).exists()  # beat never syncs them
    assert set(SyncRun.objects.values_list("trigger", flat=True)) == {SyncRun.Trigger.DEMO}
    openai = Connection.objects.get(kind="openai")
    assert UsageRecord.objects.filter(source=openai.source).exists()

    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("usage:dashboard")).content.decode()
    assert "Unattributed usage" in page and reverse("usage:connection", args=[openai.pk]) in page
    history = client.get(reverse("usage:connection", args=[openai.pk])).content.decode()
    assert "demo data" in history
