"""Estimator benchmark: `make bench-estimator` (or `python -m bench.estimator_bench`).

1. The method's text estimates per second on one core (pure core, and through the service layer).
2. POST /api/v1/estimator/estimates/ against a bare Django JSON view, both in-process through the
   same middleware, interleaved in rounds in the same run; reported as a ratio (the machine is shared
   and noisy: absolute numbers mean little, the ratio holds).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.services import token_create  # noqa: E402
from estimator import calculations as calc  # noqa: E402
from estimator import services  # noqa: E402
from portal.models import User  # noqa: E402

MODELS = ["llama-3-8b", "llama-3-70b", "gpt-4o", "gpt-4o-mini", "mistral-large-2", "gemini-2.5-flash"]
REGIONS = ["europe-west9", "us-central1", "asia-south1", "europe-north1"]


def core_rate(seconds: float = 3.0) -> tuple[float, float]:
    """Text estimates per second: the pure method, and the service (reference data cached)."""
    ref = services.reference_data()
    specs = [services.text_model(ref.models[slug]) for slug in MODELS]
    places = [services.place_resolve(region=name) for name in REGIONS]
    datacenter = services.datacenter_for(places[0], None, None)
    count, start, index = 0, time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        for _ in range(1000):
            index += 1
            calc.text_footprint(
                model=specs[index % len(specs)],
                output_tokens=100 + index % 900,
                input_tokens=index % 2000,
                requests=1 + index % 50,
                iterations=1 + index % 3,
                location=places[index % len(places)].location,
                datacenter=datacenter,
            )
        count += 1000
    core = count / (time.perf_counter() - start)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(200):
            index += 1
            services.estimate_text(
                model=MODELS[index % len(MODELS)],
                output_tokens=100 + index % 900,
                input_tokens=index % 2000,
                requests=1 + index % 50,
                region=REGIONS[index % len(REGIONS)],
            )
        count += 200
    return core, count / (time.perf_counter() - start)


def api_ratio(rounds: int = 7, per_round: int = 150) -> dict[str, float]:
    user = User.objects.create_user("bench", "bench@example.org", "bench-password-123")
    _token, key = token_create(user=user, name="bench")
    client = Client(headers={"Authorization": f"Token {key}"})
    payload = json.dumps(
        {
            "kind": "text",
            "model": "llama-3-70b",
            "output_tokens": 400,
            "input_tokens": 300,
            "region": "europe-west9",
        }
    )
    assert (
        client.post(
            "/api/v1/estimator/estimates/", payload, content_type="application/json", secure=True
        ).status_code
        == 200
    )
    assert client.get("/bench/bare/", secure=True).status_code == 200
    bare_rates, api_rates = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            client.get("/bench/bare/", secure=True)
        bare_rates.append(per_round / (time.perf_counter() - start))
        start = time.perf_counter()
        for _ in range(per_round):
            client.post("/api/v1/estimator/estimates/", payload, content_type="application/json", secure=True)
        api_rates.append(per_round / (time.perf_counter() - start))
    bare, api = statistics.median(bare_rates), statistics.median(api_rates)
    return {"bare_view_rps": bare, "api_rps": api, "ratio": api / bare}


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        core, service = core_rate()
        api = api_ratio()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"core text estimates per second (one core):     {core:>10,.0f}   (aim ≥ 5,000)")
    print(f"service text estimates per second (one core):  {service:>10,.0f}")
    print(f"bare Django JSON view, requests per second:    {api['bare_view_rps']:>10,.0f}")
    print(f"POST /api/v1/estimator/estimates/, per second: {api['api_rps']:>10,.0f}")
    print(f"API ÷ bare view:                               {api['ratio']:>10.2f}   (aim ≥ 0.6)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
