"""Local HTTP servers, started by the tests on 127.0.0.1, that answer like the providers' usage APIs.

The shapes follow the providers' documentation (README, "Connections"): OpenAI's organisation usage API
(`/v1/organization/usage/completions|images`, buckets of `results`, `has_more` / `next_page`),
Anthropic's usage report (`/v1/organizations/usage_report/messages`, `starting_at` / `results` with
`uncached_input_tokens`, `cache_creation`, `cache_read_input_tokens`), and LiteLLM's `/spend/logs/v2`
(`data`, `total_pages`). Data comes from a function of the day, so a year of buckets needs no memory.
A test can queue failures (status, headers, body), a delay longer than the client's timeout, or a
malformed body, and reads back every request the server received.
"""

from __future__ import annotations

import base64
import datetime
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UTC = datetime.UTC
DayRows = Callable[[datetime.date], list[dict[str, Any]]]


@dataclass
class Failure:
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"error": {"message": "internal error", "type": "server_error"}}'
    delay_s: float = 0.0


@dataclass
class FakeProvider:
    secret: str = "sk-test-secret"
    openai_completions: DayRows = lambda day: []
    openai_images: DayRows = lambda day: []
    anthropic_messages: DayRows = lambda day: []
    litellm_logs: DayRows = lambda day: []
    failures: list[Failure] = field(default_factory=list)
    malformed: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def take_failure(self) -> Failure | None:
        return self.failures.pop(0) if self.failures else None


def _days(start: datetime.date, end_exclusive: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day < end_exclusive:
        yield day
        day += datetime.timedelta(days=1)


def _cursor(day: datetime.date) -> str:
    return base64.b64encode(day.isoformat().encode()).decode()


def _uncursor(cursor: str) -> datetime.date:
    return datetime.date.fromisoformat(base64.b64decode(cursor).decode())


def _handler(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            provider.requests.append(
                {"path": url.path, "query": query, "headers": {k.lower(): v for k, v in self.headers.items()}}
            )
            failure = provider.take_failure()
            if failure is not None:
                if failure.delay_s:
                    time.sleep(failure.delay_s)
                with suppress(BrokenPipeError, ConnectionResetError):
                    self._send(failure.status, failure.body, failure.headers)
                return
            if not self._authorised(url.path):
                self._send(
                    401, b'{"error": {"message": "invalid x-api-key", "type": "authentication_error"}}'
                )
                return
            if provider.malformed:
                self._send(200, b'{"object": "page", "data": [')
                return
            routes = {
                "/v1/organization/usage/completions": lambda: self._openai(query, "completions"),
                "/v1/organization/usage/images": lambda: self._openai(query, "images"),
                "/v1/organizations/usage_report/messages": lambda: self._anthropic(query),
                "/spend/logs/v2": lambda: self._litellm(query),
            }
            route = routes.get(url.path)
            if route is None:
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            self._send(200, json.dumps(route()).encode())

        def _authorised(self, path: str) -> bool:
            if path.startswith("/v1/organizations/"):
                return (
                    self.headers.get("x-api-key") == provider.secret
                    and self.headers.get("anthropic-version") == "2023-06-01"
                )
            return self.headers.get("Authorization") == f"Bearer {provider.secret}"

        def _openai(self, query: dict[str, list[str]], kind: str) -> dict[str, Any]:
            start = datetime.datetime.fromtimestamp(int(query["start_time"][0]), UTC).date()
            end = (
                datetime.datetime.fromtimestamp(int(query["end_time"][0]), UTC).date()
                if "end_time" in query
                else datetime.datetime.now(UTC).date() + datetime.timedelta(days=1)
            )
            limit = min(int(query.get("limit", ["7"])[0]), 31)
            if "page" in query:
                start = _uncursor(query["page"][0])
            page_end = min(end, start + datetime.timedelta(days=limit))
            rows = provider.openai_completions if kind == "completions" else provider.openai_images
            data = [
                {
                    "object": "bucket",
                    "start_time": int(datetime.datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()),
                    "end_time": int(datetime.datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())
                    + 86400,
                    "results": [{"object": f"organization.usage.{kind}.result", **row} for row in rows(d)],
                }
                for d in _days(start, page_end)
            ]
            has_more = page_end < end
            return {
                "object": "page",
                "data": data,
                "has_more": has_more,
                "next_page": _cursor(page_end) if has_more else None,
            }

        def _anthropic(self, query: dict[str, list[str]]) -> dict[str, Any]:
            start = datetime.datetime.fromisoformat(query["starting_at"][0].replace("Z", "+00:00")).date()
            end = (
                datetime.datetime.fromisoformat(query["ending_at"][0].replace("Z", "+00:00")).date()
                if "ending_at" in query
                else datetime.datetime.now(UTC).date() + datetime.timedelta(days=1)
            )
            limit = min(int(query.get("limit", ["7"])[0]), 31)
            if "page" in query:
                start = _uncursor(query["page"][0])
            page_end = min(end, start + datetime.timedelta(days=limit))
            data = [
                {
                    "starting_at": f"{d.isoformat()}T00:00:00Z",
                    "ending_at": f"{(d + datetime.timedelta(days=1)).isoformat()}T00:00:00Z",
                    "results": provider.anthropic_messages(d),
                }
                for d in _days(start, page_end)
            ]
            has_more = page_end < end
            return {"data": data, "has_more": has_more, "next_page": _cursor(page_end) if has_more else None}

        def _litellm(self, query: dict[str, list[str]]) -> dict[str, Any]:
            start = datetime.date.fromisoformat(query["start_date"][0][:10])
            end = datetime.date.fromisoformat(query["end_date"][0][:10]) + datetime.timedelta(days=1)
            page = int(query.get("page", ["1"])[0])
            page_size = int(query.get("page_size", ["50"])[0])
            rows = [row for d in _days(start, end) for row in provider.litellm_logs(d)]
            total_pages = (len(rows) + page_size - 1) // page_size
            return {
                "data": rows[(page - 1) * page_size : page * page_size],
                "total": len(rows),
                "page": page,
                "page_size": page_size,
                "total_pages": total_pages,
            }

    return Handler


@contextmanager
def serve(provider: FakeProvider) -> Iterator[FakeProvider]:
    """Serve `provider` on 127.0.0.1 (a free port) for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
