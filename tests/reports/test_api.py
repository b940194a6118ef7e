"""The reports API: targets, the export and report files, the register; in the OpenAPI schema."""

import csv
import io

import pytest
from django.utils import timezone

from reports.models import Target
from tests.reports.helpers import rollup

pytestmark = pytest.mark.django_db


def test_admins_set_targets_and_managers_read_their_departments(client, root, bruno, sales, research):
    year = timezone.localdate().year
    client.force_login(root)
    created = client.post(
        "/api/v1/reports/targets/",
        {"year": year, "department": sales.pk, "emissions_kgco2e": 100, "energy_kwh": 300},
        content_type="application/json",
    )
    bad = client.post(
        "/api/v1/reports/targets/", {"year": year, "emissions_kgco2e": -1}, content_type="application/json"
    )
    client.post(
        "/api/v1/reports/targets/",
        {"year": year, "department": research.pk, "emissions_kgco2e": 50},
        content_type="application/json",
    )
    rollup(timezone.localdate().replace(day=1), sales, 70)

    assert created.status_code == 201
    assert bad.status_code == 400 and "emissions_kgco2e" in bad.json()["errors"]
    assert Target.objects.count() == 2
    client.force_login(bruno)
    (item,) = client.get("/api/v1/reports/targets/").json()["results"]
    assert item["label"] == "Sales" and item["emissions"]["to_date"]["central"] == pytest.approx(70)
    assert item["energy"]["to_date"]["central"] == pytest.approx(140)
    refused = client.post(
        "/api/v1/reports/targets/", {"year": year, "emissions_kgco2e": 1}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_files_come_back_as_files_and_other_departments_are_refused(client, bruno, alice, sales, research):
    rollup(timezone.localdate().replace(day=1), sales, 10)
    client.force_login(bruno)
    period = f"{timezone.localdate():%Y-%m}"

    export = client.get("/api/v1/reports/ghg-export/", {"period": period, "output": "csv"})
    report = client.get("/api/v1/reports/management-report/", {"period": period, "language": "fr"})
    other = client.get("/api/v1/reports/ghg-export/", {"period": period, "department": research.pk})
    other_report = client.get("/api/v1/reports/management-report/", {"department": research.pk})

    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["Sales"]
    assert float(rows[1][11]) == pytest.approx(10)
    assert report["Content-Type"] == "application/pdf" and report.content.startswith(b"%PDF")
    assert other.status_code == 400 and "department" in other.json()["errors"]
    assert other_report.status_code == 400
    client.force_login(alice)
    assert client.get("/api/v1/reports/ghg-export/").status_code == 403


def test_the_register_api_scopes_like_the_page(client, alice, bruno, research):
    client.force_login(alice)
    own = client.get("/api/v1/reports/ai-literacy-register/").json()
    assert [person["username"] for person in own["people"]] == ["alice"]
    client.force_login(bruno)
    assert {p["username"] for p in client.get("/api/v1/reports/ai-literacy-register/").json()["people"]} == {
        "alice",
        "bruno",
    }
    assert client.get("/api/v1/reports/ai-literacy-register/", {"department": research.pk}).status_code == 400
    assert client.get("/api/v1/reports/ai-literacy-register/", {"output": "pdf"}).status_code == 400
    assert client.get("/api/v1/reports/ai-literacy-register/", {"output": "xlsx"}).content[:2] == b"PK"


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("targets", "ghg-export", "management-report", "ai-literacy-register"):
        assert f"/api/v1/reports/{path}/" in schema
