"""OTLP trace exports built by the OpenTelemetry SDK, protobuf and JSON, read into GenAI calls."""

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
