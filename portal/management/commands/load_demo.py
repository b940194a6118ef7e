from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, demo_organisation_load


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent). Demo data only: never run in production."

    def handle(self, *args: object, **options: object) -> None:
        users = demo_organisation_load()
        self.stdout.write(
            f"Demo organisation ready: {len(users)} users, password {DEMO_PASSWORD!r} (demo only)."
        )
        for user in users:
            self.stdout.write(f"  {user.username:<8} {user.get_role_display():<14} {user.department}")
