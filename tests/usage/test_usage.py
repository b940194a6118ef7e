"""Usage import and ingest: validation, nothing half-imported, idempotency, rollups, drift."""

import datetime
import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from estimator import services as estimator
from estimator.models import AIModel
from governance.models import UseCase
from tests.factories import use_case
from usage import rollups
from usage import services as usage
from usage.models import MonthlyRollup, UsageImport, UsageRecord

pytestmark = pytest.mark.django_db
HEADER = "date,department,use_case,model,region,requests,input_tokens,output_tokens,images,image_width,image_height,source,external_id\n"


def run_import(root, content: bytes, tmp_path, settings) -> UsageImport:
    settings.USAGE_IMPORT_DIR = tmp_path
    upload = SimpleUploadedFile("usage.csv", content, content_type="text/csv")
    created = usage.usage_import_create(uploaded_by=root, upload=upload)
    return usage.usage_import_run(usage_import=created)


def good_rows(count=3, day="2026-10-05", department="Sales"):
    return "".join(
        f"{day},{department},,gpt-4o-mini,europe-west9,10,5000,2000,0,,,crm,{n}\n" for n in range(count)
    )


def test_a_valid_file_is_imported_and_rolled_up(root, sales, tmp_path, settings):
    result = run_import(root, (HEADER + good_rows(3)).encode(), tmp_path, settings)

    assert (result.status, result.total_rows, result.inserted_rows, result.duplicate_rows) == (
        "done",
        3,
        3,
        0,
    )
    assert UsageRecord.objects.count() == 3 and UsageRecord.objects.first().usage_import == result
    rollups.rollups_recompute()
    assert MonthlyRollup.objects.get().requests == 30


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty."),
        (HEADER.encode(), "The file has no records."),
        (
            b"date,department,model\n2026-10-05,Sales,gpt-4o\n",
            "Missing columns: region, requests, source, external_id.",
        ),
        ((HEADER + good_rows(1)).encode("utf-16"), "not UTF-8"),
        (
            (HEADER + "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,é\n").encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_file_level_problems_import_nothing(root, sales, tmp_path, settings, content, expected):
    result = run_import(root, content, tmp_path, settings)

    assert result.status == "invalid" and expected in result.message
    assert not UsageRecord.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("2026-13-01,Sales,,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,x", "date", "not an ISO date"),
        ("05/10/2026,Sales,,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,x", "date", "not an ISO date"),
        ("2026-10-05,Sales,,gpt-4o-mini,europe-west9,-10,5,2,0,,,crm,x", "requests", "must be at least 1"),
        (
            "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,-5,2,0,,,crm,x",
            "input_tokens",
            "must be at least 0",
        ),
        ("2026-10-05,Sales,,gpt-9,europe-west9,10,5,2,0,,,crm,x", "model", "unknown model"),
        ("2026-10-05,Sales,,gpt-4o-mini,moon-base1,10,5,2,0,,,crm,x", "region", "unknown region or country"),
        ("2026-10-05,Nowhere,,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,x", "department", "unknown department"),
        ("2026-10-05,Sales,999,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,x", "use_case", "unknown use case"),
        (
            "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5,0,0,,,crm,x",
            "output_tokens",
            "a text model's usage has output tokens",
        ),
        ("2026-10-05,Sales,,sdxl,FRA,10,0,0,0,,,crm,x", "images", "an image model's usage has images"),
        ("2026-10-05,Sales,,gpt-4o-mini,europe-west9,ten,5,2,0,,,crm,x", "requests", "not a whole number"),
        ("2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5,2,0,,,crm,", "external_id", "required"),
    ],
)
def test_one_bad_row_among_good_ones_imports_nothing_and_is_reported(
    root, sales, tmp_path, settings, row, column, reason
):
    content = HEADER + good_rows(5) + row + "\n" + good_rows(2, day="2026-10-06").replace(",crm,", ",crm2,")

    result = run_import(root, content.encode(), tmp_path, settings)

    assert result.status == "invalid" and not UsageRecord.objects.exists()
    assert any(e["line"] == 7 and e["column"] == column and reason in e["reason"] for e in result.errors), (
        result.errors
    )


def test_a_country_code_is_accepted_as_the_region(root, sales, tmp_path, settings):
    content = HEADER + "2026-10-05,Sales,,sdxl,fra,10,0,0,4,1024,1024,design,1\n"
    assert run_import(root, content.encode(), tmp_path, settings).status == "done"
    assert UsageRecord.objects.get().region == "FRA"


def test_a_50_megabyte_file_with_one_bad_row_at_the_end_imports_nothing_and_stays_within_memory(
    root, sales, tmp_path, settings
):
    lines = [HEADER]
    line = "2026-10-05,Sales,,gpt-4o-mini,europe-west9,10,5000,2000,0,,,bulk-source-name,{}\n"
    count = 50_000_000 // len(line.format("0000000"))
    lines.extend(line.format(f"{n:07d}") for n in range(count))
    lines.append("2026-10-05,Sales,,gpt-4o-mini,europe-west9,-1,5,2,0,,,bulk-source-name,last\n")
    content = "".join(lines).encode()
    assert len(content) >= 50_000_000
    settings.USAGE_IMPORT_DIR = tmp_path
    created = usage.usage_import_create(uploaded_by=root, upload=SimpleUploadedFile("big.csv", content))
    del content, lines

    tracemalloc.start()
    result = usage.usage_import_run(usage_import=created)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert result.status == "invalid" and result.total_rows == count + 1 and result.percent == 100
    assert result.errors == [{"line": count + 2, "column": "requests", "reason": "must be at least 1"}]
    assert not UsageRecord.objects.exists()
    assert peak < 20_000_000  # streamed: far less than the file


def test_the_same_records_sent_twice_count_once(client, root, sales):
    client.force_login(root)
    records = [
        {"date": "2026-10-05", "department": "Sales", "model": "gpt-4o-mini", "region": "europe-west9", "requests": 10,
         "input_tokens": 500, "output_tokens": 200, "source": "api-test", "external_id": f"r{n}"}
        for n in range(3)
    ]  # fmt: skip

    first = client.post("/api/v1/usage/records/", records, content_type="application/json")
    second = client.post("/api/v1/usage/records/", records, content_type="application/json")

    assert first.status_code == 201 and first.json() == {"received": 3, "inserted": 3, "duplicates": 0}
    assert second.json() == {"received": 3, "inserted": 0, "duplicates": 3}
    assert UsageRecord.objects.count() == 3


def test_api_ingest_reports_every_bad_record_and_inserts_none(client, root, sales):
    client.force_login(root)
    records = [
        {"date": "2026-10-05", "department": "Sales", "model": "gpt-4o-mini", "region": "europe-west9", "requests": 10, "output_tokens": 5, "source": "s", "external_id": "ok"},
        {"date": "yesterday", "department": "Sales", "model": "gpt-4o-mini", "region": "europe-west9", "requests": 0, "output_tokens": 5, "source": "s", "external_id": "bad"},
    ]  # fmt: skip

    response = client.post("/api/v1/usage/records/", records, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"1.date", "1.requests"}
    assert not UsageRecord.objects.exists()
    assert (
        client.post("/api/v1/usage/records/", [{}] * 10_001, content_type="application/json").status_code
        == 400
    )


def test_only_admins_ingest(client, bruno):
    client.force_login(bruno)
    assert client.post("/api/v1/usage/records/", [], content_type="application/json").status_code == 403


def _records(rows):
    usage.insert_records([tuple(row) for row in rows])


def test_rollups_equal_the_sum_of_per_record_estimates(sales, research):
    ids = usage.Lookups()
    gpt, sdxl = ids.models["gpt-4o-mini"][0], ids.models["sdxl"][0]
    day = datetime.date(2026, 10, 3)
    rows = [
        (day, sales.pk, None, gpt, "europe-west9", 10, 10 * 800, 10 * 300, 0, None, None, "s", "1"),
        (
            day + datetime.timedelta(days=5),
            sales.pk,
            None,
            gpt,
            "europe-west9",
            40,
            40 * 800,
            40 * 150,
            0,
            None,
            None,
            "s",
            "2",
        ),
        (day, research.pk, None, gpt, "asia-south1", 7, 7 * 800, 7 * 900, 0, None, None, "s", "3"),
        (day, sales.pk, None, sdxl, "FRA", 3, 0, 0, 6, 1024, 1024, "s", "4"),
        (day, sales.pk, None, sdxl, "FRA", 2, 0, 0, 2, 512, 512, "s", "5"),
    ]
    _records(rows)

    assert rollups.rollups_recompute() == 3

    expected = (
        estimator.estimate(
            "text",
            model="gpt-4o-mini",
            requests=10,
            output_tokens=300,
            input_tokens=800,
            region="europe-west9",
        ).emissions_kgco2e.central
        + estimator.estimate(
            "text",
            model="gpt-4o-mini",
            requests=40,
            output_tokens=150,
            input_tokens=800,
            region="europe-west9",
        ).emissions_kgco2e.central
        + estimator.estimate(
            "text", model="gpt-4o-mini", requests=7, output_tokens=900, input_tokens=800, region="asia-south1"
        ).emissions_kgco2e.central
        + estimator.estimate(
            "image", model="sdxl", images=6, width=1024, height=1024, country="FRA"
        ).emissions_kgco2e.central
        + estimator.estimate(
            "image", model="sdxl", images=2, width=512, height=512, country="FRA"
        ).emissions_kgco2e.central
    )
    total = sum(MonthlyRollup.objects.values_list("emissions_kgco2e_central", flat=True))
    assert total == pytest.approx(expected, rel=1e-3)


def test_the_nightly_recompute_is_idempotent(sales):
    ids = usage.Lookups()
    _records(
        [
            (
                datetime.date(2026, 9, d),
                sales.pk,
                None,
                ids.models["gpt-4o"][0],
                "us-central1",
                5,
                500,
                500,
                0,
                None,
                None,
                "s",
                str(d),
            )
            for d in range(1, 29)
        ]
    )

    rollups.rollups_recompute()
    first = list(MonthlyRollup.objects.values_list("month", "requests", "emissions_kgco2e_central"))
    rollups.rollups_recompute()
    second = list(MonthlyRollup.objects.values_list("month", "requests", "emissions_kgco2e_central"))

    assert first == second and len(first) == 1


def test_actual_usage_above_the_estimate_starts_a_re_review(alice, bruno, sales):
    case = use_case(alice, status="approved", decider=bruno)
    yearly = case.yearly_emissions_kgco2e
    today = timezone.localdate()
    month = today.replace(day=1)
    ids = usage.Lookups()
    # The same usage profile as approved, three times over, in the current month
    requests = case.requests_per_month * 3 * round(case.iterations_per_task)
    _records(
        [
            (
                month,
                sales.pk,
                case.pk,
                ids.models["gpt-4o-mini"][0],
                case.region,
                requests,
                requests * case.input_tokens,
                requests * case.output_tokens,
                0,
                None,
                None,
                "s",
                "1",
            )
        ]
    )
    rollups.rollups_recompute()

    assert rollups.actual_yearly_emissions()[case.pk] > yearly * 2
    assert rollups.usage_drift_check() == [case.pk]
    assert UseCase.objects.get(pk=case.pk).status == "under_review"
    assert rollups.usage_drift_check() == []  # once


def test_the_import_pages(client, root, sales, tmp_path, settings):
    settings.USAGE_IMPORT_DIR = tmp_path
    client.force_login(root)
    template = client.get(reverse("usage:template")).content.decode()
    assert template.startswith("date,department,use_case,model,region")

    response = client.post(
        reverse("usage:import-new"), {"file": io.BytesIO((HEADER + good_rows(2)).encode())}
    )
    usage_import = UsageImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "usage:import", args=[usage_import.pk]
    )

    status = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert status.lstrip().startswith('<div id="import-status"')


def test_recorded_usage_is_estimated_as_reported_never_refused(sales):
    """Providers' output tokens already hold the hidden reasoning (none is added), and a recorded context
    longer than the catalogue's window is estimated, not refused: a recompute never fails on a past record."""
    ids = usage.Lookups()
    model = AIModel.objects.get(slug="deepseek-r1")
    assert model.reasoning_tokens_default > 0 and model.context_window_tokens
    too_long = model.context_window_tokens * 2
    day = datetime.date(2026, 10, 3)
    rows = [
        (day, sales.pk, None, ids.models["deepseek-r1"][0], "europe-west9", 10, 10 * 800, 10 * 300, 0, None, None, "s", "1"),
        (day, sales.pk, None, ids.models["deepseek-r1"][0], "us-central1", 1, too_long, 500, 0, None, None, "s", "2"),
    ]  # fmt: skip
    _records(rows)

    assert rollups.rollups_recompute() == 2

    reasoning_in_output = estimator.estimate(
        "text", model="deepseek-r1", requests=10, output_tokens=300, input_tokens=800, region="europe-west9",
        reasoning_tokens=0,
    )  # fmt: skip
    rollup = MonthlyRollup.objects.get(region="europe-west9")
    assert rollup.energy_kwh_central == pytest.approx(reasoning_in_output.energy_kwh.central)
    long_context = MonthlyRollup.objects.get(region="us-central1")
    assert long_context.input_tokens == too_long and long_context.energy_kwh_central > 0
    # Typed in the estimator, the same context is refused with the reason
    with pytest.raises(ValidationError, match="context window"):
        estimator.estimate("text", model="deepseek-r1", output_tokens=500, input_tokens=too_long)
