"""Use cases of generative AI, weighed value against footprint, and their append-only audit trail."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

# Sane limits for what people type (issue 14): a page of text, a paragraph of notes. Forms and the API
# refuse longer text with the field named; the model validates it too (a TextField's max_length alone
# is not checked by full_clean).
TEXT_MAX_CHARS = 4000
NOTE_MAX_CHARS = 2000


def limited_text(verbose_name: Any, max_chars: int, **options: Any) -> models.TextField:
    return models.TextField(
        verbose_name, max_length=max_chars, validators=[MaxLengthValidator(max_chars)], **options
    )


class UseCase(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        UNDER_REVIEW = "under_review", _("Under re-review")
        RETIRED = "retired", _("Retired")

    class TaskType(models.TextChoices):
        TEXT_GENERATION = "text_generation", _("Text generation")
        SUMMARISATION = "summarisation", _("Summarisation")
        TRANSLATION = "translation", _("Translation")
        TRANSCRIPTION = "transcription", _("Transcription")
        IMAGE_GENERATION = "image_generation", _("Image generation")
        CODE = "code", _("Code")
        OTHER = "other", _("Other")

    class AiActTier(models.TextChoices):
        MINIMAL = "minimal", _("Minimal risk")
        LIMITED = "limited", _("Limited risk (transparency duties)")
        HIGH = "high", _("High risk")
        PROHIBITED = "prohibited", _("Prohibited practice")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="use_cases"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="joined_use_cases", blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = limited_text(_("description"), TEXT_MAX_CHARS)
    task_type = models.CharField(_("task type"), max_length=20, choices=TaskType.choices)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="use_cases"
    )
    # Usage profile
    model = models.ForeignKey(
        "estimator.AIModel", verbose_name=_("model"), on_delete=models.PROTECT, related_name="use_cases"
    )
    region = models.CharField(_("cloud region"), max_length=40)
    requests_per_month = models.PositiveIntegerField(_("requests per month"))
    input_tokens = models.PositiveIntegerField(_("input tokens per request"), default=0)
    output_tokens = models.PositiveIntegerField(_("output tokens per request"), default=0)
    images_per_request = models.PositiveIntegerField(_("images per request"), default=0)
    image_width = models.PositiveIntegerField(_("image width (px)"), null=True, blank=True)
    image_height = models.PositiveIntegerField(_("image height (px)"), null=True, blank=True)
    iterations_per_task = models.FloatField(_("prompts per task"), default=1)
    users = models.PositiveIntegerField(_("number of users"))
    # Value
    value_environmental = models.PositiveSmallIntegerField(_("environmental value (0–5)"))
    value_social = models.PositiveSmallIntegerField(_("social value (0–5)"))
    value_economic = models.PositiveSmallIntegerField(_("economic value (0–5)"))
    value_justification = limited_text(_("justification of the value"), TEXT_MAX_CHARS)
    alternatives = limited_text(
        _("alternatives considered"), TEXT_MAX_CHARS, help_text=_("Including doing it without AI.")
    )
    # Risk screen
    personal_data = models.BooleanField(_("processes personal data"), default=False)
    public_facing = models.BooleanField(_("output shown to the public"), default=False)
    ai_act_tier = models.CharField(_("EU AI Act tier"), max_length=12, choices=AiActTier.choices)
    # Workflow
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    conditions = limited_text(_("conditions of approval"), NOTE_MAX_CHARS, blank=True)
    footprint = models.JSONField(_("yearly footprint"), null=True, blank=True)
    estimator_version = models.CharField(_("estimator version"), max_length=20, blank=True)
    # Set by the approval: what the use case may emit in a year. Drift is measured against it.
    budget_kgco2e_per_year = models.FloatField(
        _("yearly footprint budget (kgCO2e)"),
        null=True,
        blank=True,
        help_text=_("Set when approved: by default the approved estimate's high bound."),
    )
    budget_reason = limited_text(
        _("reason for the budget"),
        NOTE_MAX_CHARS,
        blank=True,
        help_text=_("Why the decider set a budget other than the default."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    review_due_on = models.DateField(_("re-review due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")
        constraints = [
            models.CheckConstraint(
                name="usecase_values_0_to_5",
                condition=Q(value_environmental__lte=5, value_social__lte=5, value_economic__lte=5),
            ),
            models.CheckConstraint(
                name="usecase_iterations_at_least_1", condition=Q(iterations_per_task__gte=1)
            ),
            models.CheckConstraint(
                name="usecase_budget_positive",
                condition=Q(budget_kgco2e_per_year__isnull=True) | Q(budget_kgco2e_per_year__gt=0),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def value_score(self) -> float:
        """The mean of the three value axes, 0 to 5."""
        return (self.value_environmental + self.value_social + self.value_economic) / 3

    @property
    def is_image(self) -> bool:
        return self.task_type == self.TaskType.IMAGE_GENERATION

    @property
    def yearly_emissions_kgco2e(self) -> float | None:
        return self.footprint["emissions_kgco2e"]["central"] if self.footprint else None

    @property
    def default_budget_kgco2e_per_year(self) -> float | None:
        """The budget an approval sets unless its decider says otherwise: the estimate's high bound."""
        return default_budget(self.footprint)


def default_budget(footprint: dict[str, Any] | None) -> float | None:
    """A yearly footprint's high bound of emissions (kgCO2e), the default budget (also for migrations)."""
    return float(footprint["emissions_kgco2e"]["high"]) if footprint else None


# Statuses that wait for a decider.
DECIDABLE_STATUSES = (UseCase.Status.SUBMITTED, UseCase.Status.UNDER_REVIEW)


class UseCaseEvent(models.Model):
    """One transition of a use case. Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE."""

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty when the portal acted on its own (scheduled re-review, usage drift)."),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=UseCase.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=UseCase.Status.choices)
    comment = limited_text(_("comment"), NOTE_MAX_CHARS, blank=True)
    conditions = limited_text(_("conditions"), NOTE_MAX_CHARS, blank=True)
    footprint = models.JSONField(_("footprint at the time"), null=True, blank=True)
    estimator_version = models.CharField(_("estimator version"), max_length=20, blank=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("The fields an edit changed: {field: [before, after]}."),
    )
    cause = models.JSONField(
        _("cause"),
        default=dict,
        blank=True,
        help_text=_(
            "Why the portal (or an edit) started this step, as data: {code, figures}. Pages and e-mails "
            "word it in their reader's language; the comment keeps the words it was recorded with."
        ),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("use-case event")
        verbose_name_plural = _("use-case events")

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_status or '∅'} → {self.to_status}"

    def change_rows(self) -> list[tuple[str, object, object]]:
        """The changed fields as (label, before, after), choices shown by their label."""
        rows = []
        for name, (before, after) in self.changes.items():
            field = UseCase._meta.get_field(name)
            assert isinstance(field, models.Field)  # the audit trail records the use case's own fields
            labels = dict(field.flatchoices) if field.choices else {}
            rows.append((str(field.verbose_name), _shown(labels, before), _shown(labels, after)))
        return rows


def _shown(labels: dict[Any, Any], value: Any) -> Any:
    """A recorded value as people read it: a choice by its label, a decimal number localised."""
    if isinstance(value, float):
        return floatformat(value, "-3g")
    return labels.get(value, value)


class Notification(models.Model):
    """An e-mail the portal sent, by a unique key, so that a task run twice sends it once."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key


class MatrixThresholds(models.Model):
    """Where the value × impact matrix splits (one row, edited by admins)."""

    value_threshold = models.FloatField(
        _("value threshold (mean score, 0–5)"), default=2.5, help_text=_("At or above: high value.")
    )
    impact_threshold_kgco2e = models.FloatField(
        _("impact threshold (kgCO2e per year)"), default=1000, help_text=_("At or above: high impact.")
    )

    class Meta:
        verbose_name = _("value × impact matrix thresholds")
        verbose_name_plural = _("value × impact matrix thresholds")
        constraints = [
            models.CheckConstraint(
                name="thresholds_in_range",
                condition=Q(value_threshold__gte=0, value_threshold__lte=5, impact_threshold_kgco2e__gt=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.value_threshold} / {self.impact_threshold_kgco2e} kgCO2e"
