"""A year of demo usage for the demo organisation (`manage.py load_demo`). Demo data only."""

import datetime
import random

from django.utils import timezone

from estimator.models import AIModel
from governance.models import UseCase
from portal.models import Department, User
from usage import rollups
from usage import services as usage
from usage.connectors.demo import demo_connections_load

# A year of usage: (department, model, region, requests a day, input and output tokens per request,
# images per request, use case title or None).
DEMO_USAGE = [
    ("Marketing", "gpt-4o", "us-central1", 180, 900, 450, 0, None),
    (
        "Marketing",
        "llama-3.1-70b",
        "europe-west9",
        400,
        3000,
        3000,
        0,
        "Translate product documentation into five languages",
    ),
    ("Marketing", "sdxl", "us-central1", 12, 0, 0, 4, None),
    ("Finance", "gpt-4o-mini", "europe-west1", 260, 1200, 300, 0, None),
    ("Finance", "mistral-small", "europe-west9", 40, 6000, 400, 0, None),
    (
        "Customer service",
        "llama-3-70b",
        "europe-north1",
        2500,
        800,
        300,
        0,
        "Draft replies for customer-service tickets",
    ),
    ("Customer service", "gpt-4o-mini", "us-east4", 900, 600, 250, 0, None),
]


def demo_usage_load(days: int = 365) -> None:
    """A year of daily usage records for the demo departments (source "demo"), the demo connections, then
    the rollups."""
    today = timezone.localdate()
    rng = random.Random(55)
    departments = dict(Department.objects.values_list("name", "id"))
    models = dict(AIModel.objects.values_list("slug", "id"))
    use_cases = dict(UseCase.objects.values_list("title", "id"))
    rows = []
    for offset in range(days, 0, -1):
        day = today - datetime.timedelta(days=offset)
        weekday_factor = 0.15 if day.weekday() >= 5 else 1.0
        growth = 0.6 + 0.8 * (days - offset) / days  # adoption grows over the year
        for index, (department, model, region, per_day, tokens_in, tokens_out, images, use_case) in enumerate(
            DEMO_USAGE
        ):
            requests = max(1, round(per_day * weekday_factor * growth * rng.uniform(0.7, 1.3)))
            rows.append(
                (
                    day, departments[department], use_cases.get(use_case) if use_case else None, models[model], region,
                    requests, requests * tokens_in, requests * tokens_out, requests * images,
                    1024 if images else None, 1024 if images else None, "demo", f"{day.isoformat()}-{index}",
                )
            )  # fmt: skip
    for start in range(0, len(rows), usage.BATCH_ROWS):
        usage.insert_records(rows[start : start + usage.BATCH_ROWS])
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    demo_connections_load(admin=admin)  # buckets made here: no network call
    rollups.rollups_recompute()
    rollups.usage_drift_check()
