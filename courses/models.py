"""Prompting training whose effect is measured: courses, modules, quizzes, practice tasks and attempts.

Content is bilingual: each text has an English and a French field; `localized()` picks the active one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    class Meta:
        abstract = True

    def localized(self, name: str) -> str:
        french = getattr(self, f"{name}_fr", "")
        return french if get_language() == "fr" and french else getattr(self, f"{name}_en")


class Course(Bilingual):
    slug = models.SlugField(_("slug"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"))
    summary_fr = models.TextField(_("summary (French)"))
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def localized_summary(self) -> str:
        return self.localized("summary")


class Module(Bilingual):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    body_en = models.TextField(_("lesson (English, Markdown)"))
    body_fr = models.TextField(_("lesson (French, Markdown)"))
    pass_mark_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="module_order_unique"),
            models.CheckConstraint(name="module_pass_mark_percent", condition=Q(pass_mark_percent__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title_en}"

    @property
    def title(self) -> str:
        return self.localized("title")


class Question(Bilingual):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    text_en = models.TextField(_("question (English)"))
    text_fr = models.TextField(_("question (French)"))

    class Meta:
        ordering = ["module", "order"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self) -> str:
        return self.text_en


class Choice(Bilingual):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_en = models.CharField(_("answer (English)"), max_length=300)
    text_fr = models.CharField(_("answer (French)"), max_length=300)
    correct = models.BooleanField(_("correct"), default=False)
    feedback_en = models.TextField(_("feedback (English)"))
    feedback_fr = models.TextField(_("feedback (French)"))

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text_en


class PracticeTask(Bilingual):
    """A task learners do before and after the modules. Sets A and B are parallel (same difficulty)."""

    class Set(models.TextChoices):
        A = "A", "A"
        B = "B", "B"

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="tasks")
    set = models.CharField(_("set"), max_length=1, choices=Set.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    brief_en = models.TextField(_("brief (English)"))
    brief_fr = models.TextField(_("brief (French)"))
    checklist_en = models.TextField(_("checklist (English, one item per line)"))
    checklist_fr = models.TextField(_("checklist (French, one item per line)"))

    class Meta:
        ordering = ["course", "set", "order"]
        verbose_name = _("practice task")
        verbose_name_plural = _("practice tasks")
        constraints = [models.UniqueConstraint(fields=["course", "set", "order"], name="task_order_unique")]

    def __str__(self) -> str:
        return f"{self.set}{self.order}. {self.title_en}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def localized_brief(self) -> str:
        return self.localized("brief")

    @property
    def checklist(self) -> list[str]:
        return [line.strip() for line in self.localized("checklist").splitlines() if line.strip()]


class Enrollment(models.Model):
    """A learner in a course, with the practice set they do first (counterbalanced across learners)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    first_set = models.CharField(_("set done first"), max_length=1, choices=PracticeTask.Set.choices)
    share_results = models.BooleanField(_("show my measured change on my certificate"), default=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def second_set(self) -> str:
        return PracticeTask.Set.B if self.first_set == PracticeTask.Set.A else PracticeTask.Set.A


class QuizResult(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="quiz_results")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="results")
    score_percent = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["enrollment", "module"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "module"], name="quiz_result_unique")]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.module}: {self.score_percent} %"


class TaskAttempt(models.Model):
    class Phase(models.TextChoices):
        BEFORE = "before", _("Before the modules")
        AFTER = "after", _("After the modules")

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Checklist met")
        GAVE_UP = "gave_up", _("Gave up")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    task = models.ForeignKey(PracticeTask, on_delete=models.PROTECT, related_name="attempts")
    phase = models.CharField(_("phase"), max_length=6, choices=Phase.choices)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "phase", "task"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "task"], name="attempt_unique")]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.task} · {self.outcome}"


class Iteration(models.Model):
    """One prompt sent while doing a task: the unit the training tries to reduce."""

    class Source(models.TextChoices):
        ENDPOINT = "endpoint", _("Generated by the configured endpoint")
        MANUAL = "manual", _("Logged by hand")
        DEMO = "demo", _("Demo data")

    attempt = models.ForeignKey(TaskAttempt, on_delete=models.CASCADE, related_name="iterations")
    number = models.PositiveSmallIntegerField(_("number"))
    prompt = models.TextField(_("prompt"))
    prompt_tokens = models.PositiveIntegerField(_("prompt size (tokens)"))
    output_text = models.TextField(_("output"), blank=True)
    output_tokens = models.PositiveIntegerField(_("output size (tokens)"), default=0)
    images = models.PositiveSmallIntegerField(_("images"), default=0)
    image_width = models.PositiveIntegerField(_("image width (px)"), null=True, blank=True)
    image_height = models.PositiveIntegerField(_("image height (px)"), null=True, blank=True)
    model = models.CharField(_("model (catalogue slug)"), max_length=120)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["attempt", "number"]
        constraints = [models.UniqueConstraint(fields=["attempt", "number"], name="iteration_number_unique")]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.number}"


class TrainingSettings(models.Model):
    """Organisation settings of the training and its measurement (one row, edited by admins)."""

    tasks_per_employee_per_year = models.PositiveIntegerField(
        _("GenAI tasks per employee per year"),
        default=400,
        help_text=_("To project the avoided emissions over a year."),
    )
    region = models.CharField(
        _("cloud region of practice generations"),
        max_length=40,
        default="europe-west9",
        help_text=_("Where the practice outputs are assumed to be generated, for their footprint."),
    )
    text_model = models.CharField(
        _("text model (catalogue slug) when logging by hand"), max_length=120, default="gpt-4o-mini"
    )
    image_model = models.CharField(_("image model (catalogue slug)"), max_length=120, default="sdxl")
    endpoint_base_url = models.URLField(
        _("OpenAI-compatible endpoint (base URL)"),
        blank=True,
        help_text=_(
            "e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama). Empty: learners log by hand."
        ),
    )
    endpoint_model = models.CharField(_("model name at the endpoint"), max_length=120, blank=True)
    endpoint_catalogue_model = models.CharField(
        _("the same model in our catalogue (slug)"),
        max_length=120,
        blank=True,
        help_text=_("For its footprint."),
    )
    endpoint_timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=30)

    class Meta:
        verbose_name = _("training settings")
        verbose_name_plural = _("training settings")

    def __str__(self) -> str:
        return str(_("Training settings"))

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.endpoint_base_url and self.endpoint_model)
