from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "usage"
    verbose_name = _("Usage and emissions")

    def ready(self) -> None:
        # Registers the tasks that services enqueue by name (portal.celery.enqueue_on_commit).
        from usage import tasks  # noqa: F401
