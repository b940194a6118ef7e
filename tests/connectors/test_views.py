"""Connection pages: an admin adds a connection, syncs, maps a project; credentials never come back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.connectors.fake_providers import FakeProvider, serve
from usage import tasks
from usage.models import Connection, SyncRun, UsageRecord

pytestmark = pytest.mark.django_db
SECRET = "sk-admin-VERY-SECRET-1234"


def usage(day):
    return [
        {"input_tokens": 900, "output_tokens": 300, "num_model_requests": 3, "project_id": "proj_sales",
         "model": "gpt-4o-mini"},
    ]  # fmt: skip


def test_admin_adds_syncs_and_maps_a_connection(client, root, sales):
    client.force_login(root)
    fake = FakeProvider(secret=SECRET, openai_completions=usage)
    with serve(fake):
        response = client.post(
            reverse("usage:connection-new"),
            {"name": "OpenAI", "kind": "openai", "base_url": fake.base_url + "/v1", "secret": SECRET,
             "default_region": "us-east1", "schedule_hours": 24},
        )  # fmt: skip
        connection = Connection.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "usage:connection", args=[connection.pk]
        )
        page = client.get(response["Location"])
        assert SECRET not in page.content.decode()

        response = client.post(reverse("usage:connection-test", args=[connection.pk]), follow=True)
        assert "1 buckets" in response.content.decode()

        client.post(reverse("usage:connection-sync", args=[connection.pk]))
        tasks.connection_sync_task(SyncRun.objects.get().pk)  # what the worker runs (eager: already done)
    run = SyncRun.objects.get()
    assert (run.status, run.requested_by, run.trigger) == (SyncRun.Status.SUCCEEDED, root, "manual")
    assert run.unattributed_buckets == run.buckets_read > 0
    page = client.get(reverse("usage:connection", args=[connection.pk])).content.decode()
    assert "field=project&amp;value=proj_sales" in page  # the unattributed project, offered for mapping

    response = client.post(
        reverse("usage:connection-rule-add", args=[connection.pk]),
        {"field": "project", "value": "proj_sales", "department": sales.pk},
    )
    assert response.status_code == 302
    assert UsageRecord.objects.filter(source=connection.source, department=sales).count() == run.buckets_read


def test_an_opentelemetry_connection_shows_its_token_once(client, root):
    client.force_login(root)
    response = client.post(
        reverse("usage:connection-new"),
        {"name": "Traces", "kind": "otlp", "default_region": "FRA", "schedule_hours": 0},
        follow=True,
    )
    first = response.content.decode()
    assert 'id="ingest-token"' in first and "fap_otlp_" in first
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "fap_otlp_" not in again


def test_bad_input_is_a_form_error_not_a_500(client, root):
    client.force_login(root)
    response = client.post(
        reverse("usage:connection-new"),
        {"name": "X", "kind": "litellm", "default_region": "atlantis", "schedule_hours": 24},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"base_url", "secret", "default_region"}
    assert not Connection.objects.exists()


def test_a_backfill_before_today_queues_that_range(client, root, sales):
    client.force_login(root)
    connection = Connection.objects.create(name="A", kind="openai", default_region="us-east1")
    start = timezone.localdate() - datetime.timedelta(days=90)
    client.post(reverse("usage:connection-sync", args=[connection.pk]), {"start_date": start.isoformat()})
    run = SyncRun.objects.get()
    assert (run.trigger, run.start_date) == ("backfill", start)
    response = client.post(
        reverse("usage:connection-sync", args=[connection.pk]), {"start_date": "not a date"}, follow=True
    )
    assert SyncRun.objects.count() == 1 and "valid date" in response.content.decode()


def test_the_api_never_returns_credentials(client, root):
    client.force_login(root)
    response = client.post(
        "/api/v1/usage/connections/",
        {"name": "Anthropic", "kind": "anthropic", "secret": SECRET, "default_region": "us-east1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert SECRET not in response.content.decode() and response.json()["has_credentials"] is True
    listing = client.get("/api/v1/usage/connections/").content.decode()
    assert SECRET not in listing and "secret" not in listing.replace("secret_set_at", "")
    response = client.post(
        "/api/v1/usage/connections/",
        {"name": "bad", "kind": "openai", "default_region": "nowhere"},
        content_type="application/json",
    )
    assert response.status_code == 400 and set(response.json()["errors"]) == {"default_region"}
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/usage/connections/{connection_id}/runs/" in schema
