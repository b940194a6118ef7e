"""OTLP trace payloads built by the OpenTelemetry SDK and its own encoders (protobuf and JSON)."""

from __future__ import annotations

from typing import Any

from opentelemetry.exporter.otlp.json.common.trace_encoder import encode_spans as encode_json
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans as encode_protobuf
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def spans(
    calls: list[dict[str, Any]],
    *,
    service: str = "support-bot",
    start_ns: int | None = None,
    resource: dict[str, Any] | None = None,
) -> list[ReadableSpan]:
    """One finished span per call, each with the call's attributes (plus a span without any)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service, **(resource or {})}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("tests")
    with tracer.start_as_current_span("http request"):
        for call in calls:
            with tracer.start_as_current_span(
                f"chat {call.get('gen_ai.request.model', '')}", start_time=start_ns
            ) as span:
                span.set_attributes(call)
    provider.shutdown()
    return list(exporter.get_finished_spans())


def protobuf_body(finished: list[ReadableSpan]) -> bytes:
    return encode_protobuf(finished).SerializeToString()


def json_body(finished: list[ReadableSpan]) -> bytes:
    return encode_json(finished).to_json().encode()
