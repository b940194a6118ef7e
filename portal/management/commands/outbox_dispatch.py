from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.outbox import outbox_sweep


class Command(BaseCommand):
    help = "Send the queued tasks the broker could not take yet (the beat task does this every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_sweep()
        self.stdout.write(f"{result.sent} sent, {result.pending} pending")
        if result.error:
            raise CommandError(f"the broker refused: {result.error}")
