"""`manage.py recompute_usage_emissions [--dry-run] [--batch-months N]`: after an estimator method change,
recompute the monthly rollups an earlier version computed, month by month (usage.rollups)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from estimator.calculations import ESTIMATOR_VERSION
from usage import rollups


class Command(BaseCommand):
    help = (
        "Recompute the usage rollups computed with an earlier estimator version (each batch of months in "
        "its own transaction; safe to run again), then check approved use cases for drift."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list the outdated months, change nothing")
        parser.add_argument(
            "--batch-months", type=int, default=1, help="months recomputed per transaction (default 1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_months"] < 1:
            raise CommandError("--batch-months: must be at least 1.")
        outdated = rollups.rollups_outdated()
        if not outdated:
            self.stdout.write(f"Every rollup is from estimator {ESTIMATOR_VERSION}: nothing to recompute.")
            return
        for month, versions in outdated.items():
            self.stdout.write(f"{month:%Y-%m}: estimator {', '.join(sorted(versions))}")
        if options["dry_run"]:
            self.stdout.write(
                f"{len(outdated)} month(s) to recompute with estimator {ESTIMATOR_VERSION} (dry run)."
            )
            return
        result = rollups.rollups_recompute_outdated(batch_months=options["batch_months"])
        started = rollups.usage_drift_check()
        self.stdout.write(
            f"Recomputed {len(result.months)} month(s), {result.rollups} rollup(s), with estimator "
            f"{ESTIMATOR_VERSION} (were {', '.join(result.versions)}); {len(started)} re-review(s) started "
            "for drift."
        )
