"""The import history API (admins): the list, paginated; one import with its problems and audit events;
the undo, once (409 after); in the OpenAPI schema."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.usage.test_import_undo import HEADER, imported, rows
from usage.models import UsageImport, UsageRecord

pytestmark = pytest.mark.django_db


def test_the_list_is_paginated_newest_first(client: Client, root, alice):
    UsageImport.objects.bulk_create(
        UsageImport(uploaded_by=alice if n % 2 else root, file_name=f"file-{n:02d}.csv", path="/x")
        for n in range(7)
    )
    client.force_login(root)

    first = client.get(reverse("usage-api:imports"), {"page_size": 5}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 7 and first["previous"] is None
    assert [item["file_name"] for item in first["results"]] == [f"file-{n:02d}.csv" for n in (6, 5, 4, 3, 2)]
    assert [item["file_name"] for item in second["results"]] == ["file-01.csv", "file-00.csv"]
    assert second["next"] is None
    assert first["results"][1]["uploaded_by"] == "alice"
    assert client.get(reverse("usage-api:imports"), {"page": 9}).status_code == 404


def test_an_import_and_its_undo(client: Client, root, sales, tmp_path, settings):
    # Given a finished import of three records
    done = imported(root, HEADER + rows(range(3)), tmp_path, settings, name="october.csv")
    client.force_login(root)
    url = reverse("usage-api:import", args=[done.pk])

    # When it is read, it is done, undoable, without problems or events
    body = client.get(url).json()
    assert body["file_name"] == "october.csv" and body["uploaded_by"] == "root"
    assert (body["status"], body["total_rows"], body["inserted_rows"], body["undoable"]) == (
        "done",
        3,
        3,
        True,
    )
    assert body["problems"] == [] and body["events"] == [] and body["undone_by"] is None

    # When an admin undoes it through the API
    response = client.post(reverse("usage-api:import-undo", args=[done.pk]))

    # Then the answer is the undone import with its audit event, and its records are gone
    assert response.status_code == 200
    undone = response.json()
    assert (undone["status"], undone["undone_by"], undone["removed_rows"], undone["undoable"]) == (
        "undone",
        "root",
        3,
        False,
    )
    assert [(e["action"], e["actor"], e["records_removed"], e["months"]) for e in undone["events"]] == [
        ("undone", "root", 3, ["2026-10-01"])
    ]
    assert not UsageRecord.objects.exists()

    # and a second undo is a conflict that changes nothing
    again = client.post(reverse("usage-api:import-undo", args=[done.pk]))
    assert again.status_code == 409
    assert again.json() == {
        "detail": "This import has already been undone.",
        "code": "conflict",
        "errors": {},
    }
    assert len(client.get(url).json()["events"]) == 1


def test_an_invalid_import_shows_its_problems_and_cannot_be_undone(client: Client, root, sales):
    broken = UsageImport.objects.create(
        uploaded_by=root,
        file_name="broken.csv",
        path="/x",
        status="invalid",
        total_rows=2,
        error_count=1,
        errors=[{"line": 3, "column": "model", "reason": "unknown model: x"}],
    )
    client.force_login(root)

    body = client.get(reverse("usage-api:import", args=[broken.pk])).json()
    refused = client.post(reverse("usage-api:import-undo", args=[broken.pk]))

    assert body["problems"] == [{"line": 3, "column": "model", "reason": "unknown model: x"}]
    assert refused.status_code == 409 and "Only an import that has finished" in refused.json()["detail"]
    assert client.get(reverse("usage-api:import", args=[9999])).status_code == 404


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager"])
def test_only_admins_read_and_undo(client: Client, personas, sales, tmp_path, settings, persona):
    done = imported(personas["admin"], HEADER + rows(range(2)), tmp_path, settings)
    client.force_login(personas[persona])
    for method, url in (
        ("get", reverse("usage-api:imports")),
        ("get", reverse("usage-api:import", args=[done.pk])),
        ("post", reverse("usage-api:import-undo", args=[done.pk])),
    ):
        assert getattr(client, method)(url).status_code == 403, url
    assert UsageRecord.objects.count() == 2


def test_anonymous_gets_401(client: Client, root, sales, tmp_path, settings):
    done = imported(root, HEADER + rows(range(2)), tmp_path, settings)
    assert client.post(reverse("usage-api:import-undo", args=[done.pk])).status_code == 401
    assert client.get(reverse("usage-api:imports")).status_code == 401
    assert UsageRecord.objects.count() == 2


def test_the_history_endpoints_are_in_the_openapi_schema(client: Client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get"} <= set(paths["/api/v1/usage/imports/"])
    assert {"page", "page_size"} <= {p["name"] for p in paths["/api/v1/usage/imports/"]["get"]["parameters"]}
    assert "get" in paths["/api/v1/usage/imports/{import_id}/"]
    undo = paths["/api/v1/usage/imports/{import_id}/undo/"]["post"]
    assert {"200", "409"} <= set(undo["responses"])
    detail = schema["components"]["schemas"]["UsageImportDetailOut"]["properties"]
    assert {"problems", "events", "undone_by", "removed_rows"} <= set(detail)
