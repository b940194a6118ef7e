"""The providers' usage APIs, read into daily buckets. Pure HTTP and parsing: no database here.

Each fetcher yields `Bucket`s for whole UTC days in [start, end] and says which API and version it
follows (README, "Connections"). A bucket's `external_id` is built from the provider's own bucket and
group keys, so the same bucket read twice is the same row.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from usage.connectors.http import ConnectorError, JsonClient

UTC = datetime.UTC


@dataclass
class Bucket:
    """One day of usage for one group (model × project/workspace/key/team/tags) as the provider reports it."""

    day: datetime.date
    key: tuple[Any, ...]  # the provider's bucket and group keys
    model: str = ""
    project: str = ""
    workspace: str = ""
    api_key: str = ""
    team: str = ""
    user: str = ""
    tags: tuple[str, ...] = ()
    provider: str = ""
    requests: int = 0
    requests_lower_bound: bool = False  # the provider gives no request count (see Anthropic)
    input_tokens: int = 0  # every input token, cached ones included
    cache_read_tokens: int = 0
    cache_creation_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    image_width: int | None = None
    image_height: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def external_id(self) -> str:
        """Stable id from the provider's keys: the same bucket and group always give the same id."""
        raw = json.dumps([str(part) for part in self.key], separators=(",", ":"))
        return f"{self.day.isoformat()}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def _int(value: Any, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConnectorError(
            _("Unexpected value for %(field)s: %(value)s.") % {"field": what, "value": str(value)[:40]}
        )
    return int(value)


def _expect(payload: Any, kind: type, what: str) -> Any:
    if not isinstance(payload, kind):
        raise ConnectorError(_("Unexpected answer from the provider: %(what)s is missing.") % {"what": what})
    return payload


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- OpenAI -------------------------------------------------------------------------------------

OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_MAX_DAILY_BUCKETS = 31  # `limit` for bucket_width=1d: default 7, max 31


def openai_client(*, base_url: str, secret: str, **options: Any) -> JsonClient:
    return JsonClient(
        base_url=base_url or OPENAI_BASE_URL, headers={"Authorization": f"Bearer {secret}"}, **options
    )


def openai_buckets(client: JsonClient, *, start: datetime.date, end: datetime.date) -> Iterator[Bucket]:
    """`GET /organization/usage/completions` and `/organization/usage/images`, daily buckets grouped by
    project and model (images: and size), every page (`has_more` / `next_page`)."""
    end_time = int(_midnight(end + datetime.timedelta(days=1)).timestamp())
    start_time = int(_midnight(start).timestamp())
    for kind, group_by in (
        ("completions", ("project_id", "model")),
        ("images", ("project_id", "model", "size")),
    ):
        page: str | None = None
        while True:
            params: list[tuple[str, Any]] = [
                ("start_time", start_time),
                ("end_time", end_time),
                ("bucket_width", "1d"),
                ("limit", OPENAI_MAX_DAILY_BUCKETS),
                *[("group_by[]", name) for name in group_by],
                ("page", page),
            ]
            payload = _expect(client.get(f"/organization/usage/{kind}", params), dict, "page")
            for bucket in _expect(payload.get("data"), list, "data"):
                yield from _openai_bucket(_expect(bucket, dict, "bucket"), kind)
            page = payload.get("next_page")
            if not payload.get("has_more") or not page:
                break


def _openai_bucket(bucket: dict[str, Any], kind: str) -> Iterator[Bucket]:
    try:
        day = datetime.datetime.fromtimestamp(int(bucket["start_time"]), UTC).date()
    except (KeyError, TypeError, ValueError, OverflowError):
        raise ConnectorError(_("Unexpected answer from the provider: a bucket has no start_time.")) from None
    for result in _expect(bucket.get("results", []), list, "results"):
        _expect(result, dict, "result")
        project = result.get("project_id") or ""
        model = result.get("model") or ""
        common: _OpenAICommon = {
            "day": day,
            "model": model,
            "project": project,
            "provider": "openai",
            "requests": _int(result.get("num_model_requests"), "num_model_requests"),
        }
        if kind == "images":
            size = result.get("size") or ""
            width = height = None
            if "x" in size:
                try:
                    width, height = (int(part) for part in size.split("x", 1))
                except ValueError:
                    width = height = None
            yield Bucket(
                key=("openai", kind, bucket["start_time"], project, model, size),
                images=_int(result.get("images"), "images"),
                image_width=width,
                image_height=height,
                **common,
            )
        else:
            yield Bucket(
                key=("openai", kind, bucket["start_time"], project, model),
                input_tokens=_int(result.get("input_tokens"), "input_tokens"),
                cache_read_tokens=_int(result.get("input_cached_tokens"), "input_cached_tokens"),
                cache_creation_tokens=_int(
                    result.get("input_cache_write_tokens"), "input_cache_write_tokens"
                ),
                output_tokens=_int(result.get("output_tokens"), "output_tokens"),
                **common,
            )


class _OpenAICommon(TypedDict):
    """What a text and an image bucket of the OpenAI usage API share."""

    day: datetime.date
    model: str
    project: str
    provider: str
    requests: int


# --- Anthropic ----------------------------------------------------------------------------------

ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1"
ANTHROPIC_VERSION = "2023-06-01"
# The largest input a request can have in each `context_window` the report groups by: a day's input
# tokens divided by it is the fewest requests that could carry them (the report gives no request count).
ANTHROPIC_CONTEXT_WINDOW_TOKENS = {"0-200k": 200_000, "200k-1M": 1_000_000}


def anthropic_client(*, base_url: str, secret: str, **options: Any) -> JsonClient:
    return JsonClient(
        base_url=base_url or ANTHROPIC_BASE_URL,
        headers={"x-api-key": secret, "anthropic-version": ANTHROPIC_VERSION},
        **options,
    )


def anthropic_buckets(client: JsonClient, *, start: datetime.date, end: datetime.date) -> Iterator[Bucket]:
    """`GET /organizations/usage_report/messages`, daily buckets grouped by model, workspace and context
    window, every page. Input tokens are uncached + cache reads + cache creation (5 min and 1 h)."""
    page: str | None = None
    while True:
        params: list[tuple[str, Any]] = [
            ("starting_at", _midnight(start).isoformat().replace("+00:00", "Z")),
            ("ending_at", _midnight(end + datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")),
            ("bucket_width", "1d"),
            ("limit", 31),
            ("group_by[]", "model"),
            ("group_by[]", "workspace_id"),
            ("group_by[]", "context_window"),
            ("page", page),
        ]
        payload = _expect(client.get("/organizations/usage_report/messages", params), dict, "page")
        for bucket in _expect(payload.get("data"), list, "data"):
            yield from _anthropic_bucket(_expect(bucket, dict, "bucket"))
        page = payload.get("next_page")
        if not payload.get("has_more") or not page:
            break


def _anthropic_bucket(bucket: dict[str, Any]) -> Iterator[Bucket]:
    try:
        starting_at = datetime.datetime.fromisoformat(str(bucket["starting_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise ConnectorError(_("Unexpected answer from the provider: a bucket has no starting_at.")) from None
    day = starting_at.astimezone(UTC).date()
    for result in _expect(bucket.get("results", []), list, "results"):
        _expect(result, dict, "result")
        cache_creation = result.get("cache_creation") or {}
        _expect(cache_creation, dict, "cache_creation")
        creation = _int(cache_creation.get("ephemeral_5m_input_tokens"), "ephemeral_5m_input_tokens") + _int(
            cache_creation.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens"
        )
        cache_read = _int(result.get("cache_read_input_tokens"), "cache_read_input_tokens")
        uncached = _int(result.get("uncached_input_tokens"), "uncached_input_tokens")
        output = _int(result.get("output_tokens"), "output_tokens")
        input_tokens = uncached + cache_read + creation
        window = result.get("context_window") or "0-200k"
        max_input = ANTHROPIC_CONTEXT_WINDOW_TOKENS.get(window, 1_000_000)
        workspace = result.get("workspace_id") or ""
        model = result.get("model") or ""
        if not (input_tokens or output):
            continue
        yield Bucket(
            day=day,
            key=("anthropic", bucket["starting_at"], model, workspace, window),
            model=model,
            workspace=workspace,
            provider="anthropic",
            requests=max(1, math.ceil(input_tokens / max_input)),
            requests_lower_bound=True,
            input_tokens=input_tokens,
            cache_read_tokens=cache_read,
            cache_creation_tokens=creation,
            output_tokens=output,
            extra={"context_window": window},
        )


# --- LiteLLM proxy ------------------------------------------------------------------------------

LITELLM_PAGE_SIZE = 1000


def litellm_client(*, base_url: str, secret: str, **options: Any) -> JsonClient:
    if not base_url:
        raise ConnectorError(_("A LiteLLM connection needs the proxy's base URL."))
    return JsonClient(base_url=base_url, headers={"Authorization": f"Bearer {secret}"}, **options)


def litellm_buckets(client: JsonClient, *, start: datetime.date, end: datetime.date) -> Iterator[Bucket]:
    """`GET /spend/logs/v2` (one row per request, paginated by `page` / `total_pages`), summed into daily
    buckets per model, team, key alias, user and tags. Failed requests are left out."""
    groups: dict[tuple[Any, ...], Bucket] = {}
    page = 1
    while True:
        params = [
            ("start_date", f"{start.isoformat()} 00:00:00"),
            ("end_date", f"{end.isoformat()} 23:59:59"),
            ("page", page),
            ("page_size", LITELLM_PAGE_SIZE),
        ]
        payload = _expect(client.get("/spend/logs/v2", params), dict, "page")
        rows = _expect(payload.get("data"), list, "data")
        for row in rows:
            _litellm_add(groups, _expect(row, dict, "log"), start, end)
        total_pages = payload.get("total_pages") or 0
        if not rows or not isinstance(total_pages, int) or page >= total_pages:
            break
        page += 1
    yield from groups.values()


def _litellm_add(
    groups: dict[tuple[Any, ...], Bucket], row: dict[str, Any], start: datetime.date, end: datetime.date
) -> None:
    if str(row.get("status") or "success").lower() not in ("success", ""):
        return
    try:
        started = datetime.datetime.fromisoformat(str(row["startTime"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise ConnectorError(_("Unexpected answer from the provider: a log has no startTime.")) from None
    day = (started.astimezone(UTC) if started.tzinfo else started).date()
    if not start <= day <= end:
        return
    metadata = row.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            metadata = {}
    tags = row.get("request_tags") or []
    if isinstance(tags, str):
        try:
            tags = json.loads(tags)
        except ValueError:
            tags = [tags]
    tags = tuple(sorted(str(tag) for tag in tags)) if isinstance(tags, list) else ()
    model = str(row.get("model") or row.get("model_group") or "")
    team = str(row.get("team_id") or metadata.get("user_api_key_team_id") or "")
    key_alias = str(metadata.get("user_api_key_alias") or "")
    user = str(row.get("user") or metadata.get("user_api_key_user_id") or "")
    key = ("litellm", day.isoformat(), model, team, key_alias, user, *tags)
    bucket = groups.get(key)
    if bucket is None:
        bucket = groups[key] = Bucket(
            day=day,
            key=key,
            model=model,
            team=team,
            api_key=key_alias,
            user=user,
            tags=tags,
            provider=str(row.get("custom_llm_provider") or ""),
        )
    bucket.requests += 1
    bucket.input_tokens += _int(row.get("prompt_tokens"), "prompt_tokens")
    bucket.output_tokens += _int(row.get("completion_tokens"), "completion_tokens")


FETCHERS = {
    "openai": (openai_client, openai_buckets),
    "anthropic": (anthropic_client, anthropic_buckets),
    "litellm": (litellm_client, litellm_buckets),
}


def test_connection(kind: str, *, base_url: str, secret: str, timeout_s: float = 10.0) -> int:
    """Read yesterday's usage once (no retries): the number of buckets, or ConnectorError saying why not."""
    make_client, fetch = FETCHERS[kind]
    client = make_client(base_url=base_url, secret=secret, timeout_s=timeout_s, max_attempts=1)
    yesterday = datetime.datetime.now(UTC).date() - datetime.timedelta(days=1)
    return sum(1 for _ in fetch(client, start=yesterday, end=yesterday))
