"""A small JSON-over-HTTP client for the providers' usage APIs: timeouts, and retries with backoff on
429 and 5xx that honour `Retry-After`. Standard library only; no credential ever goes into a message."""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

USER_AGENT = "frugal-ai-portal-usage-connector/1"
MAX_BODY_BYTES = 50 * 1024 * 1024


class ConnectorError(Exception):
    """A sync cannot go on; the message says why, in words an admin can act on (never a secret)."""


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a number of seconds, or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def query_string(params: Sequence[tuple[str, Any]]) -> str:
    return urllib.parse.urlencode([(key, value) for key, value in params if value is not None])


class JsonClient:
    """GET JSON with retries. `sleep` is injectable so a test can record the waits instead of sleeping."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: dict[str, str],
        timeout_s: float = 30.0,
        max_attempts: int = 5,
        backoff_s: float = 1.0,
        max_wait_s: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **headers}
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self.requests_made = 0

    def get(self, path: str, params: Sequence[tuple[str, Any]] = ()) -> Any:
        url = f"{self.base_url}{path}"
        query = query_string(params)
        if query:
            url = f"{url}?{query}"
        last_problem = ""
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(url, headers=self.headers, method="GET")
            wait: float | None = None
            self.requests_made += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    body = response.read(MAX_BODY_BYTES + 1)
            except urllib.error.HTTPError as error:
                status = error.code
                detail = _provider_message(error)
                if status in (401, 403):
                    raise ConnectorError(
                        _("The provider refused the credentials (HTTP %(status)s)%(detail)s.")
                        % {"status": status, "detail": detail}
                    ) from None
                if status != 429 and status < 500:
                    raise ConnectorError(
                        _("The provider answered HTTP %(status)s%(detail)s.")
                        % {"status": status, "detail": detail}
                    ) from None
                last_problem = _("HTTP %(status)s%(detail)s") % {"status": status, "detail": detail}
                wait = retry_after_seconds(error.headers.get("Retry-After"))
            except TimeoutError:
                last_problem = _("no answer within %(seconds)s s") % {"seconds": f"{self.timeout_s:g}"}
            except urllib.error.URLError as error:
                reason = error.reason
                if isinstance(reason, TimeoutError):
                    last_problem = _("no answer within %(seconds)s s") % {"seconds": f"{self.timeout_s:g}"}
                else:
                    last_problem = _("cannot reach the provider (%(reason)s)") % {"reason": str(reason)[:200]}
            except (ConnectionError, OSError) as error:
                last_problem = _("the connection failed (%(reason)s)") % {"reason": str(error)[:200]}
            else:
                if len(body) > MAX_BODY_BYTES:
                    raise ConnectorError(_("The provider's answer is too large."))
                try:
                    return json.loads(body)
                except ValueError:
                    raise ConnectorError(
                        _("The provider's answer is not valid JSON (%(start)s…).")
                        % {"start": body[:60].decode("utf-8", "replace")}
                    ) from None
            if attempt == self.max_attempts:
                break
            delay = wait if wait is not None else self.backoff_s * 2 ** (attempt - 1)
            if delay > self.max_wait_s:
                raise ConnectorError(
                    _("The provider asked to wait %(seconds)s s (%(problem)s); try again later.")
                    % {"seconds": round(delay), "problem": last_problem}
                )
            self.sleep(delay)
        raise ConnectorError(
            _("The provider did not answer after %(attempts)s attempts (last: %(problem)s).")
            % {"attempts": self.max_attempts, "problem": last_problem}
        )


def _provider_message(error: urllib.error.HTTPError) -> str:
    """The provider's own error message, if its body has one (OpenAI, Anthropic and LiteLLM all use
    `{"error": {"message": ...}}` or `{"error": "..."}`)."""
    try:
        payload = json.loads(error.read(20_000) or b"null")
    except (ValueError, OSError):
        return ""
    message = None
    if isinstance(payload, dict):
        inner = payload.get("error") or payload.get("detail")
        if isinstance(inner, dict):
            message = inner.get("message") or inner.get("error")
        elif isinstance(inner, str):
            message = inner
    return f": {str(message)[:200]}" if message else ""
