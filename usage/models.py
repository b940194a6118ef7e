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
    requests = models.PositiveBigIntegerField(_("requests"))
    input_tokens = models.BigIntegerField(_("input tokens"), default=0)
    output_tokens = models.BigIntegerField(_("output tokens"), default=0)
    images = models.PositiveBigIntegerField(_("images"), default=0)
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
    """A CSV or XLSX file of usage records: checked in full first, then imported in the background. An
    admin may undo a finished import: its records are removed, the import stays (status undone) with its
    audit events."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Invalid: nothing imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        UNDONE = "undone", _("Undone: its records removed")

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
    # The lease of the run in progress: its number, and when it last reported progress. A run whose
    # heartbeat is older than USAGE_IMPORT_LEASE_S has died; the next one takes over (usage/services.py).
    attempt = models.PositiveIntegerField(default=0, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once, by the undo (usage/services.py); the audit event says the same and stays.
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True, editable=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    removed_rows = models.PositiveIntegerField(_("records removed"), default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("usage import")
        verbose_name_plural = _("usage imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (
            self.Status.INVALID,
            self.Status.DONE,
            self.Status.FAILED,
            self.Status.CANCELLED,
            self.Status.UNDONE,
        )

    @property
    def undoable(self) -> bool:
        """Finished, and it added records that are not undone yet (usage_import_undo checks again)."""
        return self.status == self.Status.DONE and self.inserted_rows > 0

    @property
    def succeeded(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def percent(self) -> int:
        """Progress through the file (checking, then inserting, take about equal time). A done or invalid
        import has been read in full; a failed or cancelled one shows how far it got, not 100 %."""
        if self.status in (self.Status.DONE, self.Status.INVALID, self.Status.UNDONE):
            return 100
        return min(99, round(100 * self.processed_bytes / self.file_bytes)) if self.file_bytes else 0


class UsageImportEvent(models.Model):
    """The audit trail of an import's admin actions: who, when, what, and how many records it removed.
    Written by the services only, with the change it records; never changed afterwards."""

    class Action(models.TextChoices):
        RETRIED = "retried", _("retried")
        CANCELLED = "cancelled", _("cancelled")
        UNDONE = "undone", _("undone")

    usage_import = models.ForeignKey(UsageImport, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    records_removed = models.PositiveIntegerField(_("records removed"), default=0)
    months = models.JSONField(_("months refreshed"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("usage import event")
        verbose_name_plural = _("usage import events")

    def __str__(self) -> str:
        return f"{self.usage_import_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


# --- Connections to the providers' usage APIs, a gateway, and OpenTelemetry -------------------------


class Connection(models.Model):
    """Where usage comes from without a file: a provider's usage API, a LiteLLM proxy, or OTLP traces."""

    class Kind(models.TextChoices):
        OPENAI = "openai", _("OpenAI organisation usage API")
        ANTHROPIC = "anthropic", _("Anthropic usage report API")
        LITELLM = "litellm", _("LiteLLM proxy spend logs")
        OTLP = "otlp", _("OpenTelemetry GenAI traces (OTLP/HTTP)")

    class Schedule(models.IntegerChoices):
        HOURLY = 1, _("every hour")
        SIX_HOURLY = 6, _("every 6 hours")
        DAILY = 24, _("every day")
        MANUAL = 0, _("only when asked")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    base_url = models.URLField(
        _("base URL"),
        blank=True,
        help_text=_("Leave empty for the provider's own API; a LiteLLM proxy's address is required."),
    )
    secret_encrypted = models.TextField(editable=False, blank=True)
    secret_set_at = models.DateTimeField(_("credentials saved at"), null=True, blank=True, editable=False)
    ingest_token_sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    default_region = models.CharField(
        _("default region or country"),
        max_length=40,
        help_text=_(
            "Where the usage ran when neither the provider nor a mapping rule says (e.g. us-east1, FRA)."
        ),
    )
    schedule_hours = models.PositiveSmallIntegerField(
        _("schedule"), choices=Schedule.choices, default=Schedule.DAILY
    )
    next_sync_at = models.DateTimeField(_("next sync"), null=True, blank=True)
    synced_through = models.DateField(_("synced through"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("usage connection")
        verbose_name_plural = _("usage connections")

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        """The `source` of the usage records this connection writes."""
        return f"connection-{self.pk}"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted or self.ingest_token_sha256)


class MappingRule(models.Model):
    """Provider project / workspace / API key / team / tag → department and, optionally, use case and region."""

    class Field(models.TextChoices):
        PROJECT = "project", _("project")
        WORKSPACE = "workspace", _("workspace")
        API_KEY = "api_key", _("API key")
        TEAM = "team", _("team")
        TAG = "tag", _("tag")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="rules")
    field = models.CharField(_("match on"), max_length=10, choices=Field.choices)
    value = models.CharField(_("value"), max_length=200)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT)
    use_case = models.ForeignKey(
        "governance.UseCase", verbose_name=_("use case"), on_delete=models.SET_NULL, null=True, blank=True
    )
    region = models.CharField(
        _("region or country"), max_length=40, blank=True, help_text=_("Empty: the connection's default.")
    )

    class Meta:
        ordering = ["connection", "field", "value"]
        verbose_name = _("mapping rule")
        verbose_name_plural = _("mapping rules")
        constraints = [
            models.UniqueConstraint(fields=["connection", "field", "value"], name="mapping_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.value} → {self.department}"


class SyncRun(models.Model):
    """One sync of a connection: when, who or the schedule, which days, what it added, or why it failed."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        MANUAL = "manual", _("sync now")
        BACKFILL = "backfill", _("backfill")
        DEMO = "demo", _("demo data")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed: nothing changed")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    buckets_read = models.PositiveIntegerField(_("buckets read"), default=0)
    buckets_added = models.PositiveIntegerField(_("buckets added"), default=0)
    records_written = models.PositiveIntegerField(_("usage records"), default=0)
    unattributed_buckets = models.PositiveIntegerField(_("unattributed buckets"), default=0)
    unknown_models = models.JSONField(_("unknown models"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")

    def __str__(self) -> str:
        return f"{self.connection} {self.start_date}–{self.end_date} {self.status}"


class ProviderUsage(models.Model):
    """A daily bucket exactly as the provider reported it, with the department, use case and region the
    mapping rules give it (none: unattributed). Usage records are derived from these rows, so a new
    rule re-attributes past usage without asking the provider again."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="usage")
    external_id = models.CharField(max_length=120)
    date = models.DateField(_("date"))
    model_name = models.CharField(_("model (as reported)"), max_length=200)
    model = models.ForeignKey("estimator.AIModel", on_delete=models.PROTECT, null=True, blank=True)
    provider = models.CharField(max_length=100, blank=True)
    project = models.CharField(_("project"), max_length=200, blank=True)
    workspace = models.CharField(_("workspace"), max_length=200, blank=True)
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    team = models.CharField(_("team"), max_length=200, blank=True)
    user = models.CharField(_("user"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    requests = models.BigIntegerField(_("requests"), default=0)
    requests_lower_bound = models.BooleanField(default=False)
    input_tokens = models.BigIntegerField(default=0)
    cache_read_tokens = models.BigIntegerField(default=0)
    cache_creation_tokens = models.BigIntegerField(default=0)
    output_tokens = models.BigIntegerField(default=0)
    images = models.BigIntegerField(default=0)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)
    use_case = models.ForeignKey("governance.UseCase", on_delete=models.SET_NULL, null=True, blank=True)
    region = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("provider usage bucket")
        verbose_name_plural = _("provider usage buckets")
        constraints = [
            models.UniqueConstraint(fields=["connection", "external_id"], name="provider_usage_once")
        ]
        indexes = [models.Index(fields=["connection", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.model_name} ×{self.requests}"


class OtlpSpan(models.Model):
    """A GenAI span already counted, so an exporter's retry never counts it twice."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    span_key = models.CharField(max_length=48)
    date = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["connection", "span_key"], name="otlp_span_once")]

    def __str__(self) -> str:
        return self.span_key
