"""Yearly targets and the organisation's reporting settings (AI-literacy refresher, self-hosted models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Department


class Target(models.Model):
    """A yearly emissions target (optionally energy) for the organisation (no department) or a department."""

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: the whole organisation."),
    )
    emissions_kgco2e = models.FloatField(_("emissions target (kgCO2e)"))
    energy_kwh = models.FloatField(_("energy target (kWh)"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "department__name"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="target_once_per_department"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(department__isnull=True), name="target_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(emissions_kgco2e__gt=0), name="target_emissions_positive"),
            models.CheckConstraint(
                condition=Q(energy_kwh__isnull=True) | Q(energy_kwh__gt=0), name="target_energy_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department or '*'}: {self.emissions_kgco2e} kgCO2e"


class ReportSettings(models.Model):
    """Organisation settings of the reports (one row, edited by admins)."""

    refresher_months = models.PositiveSmallIntegerField(
        _("AI-literacy refresher after (months)"),
        default=12,
        help_text=_("A completed training is due for a refresher this many months after its completion."),
    )
    self_hosted_models = models.ManyToManyField(
        "estimator.AIModel",
        verbose_name=_("self-hosted models"),
        blank=True,
        help_text=_(
            "Models the organisation runs on its own infrastructure: their usage is reported as GHG Protocol "
            "Scope 2 (purchased electricity) instead of Scope 3 category 1 (purchased services)."
        ),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(_("Report settings"))
