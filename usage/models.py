"""The organisation's actual GenAI usage: records, their CSV imports and the monthly rollups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Department


class UsageRecord(models.Model):
    """Actual GenAI usage, imported from CSV or sent to the API. (source, external_id) is unique, so the
    same record sent twice counts once."""

    date = models.DateField(_("date"))
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT)
    use_case = models.ForeignKey(
        "governance.UseCase", verbose_name=_("use case"), on_delete=models.PROTECT, null=True, blank=True
    )
    model = models.ForeignKey("estimator.AIModel", verbose_name=_("model"), on_delete=models.PROTECT)
    region = models.CharField(_("region or country"), max_length=40)
    requests = models.PositiveIntegerField(_("requests"))
    input_tokens = models.BigIntegerField(_("input tokens"), default=0)
    output_tokens = models.BigIntegerField(_("output tokens"), default=0)
    images = models.PositiveIntegerField(_("images"), default=0)
    image_width = models.PositiveIntegerField(_("image width (px)"), null=True, blank=True)
    image_height = models.PositiveIntegerField(_("image height (px)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=60)
    external_id = models.CharField(_("external id"), max_length=120)
    usage_import = models.ForeignKey(
        "UsageImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        editable=False,
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="usage_record_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.department_id} {self.model_id} ×{self.requests}"


class MonthlyRollup(models.Model):
    """Usage and its footprint per (month, department, use case, model, region): what dashboards read."""

    month = models.DateField(_("month"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE)
    use_case = models.ForeignKey("governance.UseCase", on_delete=models.CASCADE, null=True, blank=True)
    model = models.ForeignKey("estimator.AIModel", on_delete=models.CASCADE)
    region = models.CharField(max_length=40)
    requests = models.BigIntegerField()
    input_tokens = models.BigIntegerField()
    output_tokens = models.BigIntegerField()
    images = models.BigIntegerField()
    energy_kwh_low = models.FloatField()
    energy_kwh_central = models.FloatField()
    energy_kwh_high = models.FloatField()
    emissions_kgco2e_low = models.FloatField()
    emissions_kgco2e_central = models.FloatField()
    emissions_kgco2e_high = models.FloatField()
    usage_emissions_kgco2e_central = models.FloatField()
    water_l_low = models.FloatField()
    water_l_central = models.FloatField()
    water_l_high = models.FloatField()
    estimator_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        indexes = [models.Index(fields=["month", "department"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id} {self.model_id} {self.region}"


class UsageImport(models.Model):
    """A CSV file of usage records: checked in full first, then imported in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Invalid: nothing imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_bytes = models.BigIntegerField(default=0)
    processed_bytes = models.BigIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    inserted_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text=_("The first bad rows: line, column, reason."))
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usage import")
        verbose_name_plural = _("usage imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.INVALID, self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        """Progress through the file (checking, then inserting, take about equal time)."""
        if self.finished:
            return 100
        return min(99, round(100 * self.processed_bytes / self.file_bytes)) if self.file_bytes else 0
