"""OTLP trace exports built by the OpenTelemetry SDK, protobuf and JSON, read into GenAI calls."""

import datetime
import json

import pytest

from tests.connectors import otel
from usage.connectors import otlp

CALLS = [
    {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": 30,
    },
    {  # older semantic conventions
        "gen_ai.system": "anthropic",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.prompt_tokens": 50,
        "gen_ai.usage.completion_tokens": 10,
    },
    {
        "provider": "mistralai",
        "model": "mistral-small-latest",
        "input_tokens": 7,
        "output_tokens": 3,
    },  # EcoLogits' names
    {"gen_ai.request.model": "gpt-4o"},  # no token counts: not counted
]


@pytest.mark.parametrize(
    ("encode", "content_type"),
    [(otel.protobuf_body, "application/x-protobuf"), (otel.json_body, "application/json; charset=utf-8")],
)
def test_both_encodings_give_the_same_calls(encode, content_type):
    finished = otel.spans(CALLS)
    found = sorted(otlp.genai_spans(encode(finished), content_type), key=lambda s: s.model)
    assert [(s.model, s.provider, s.input_tokens, s.output_tokens) for s in found] == [
        ("claude-sonnet-4-5", "anthropic", 50, 10),
        ("gpt-4o-2024-08-06", "openai", 120, 30),  # the response's model, when there is one
        ("mistral-small-latest", "mistralai", 7, 3),
    ]
    assert {s.project for s in found} == {"support-bot"}
    expected_keys = {
        f"{span.context.trace_id:032x}{span.context.span_id:016x}" for span in finished if span.attributes
    }
    assert {s.span_key for s in found} <= expected_keys and len({s.span_key for s in found}) == 3


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"\xff\x00garbage", "application/x-protobuf", "not an OTLP protobuf"),
        (b"{not json", "application/json", "not valid JSON"),
        (b'{"resourceSpans": 3}', "application/json", "no resourceSpans"),
        (b"{}", "text/plain", "application/x-protobuf or application/json"),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(body, content_type, message):
    with pytest.raises(otlp.PayloadError, match=message):
        otlp.genai_spans(body, content_type)


def test_a_span_s_attribute_comes_before_its_resource_s_for_the_same_key_and_the_key_order_holds():
    # Given a resource naming the provider and the team, and spans that name some of them again
    finished = otel.spans(
        [
            {"gen_ai.request.model": "gpt-4o", "gen_ai.usage.output_tokens": 3},
            {"gen_ai.request.model": "gpt-4o", "gen_ai.usage.output_tokens": 3, "service.namespace": "ops"},
            {"gen_ai.request.model": "gpt-4o", "gen_ai.usage.output_tokens": 3, "provider": "azure"},
        ],
        service="bot",
        resource={"gen_ai.provider.name": "openai", "service.namespace": "support"},
    )

    for body, content_type in ((otel.protobuf_body(finished), "application/x-protobuf"),
                               (otel.json_body(finished), "application/json")):  # fmt: skip
        found = otlp.genai_spans(body, content_type)
        # Then the span's own team wins over the resource's, and the resource's gen_ai.provider.name
        # wins over the span's lower-ranked `provider` (EcoLogits' name)
        assert sorted((s.team, s.provider, s.project) for s in found) == [
            ("ops", "openai", "bot"),
            ("support", "openai", "bot"),
            ("support", "openai", "bot"),
        ]


def test_the_day_is_the_utc_day_the_span_started():
    midnight = int(datetime.datetime(2026, 10, 5, tzinfo=datetime.UTC).timestamp()) * 10**9
    for start_ns, day in ((midnight - 1, datetime.date(2026, 10, 4)), (midnight, datetime.date(2026, 10, 5))):
        finished = otel.spans(
            [{"gen_ai.request.model": "gpt-4o", "gen_ai.usage.output_tokens": 1}], start_ns=start_ns
        )
        assert [s.day for s in otlp.genai_spans(otel.protobuf_body(finished), "application/x-protobuf")] == [
            day
        ]


def _json_export(trace_id: str, span_id: str, start_ns: str = "1790000000000000000") -> bytes:
    span = {
        "traceId": trace_id, "spanId": span_id, "name": "chat", "startTimeUnixNano": start_ns,
        "attributes": [
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
            {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "3"}},
        ],
    }  # fmt: skip
    return json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}).encode()


def test_well_formed_json_ids_are_read():
    (found,) = otlp.genai_spans(_json_export("AB" * 16, "cd" * 8), "application/json")
    assert found.span_key == "ab" * 16 + "cd" * 8 and found.output_tokens == 3


@pytest.mark.parametrize(
    ("trace_id", "span_id", "start_ns", "message"),
    [
        ("ab" * 15 + ",x", "cd" * 8, "1790000000000000000", "not a hexadecimal id"),  # a comma
        ("ab" * 17, "cd" * 8, "1790000000000000000", "not a hexadecimal id"),  # too long for the key
        ("", "cd" * 8, "1790000000000000000", "not a hexadecimal id"),
        ("ab" * 16, "cd" * 8, str(10**40), "start time is out of range"),
    ],
)
def test_a_genai_span_with_a_malformed_id_or_time_is_a_400_not_a_500(trace_id, span_id, start_ns, message):
    with pytest.raises(otlp.PayloadError, match=message):
        otlp.genai_spans(_json_export(trace_id, span_id, start_ns), "application/json")
