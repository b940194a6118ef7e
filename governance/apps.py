from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Use-case governance")

    def ready(self) -> None:
        # Registers the tasks that services enqueue by name (portal.celery.enqueue_on_commit).
        from governance import tasks  # noqa: F401
