"""Each connector over real HTTP against a local server that answers like the provider."""

import datetime

import pytest

from tests.connectors.fake_providers import Failure, FakeProvider, serve
from usage.connectors import providers
from usage.connectors.http import ConnectorError, retry_after_seconds

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)  # 90 days: 3 pages of 31 days


def openai_rows(day):
    return [
        {
            "input_tokens": 1000 + day.day,
            "input_cached_tokens": 100,
            "output_tokens": 500,
            "num_model_requests": 5,
            "project_id": project,
            "model": "gpt-4o-mini-2024-07-18",
        }
        for project in ("proj_marketing", "proj_finance")
    ]


def client(kind, provider, **options):
    make, _fetch = providers.FETCHERS[kind]
    base = provider.base_url + ("" if kind == "litellm" else "/v1")
    return make(base_url=base, secret=provider.secret, **{"sleep": lambda s: None, **options})


def test_openai_reads_every_page_of_completions_and_images():
    fake = FakeProvider(
        openai_completions=openai_rows,
        openai_images=lambda day: [
            {
                "images": 3,
                "num_model_requests": 3,
                "project_id": "proj_design",
                "model": "dall-e-3",
                "size": "1024x1024",
            }
        ],
    )
    with serve(fake):
        buckets = list(providers.openai_buckets(client("openai", fake), start=START, end=END))
    text = [b for b in buckets if b.output_tokens]
    images = [b for b in buckets if b.images]
    assert len(text) == 90 * 2 and len(images) == 90
    assert {b.day for b in text} == {START + datetime.timedelta(days=i) for i in range(90)}
    assert sum(b.input_tokens for b in text) == sum(
        2 * (1000 + (START + datetime.timedelta(days=i)).day) for i in range(90)
    )
    assert text[0].cache_read_tokens == 100 and text[0].requests == 5
    assert (images[0].image_width, images[0].image_height) == (1024, 1024)
    completions_calls = [r for r in fake.requests if r["path"].endswith("/completions")]
    assert len(completions_calls) == 3  # 31 + 31 + 28 days, following next_page
    assert completions_calls[0]["query"]["group_by[]"] == ["project_id", "model"]
    assert completions_calls[0]["query"]["bucket_width"] == ["1d"]
    assert len({b.external_id for b in buckets}) == len(buckets)


def test_the_same_bucket_has_the_same_external_id_on_every_read():
    fake = FakeProvider(openai_completions=openai_rows)
    with serve(fake):
        first = [
            b.external_id for b in providers.openai_buckets(client("openai", fake), start=START, end=START)
        ]
        second = [
            b.external_id for b in providers.openai_buckets(client("openai", fake), start=START, end=START)
        ]
    assert first == second and len(first) == 2


def test_an_empty_range_gives_no_buckets():
    with serve(FakeProvider()) as fake:
        assert list(providers.openai_buckets(client("openai", fake), start=START, end=END)) == []
        assert list(providers.anthropic_buckets(client("anthropic", fake), start=START, end=END)) == []
        assert list(providers.litellm_buckets(client("litellm", fake), start=START, end=END)) == []


def test_anthropic_counts_cache_reads_and_cache_creation_as_input_tokens():
    fake = FakeProvider(
        anthropic_messages=lambda day: [
            {
                "uncached_input_tokens": 1500,
                "cache_creation": {"ephemeral_1h_input_tokens": 1000, "ephemeral_5m_input_tokens": 500},
                "cache_read_input_tokens": 200,
                "output_tokens": 500,
                "server_tool_use": {"web_search_requests": 0},
                "api_key_id": None,
                "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
                "model": "claude-sonnet-4-5-20250929",
                "service_tier": None,
                "context_window": "0-200k",
            }
        ]
    )
    with serve(fake):
        buckets = list(providers.anthropic_buckets(client("anthropic", fake), start=START, end=END))
    assert len(buckets) == 90
    first = buckets[0]
    assert (first.input_tokens, first.cache_read_tokens, first.cache_creation_tokens) == (3200, 200, 1500)
    assert first.workspace == "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"
    assert first.requests == 1 and first.requests_lower_bound
    assert fake.requests[0]["query"]["group_by[]"] == ["model", "workspace_id", "context_window"]
    assert fake.requests[0]["headers"]["anthropic-version"] == "2023-06-01"


def test_litellm_sums_request_logs_into_daily_buckets_across_pages():
    def logs(day):
        return [
            {
                "request_id": f"{day}-{i}",
                "call_type": "acompletion",
                "startTime": f"{day.isoformat()}T10:{i % 60:02d}:00Z",
                "model": "gpt-4o",
                "prompt_tokens": 100,
                "completion_tokens": 40,
                "user": "u1",
                "team_id": "team-support" if i % 2 else "team-sales",
                "metadata": {"user_api_key_alias": "support-bot"},
                "request_tags": ["chatbot"],
                "status": "success" if i != 7 else "failure",
            }
            for i in range(1500)
        ]

    fake = FakeProvider(litellm_logs=logs)
    with serve(fake):
        buckets = list(
            providers.litellm_buckets(
                client("litellm", fake), start=START, end=START + datetime.timedelta(days=1)
            )
        )
    assert len(buckets) == 4  # 2 days × 2 teams
    assert sum(b.requests for b in buckets) == 2 * 1499  # the failed request is left out
    assert sum(b.input_tokens for b in buckets) == 2 * 1499 * 100
    assert {b.team for b in buckets} == {"team-support", "team-sales"}
    assert buckets[0].tags == ("chatbot",) and buckets[0].api_key == "support-bot"
    assert len(fake.requests) == 3  # 3,000 logs, 1,000 a page


KINDS = ["openai", "anthropic", "litellm"]


def fetch(kind, fake, **options):
    _make, read = providers.FETCHERS[kind]
    return list(read(client(kind, fake, **options), start=START, end=START))


def one_of_each(fake):
    fake.openai_completions = openai_rows
    fake.anthropic_messages = lambda day: [
        {"uncached_input_tokens": 10, "output_tokens": 5, "model": "claude-haiku-4-5", "workspace_id": None}
    ]
    fake.litellm_logs = lambda day: [
        {"startTime": f"{day}T08:00:00Z", "model": "gpt-4o", "prompt_tokens": 10, "completion_tokens": 5}
    ]
    return fake


@pytest.mark.parametrize("kind", KINDS)
def test_429_waits_as_long_as_retry_after_says(kind):
    waits = []
    fake = one_of_each(
        FakeProvider(
            failures=[
                Failure(429, {"Retry-After": "7"}, b'{"error": {"message": "rate limited"}}'),
                Failure(503),
            ]
        )
    )
    with serve(fake):
        buckets = fetch(kind, fake, sleep=waits.append)
    assert buckets
    assert waits == [7.0, 2.0]  # Retry-After, then the backoff of the second attempt


@pytest.mark.parametrize("kind", KINDS)
def test_500_every_time_gives_up_and_says_why(kind):
    fake = FakeProvider(failures=[Failure(500)] * 5)
    with serve(fake), pytest.raises(ConnectorError, match=r"after 5 attempts.*HTTP 500: internal error"):
        fetch(kind, fake)


@pytest.mark.parametrize("kind", KINDS)
def test_a_timeout_is_retried_then_reported(kind):
    fake = FakeProvider(failures=[Failure(200, delay_s=1.0)] * 2)
    with serve(fake), pytest.raises(ConnectorError, match=r"no answer within 0\.2 s"):
        fetch(kind, fake, timeout_s=0.2, max_attempts=2)


@pytest.mark.parametrize("kind", KINDS)
def test_malformed_json_is_reported(kind):
    fake = FakeProvider(malformed=True)
    with serve(fake), pytest.raises(ConnectorError, match="not valid JSON"):
        fetch(kind, fake)


def test_a_wrong_key_is_refused_without_retrying():
    fake = FakeProvider(secret="the-right-one")
    with serve(fake):
        wrong = providers.openai_client(base_url=fake.base_url + "/v1", secret="wrong", sleep=lambda s: None)
        with pytest.raises(ConnectorError, match="refused the credentials"):
            list(providers.openai_buckets(wrong, start=START, end=START))
    assert len(fake.requests) == 1


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert retry_after_seconds("soon") is None
