from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "usage"
    verbose_name = _("Usage and emissions")

    def ready(self) -> None:
        # Apps must be loaded first. The tasks: services enqueue them by name (portal.celery.enqueue_on_commit).
        # The reader of use cases' actual emissions: governance shows them against their budgets, usage
        # measures them (governance.actuals; governance imports nothing from usage).
        from governance import actuals
        from usage import rollups, tasks  # noqa: F401

        actuals.register(rollups.use_case_emissions_to_date)
