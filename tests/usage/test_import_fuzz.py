"""CSV and API fuzzing of the usage import (issue 14): random bytes, encodings, delimiters, quotes, NULs,
line breaks, huge and negative numbers, duplicated keys. Whatever the input: no exception escapes (never
a 500), the import ends in a finished state (never stuck), and it is all or nothing (never half imported).
Seeded, so a failure is reproducible; bounded: CASES files and API calls, each within CASE_BOUND_S."""

import json
import random
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from usage import services as usage
from usage.models import UsageImport, UsageRecord

pytestmark = pytest.mark.django_db
SEED = 20261130
CASES = 150
CASE_BOUND_S = 10.0
COLUMNS = list(usage.COLUMNS)
NASTY = ["", " ", "\x00", '"', '""', "'", ";", ",", "\t", "\n", "\r\n", "é", "\ufeff", "💥", "=1+1",
         "-1", "0", "1e9", "10000000000000", str(10**12), str(10**12 + 1), "9" * 30, "NaN", "2026-02-30",
         "2026-10-05", "Sales", "gpt-4o-mini", "sdxl", "europe-west9", "FRA", "x" * 200]  # fmt: skip


def good_values(rng: random.Random, n: int) -> list[str]:
    return ["2026-10-05", "Sales", "", rng.choice(["gpt-4o-mini", "mistral-small"]), "europe-west9",
            str(rng.randint(1, 10**6)), str(rng.randint(0, 10**6)), str(rng.randint(1, 10**6)), "0", "", "",
            "fuzz", f"id-{n}"]  # fmt: skip


def mutate(rng: random.Random, values: list[str]) -> list[str]:
    values = list(values)
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        index = rng.randrange(len(values))
        values[index] = rng.choice([rng.choice(NASTY), values[index] + rng.choice(NASTY)])
    return values


def random_file(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.1:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
    clean = rng.random() < 0.4  # a valid file (shuffled columns, quoting, delimiters, duplicates, BOM)
    delimiter = rng.choice([",", ",", ";", "\t"])
    order = rng.sample(range(len(COLUMNS)), len(COLUMNS)) if rng.random() < 0.2 else list(range(len(COLUMNS)))
    lines = [delimiter.join(COLUMNS[index] for index in order)]
    rows = [
        [values[index] for index in order]
        for values in (good_values(rng, n) for n in range(rng.randrange(1, 40)))
    ]
    if rows and rng.random() < 0.2:
        rows.append(list(rng.choice(rows)))  # the same record again (identical)
    for values in rows:
        values = mutate(rng, values) if rng.random() < 0.5 else values
        line = delimiter.join(
            f'"{value}"' if rng.random() < 0.1 else value
            for value in values[: rng.choice([13, 13, 13, 12, 14])]
        )
        lines.append(line)
    text = rng.choice(["\n", "\r\n"]).join(lines) + rng.choice(["", "\n"])
    if not clean and rng.random() < 0.2:
        cut = rng.randrange(len(text))
        text = text[:cut] + '"' + text[cut:]  # a quote that may never close
    encodings = (
        ["utf-8", "utf-8-sig"] if clean else ["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]
    )
    encoding = rng.choice(encodings)
    return text.encode(encoding, errors="replace")


def test_random_csv_files_never_crash_never_stick_and_never_half_import(
    root, sales, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.USAGE_IMPORT_DIR = tmp_path
    rng = random.Random(SEED)
    outcomes: dict[str, int] = {}
    slowest_s = 0.0
    for case in range(CASES):
        content = random_file(rng)
        before = UsageRecord.objects.count()
        start = time.monotonic()
        with django_capture_on_commit_callbacks(execute=False):
            created = usage.usage_import_create(
                uploaded_by=root, upload=SimpleUploadedFile(f"fuzz-{case}.csv", content)
            )
            result = usage.usage_import_run(usage_import=created)
        elapsed_s = time.monotonic() - start
        slowest_s = max(slowest_s, elapsed_s)
        context = f"case {case}: {content[:300]!r} -> {result.status} {result.message} {result.errors[:3]}"

        assert elapsed_s < CASE_BOUND_S, context
        assert result.status in ("done", "invalid"), context  # never queued/checking; failed = a crash
        added = UsageRecord.objects.count() - before
        if result.status == "done":
            assert (
                added == result.inserted_rows
                and result.inserted_rows + result.duplicate_rows == result.total_rows
            ), context
        else:
            assert added == 0 and (result.message or result.errors), context
        outcomes[result.status] = outcomes.get(result.status, 0) + 1
    print(f"{CASES} random files: {outcomes}; slowest {slowest_s:.2f} s")
    assert outcomes.get("done", 0) >= 5 and outcomes.get("invalid", 0) >= 10  # both paths exercised
    assert not UsageImport.objects.exclude(status__in=("done", "invalid")).exists()


def random_record(rng: random.Random, n: int) -> object:
    if rng.random() < 0.05:
        return rng.choice([None, 1, "x", [], [1, 2], {"a": {"b": []}}])
    record: dict[str, object] = dict(zip(COLUMNS, mutate(rng, good_values(rng, n)), strict=True))
    for key in rng.sample(COLUMNS, rng.choice([0, 0, 1, 2])):
        record[key] = rng.choice([None, 10**30, -(10**12), 3.5, True, [], {}, "\x00", ["x"], {"k": 1}])
    return record


def test_random_api_payloads_are_201_or_400_never_500(client, root, sales):
    client.force_login(root)
    rng = random.Random(SEED)
    statuses: dict[int, int] = {}
    for case in range(CASES):
        body = [random_record(rng, f"{case}-{n}") for n in range(rng.randrange(1, 8))]
        before = UsageRecord.objects.count()
        response = client.post("/api/v1/usage/records/", json.dumps(body), content_type="application/json")
        assert response.status_code in (201, 400), (case, body, response.content[:500])
        added = UsageRecord.objects.count() - before
        if response.status_code == 400:
            assert added == 0 and response.json()["errors"]
        else:
            assert added == response.json()["inserted"]
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    print(f"{CASES} random API calls: {statuses}")
    assert statuses.get(201, 0) >= 5 and statuses.get(400, 0) >= 10  # both paths exercised
