"""OTLP/HTTP trace payloads (protobuf or JSON) → the GenAI calls in them. No database here.

Reads the OpenTelemetry GenAI semantic conventions (`gen_ai.request.model` / `gen_ai.response.model`,
`gen_ai.usage.input_tokens` / `gen_ai.usage.output_tokens`, `gen_ai.provider.name` or the older
`gen_ai.system`, and the older `gen_ai.usage.prompt_tokens` / `completion_tokens`) and EcoLogits' own
label names (`model`, `provider`, `input_tokens`, `output_tokens`). A span with no model or no token
count is not a GenAI call and is skipped.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024

MODEL_KEYS = ("gen_ai.response.model", "gen_ai.request.model", "model")
PROVIDER_KEYS = ("gen_ai.provider.name", "gen_ai.system", "provider")
INPUT_KEYS = ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "input_tokens")
OUTPUT_KEYS = ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "output_tokens")
CACHE_READ_KEYS = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens")
CACHE_CREATION_KEYS = ("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens")
PROJECT_KEYS = ("service.name",)
TEAM_KEYS = ("service.namespace",)
USER_KEYS = ("user.id", "enduser.id")


class PayloadError(Exception):
    """The body is not an OTLP trace export we can read: a 400 for the sender."""


@dataclass(frozen=True)
class GenAISpan:
    span_key: str  # trace id + span id, hex: the same span sent twice counts once
    day: datetime.date
    model: str
    provider: str
    project: str
    team: str
    user: str
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_creation_tokens: int


SPAN_KEYS = frozenset(
    (*MODEL_KEYS, *PROVIDER_KEYS, *INPUT_KEYS, *OUTPUT_KEYS, *CACHE_READ_KEYS, *CACHE_CREATION_KEYS,
     *PROJECT_KEYS, *TEAM_KEYS, *USER_KEYS)
)  # fmt: skip
RESOURCE_KEYS = frozenset((*PROVIDER_KEYS, *PROJECT_KEYS, *TEAM_KEYS, *USER_KEYS))
NS_PER_DAY = 86_400 * 10**9
TRACE_ID = re.compile(r"[0-9a-f]{32}")  # 16 bytes, hex: what OTLP sends (its JSON encoding included)
SPAN_ID = re.compile(r"[0-9a-f]{16}")  # 8 bytes
EPOCH = datetime.date(1970, 1, 1)


def _first(attributes: dict[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        value = attributes.get(key)
        if value not in (None, ""):
            return value
    return None


def _count(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if number > 0 else 0


class _Days:
    """The UTC day a span started on, from its start time in nanoseconds (the spans of one export mostly
    share a few days: each is computed once)."""

    def __init__(self) -> None:
        self.known: dict[int, datetime.date] = {}

    def of(self, start_ns: int) -> datetime.date:
        number = start_ns // NS_PER_DAY
        day = self.known.get(number)
        if day is None:
            try:
                day = self.known[number] = EPOCH + datetime.timedelta(days=number)
            except OverflowError:
                raise PayloadError(_("A span's start time is out of range.")) from None
        return day


def _span(
    trace_id: str,
    span_id: str,
    day: datetime.date,
    attributes: dict[str, Any],
    resource: dict[str, Any],
) -> GenAISpan | None:
    model = _first(attributes, MODEL_KEYS)
    input_tokens = _count(_first(attributes, INPUT_KEYS))
    output_tokens = _count(_first(attributes, OUTPUT_KEYS))
    if not model or not (input_tokens or output_tokens):
        return None
    if not (TRACE_ID.fullmatch(trace_id) and SPAN_ID.fullmatch(span_id)):
        raise PayloadError(_("A span's traceId or spanId is not a hexadecimal id of 16 or 8 bytes."))

    def either(keys: tuple[str, ...]) -> str:  # by the keys' order; the span's value before its resource's
        for key in keys:
            for source in (attributes, resource):
                value = source.get(key)
                if value not in (None, ""):
                    return str(value)
        return ""

    return GenAISpan(
        span_key=f"{trace_id}{span_id}",
        day=day,
        model=str(model)[:200],
        provider=either(PROVIDER_KEYS)[:100],
        project=either(PROJECT_KEYS)[:200],
        team=either(TEAM_KEYS)[:200],
        user=either(USER_KEYS)[:200],
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=_count(_first(attributes, CACHE_READ_KEYS)),
        cache_creation_tokens=_count(_first(attributes, CACHE_CREATION_KEYS)),
    )


# --- protobuf -----------------------------------------------------------------------------------


def _pb_attributes(attributes: Any, wanted: frozenset[str]) -> dict[str, Any]:
    """The attributes we read (the others are skipped unread), as Python values; none of ours is an
    array, a key-value list or bytes."""
    found: dict[str, Any] = {}
    for item in attributes:
        key = item.key
        if key in wanted:
            value = item.value
            kind = value.WhichOneof("value")
            if kind is not None and kind not in ("array_value", "kvlist_value", "bytes_value"):
                found[key] = getattr(value, kind)
    return found


def spans_from_protobuf(body: bytes) -> Iterator[GenAISpan]:
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except DecodeError:
        raise PayloadError(_("The body is not an OTLP protobuf trace export.")) from None
    days = _Days()
    for resource_spans in request.resource_spans:
        resource = _pb_attributes(resource_spans.resource.attributes, RESOURCE_KEYS)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                attributes = _pb_attributes(span.attributes, SPAN_KEYS)
                if not attributes:
                    continue
                found = _span(
                    span.trace_id.hex(),
                    span.span_id.hex(),
                    days.of(span.start_time_unix_nano),
                    attributes,
                    resource,
                )
                if found is not None:
                    yield found


# --- JSON (OTLP/JSON: lowerCamelCase keys, hex ids, 64-bit integers as strings) ----------------------

_JSON_VALUE_KINDS = ("stringValue", "intValue", "doubleValue", "boolValue")


def _json_attributes(attributes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not isinstance(attributes, list):
        return found
    for item in attributes:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            continue
        value = item["value"]
        for kind in _JSON_VALUE_KINDS:
            if kind in value:
                found[str(item.get("key"))] = value[kind]
                break
    return found


def spans_from_json(body: bytes) -> Iterator[GenAISpan]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PayloadError(_("The body is not valid JSON.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("resourceSpans", []), list):
        raise PayloadError(_("The body is not an OTLP JSON trace export (no resourceSpans)."))
    days = _Days()
    for resource_spans in payload.get("resourceSpans", []):
        if not isinstance(resource_spans, dict):
            raise PayloadError(_("The body is not an OTLP JSON trace export (no resourceSpans)."))
        resource = _json_attributes((resource_spans.get("resource") or {}).get("attributes"))
        for scope_spans in resource_spans.get("scopeSpans") or []:
            for span in (scope_spans or {}).get("spans") or []:
                if not isinstance(span, dict):
                    continue
                try:
                    start_ns = int(span.get("startTimeUnixNano") or 0)
                except (TypeError, ValueError):
                    raise PayloadError(_("A span's startTimeUnixNano is not a number.")) from None
                found = _span(
                    str(span.get("traceId") or "").lower(),
                    str(span.get("spanId") or "").lower(),
                    days.of(start_ns),
                    _json_attributes(span.get("attributes")),
                    resource,
                )
                if found is not None:
                    yield found


def genai_spans(body: bytes, content_type: str) -> list[GenAISpan]:
    """The GenAI calls in an OTLP/HTTP trace export, by its Content-Type (protobuf or JSON)."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise PayloadError(_("The body is too large."))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/x-protobuf":
        return list(spans_from_protobuf(body))
    if media_type == "application/json":
        return list(spans_from_json(body))
    raise PayloadError(_("Send application/x-protobuf or application/json."))
