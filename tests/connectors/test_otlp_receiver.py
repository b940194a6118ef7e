"""The OTLP/HTTP receiver, fed by the OpenTelemetry SDK's own exporters (protobuf and JSON) over HTTP."""

import datetime

import pytest
from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter as JsonExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as ProtobufExporter
from opentelemetry.sdk.trace.export import SpanExportResult

from tests.connectors import otel
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
