"""The OTLP/HTTP receiver, fed by the OpenTelemetry SDK's own exporters (protobuf and JSON) over HTTP."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from google.protobuf import json_format
from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter as JsonExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as ProtobufExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.sdk.trace.export import SpanExportResult

from tests.connectors import otel
from usage import tasks
from usage.connectors import services
from usage.models import Connection, OtlpSpan, ProviderUsage, UsageRecord

CALLS = [
    {"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
     "gen_ai.usage.input_tokens": 300, "gen_ai.usage.output_tokens": 120},
    {"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
     "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 80},
    {"gen_ai.system": "unknown-vendor", "gen_ai.request.model": "mystery-model",
     "gen_ai.usage.input_tokens": 1, "gen_ai.usage.output_tokens": 1},
]  # fmt: skip


@pytest.fixture
def otlp_connection(reference_rows, sales, root):
    connection, token = services.connection_create(
        created_by=root, name="Traces", kind=Connection.Kind.OTLP, default_region="europe-west9"
    )
    services.rule_create(connection=connection, field="project", value="support-bot", department=sales)
    return connection, token


@pytest.mark.parametrize("exporter_class", [ProtobufExporter, JsonExporter])
def test_the_sdk_exporters_deliver_spans_that_become_daily_usage(
    live_server, otlp_connection, exporter_class, sales
):
    connection, token = otlp_connection
    exporter = exporter_class(
        endpoint=f"{live_server.url}/otlp/v1/traces", headers={"Authorization": f"Bearer {token}"}
    )
    finished = otel.spans(CALLS)

    assert exporter.export(finished) == SpanExportResult.SUCCESS
    assert exporter.export(finished) == SpanExportResult.SUCCESS  # a retry of the same spans

    assert OtlpSpan.objects.filter(connection=connection).count() == 3
    buckets = {b.model_name: b for b in ProviderUsage.objects.filter(connection=connection)}
    assert (buckets["gpt-4o-mini"].requests, buckets["gpt-4o-mini"].input_tokens) == (2, 400)
    assert buckets["mystery-model"].model_id is None  # unknown: kept, reported, not counted
    record = UsageRecord.objects.get(source=connection.source)
    assert (record.department, record.requests, record.output_tokens, record.region) == (
        sales, 2, 200, "europe-west9",
    )  # fmt: skip
    assert record.date == datetime.datetime.now(datetime.UTC).date()


def test_more_spans_later_the_same_day_add_to_the_daily_bucket(live_server, otlp_connection):
    connection, token = otlp_connection
    exporter = ProtobufExporter(
        endpoint=f"{live_server.url}/otlp/v1/traces", headers={"Authorization": f"Bearer {token}"}
    )
    exporter.export(otel.spans(CALLS[:1]))
    exporter.export(otel.spans(CALLS[1:2]))
    assert UsageRecord.objects.get(source=connection.source).requests == 2


def test_a_wrong_token_is_refused(live_server, otlp_connection):
    exporter = JsonExporter(
        endpoint=f"{live_server.url}/otlp/v1/traces", headers={"Authorization": "Bearer nope"}
    )
    assert exporter.export(otel.spans(CALLS)) == SpanExportResult.FAILURE
    assert not ProviderUsage.objects.exists()


@pytest.mark.django_db
def test_bad_bodies_get_a_400_and_a_reason(client, otlp_connection):
    _connection, token = otlp_connection
    response = client.post(
        "/otlp/v1/traces",
        data=b"{nope",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400 and "JSON" in response.json()["message"]
    response = client.post(
        "/otlp/v1/traces", data=b"x", content_type="text/csv", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 415


def _export(count: int, *, offset: int = 0, service: str = "support-bot") -> list:
    calls = [
        {"gen_ai.provider.name": "openai", "gen_ai.request.model": ("gpt-4o-mini", "gpt-4o")[n % 2],
         "gen_ai.usage.input_tokens": 10 + n, "gen_ai.usage.output_tokens": 5}
        for n in range(offset, offset + count)
    ]  # fmt: skip
    return otel.spans(calls, service=service)


def test_a_partly_retried_export_counts_only_its_new_spans(client, otlp_connection):
    # Given 700 spans, of which the first 400 were delivered before (more than one batch of keys)
    connection, token = otlp_connection
    finished = _export(700)
    headers = {"Authorization": f"Bearer {token}"}
    first = [span for span in finished if span.attributes][:400]
    for body in (otel.protobuf_body(first), otel.protobuf_body(finished)):
        response = client.post(
            "/otlp/v1/traces", body, content_type="application/x-protobuf", headers=headers
        )
        assert response.status_code == 200

    # Then each of the 700 spans counts once, with its own tokens
    assert OtlpSpan.objects.filter(connection=connection).count() == 700
    buckets = ProviderUsage.objects.filter(connection=connection)
    assert sum(b.requests for b in buckets) == 700
    assert sum(b.input_tokens for b in buckets) == sum(10 + n for n in range(700))
    assert sum(r.requests for r in UsageRecord.objects.filter(source=connection.source)) == 700


def test_an_export_costs_as_many_queries_with_many_spans_as_with_few(client, otlp_connection):
    connection, token = otlp_connection
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/otlp/v1/traces", otel.protobuf_body(_export(2)), content_type="application/x-protobuf",
                headers=headers)  # fmt: skip
    counts = []
    for offset, count in ((1000, 10), (2000, 250)):
        body = otel.protobuf_body(_export(count, offset=offset))
        with CaptureQueriesContext(db_connection) as queries:
            response = client.post(
                "/otlp/v1/traces", body, content_type="application/x-protobuf", headers=headers
            )
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    assert OtlpSpan.objects.filter(connection=connection).count() == 262


def _days_ago_ns(days: int) -> int:
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    return int(moment.timestamp() * 1e9)


@pytest.mark.parametrize("content_type", ["application/x-protobuf", "application/json"])
def test_spans_older_than_the_retention_are_refused_with_a_partial_success(
    client, otlp_connection, settings, content_type
):
    # Given a retention of 35 days, an export of two fresh spans and three spans 40 days old
    settings.USAGE_OTLP_SPAN_RETENTION_DAYS = 35
    connection, token = otlp_connection
    fresh = [span for span in otel.spans(CALLS[:2]) if span.attributes]
    old = [span for span in otel.spans(CALLS, start_ns=_days_ago_ns(40)) if span.attributes]
    encode = otel.protobuf_body if content_type == "application/x-protobuf" else otel.json_body

    response = client.post(
        "/otlp/v1/traces", encode(fresh + old), content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip

    # Then the fresh ones count, the old ones are refused and the exporter is told how many and why
    assert response.status_code == 200
    reply = ExportTraceServiceResponse()
    if content_type == "application/x-protobuf":
        reply.ParseFromString(response.content)
    else:
        json_format.ParseDict(response.json(), reply)
    assert reply.partial_success.rejected_spans == 3
    assert "older than 35 days" in reply.partial_success.error_message
    assert OtlpSpan.objects.filter(connection=connection).count() == 2
    assert sum(b.requests for b in ProviderUsage.objects.filter(connection=connection)) == 2


def test_a_fully_accepted_export_answers_an_empty_response(client, otlp_connection):
    _connection, token = otlp_connection
    response = client.post(
        "/otlp/v1/traces", otel.json_body(otel.spans(CALLS[:1])), content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 200 and response.json() == {}


def test_keys_older_than_the_retention_are_pruned_nightly(client, otlp_connection, settings):
    settings.USAGE_OTLP_SPAN_RETENTION_DAYS = 35
    connection, _token = otlp_connection
    today = timezone.localdate()
    OtlpSpan.objects.bulk_create(
        OtlpSpan(connection=connection, span_key=f"k{days}", date=today - datetime.timedelta(days=days))
        for days in (0, 35, 36, 400)
    )

    assert tasks.otlp_spans_prune_task() == 2
    assert set(OtlpSpan.objects.values_list("span_key", flat=True)) == {"k0", "k35"}
    assert "usage.tasks.otlp_spans_prune_task" in {
        entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }
