"""Courses services: enrolment, practice iterations, the quality gate, quizzes, progress and results.

The measurement protocol: each learner does one set of practice tasks before the modules and the
parallel set after (which set first is balanced across learners). Each prompt is one iteration; a task
ends when the learner ticks its whole checklist (the quality gate) or gives up.
"""

from __future__ import annotations

import datetime
import math
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses import llm
from courses.models import (
    Course,
    Enrollment,
    Iteration,
    Module,
    PracticeTask,
    QuizResult,
    TaskAttempt,
    TrainingSettings,
)
from courses.statistics import PairedChange, paired_change
from estimator import services as estimator
from portal.models import User

Phase = TaskAttempt.Phase
Outcome = TaskAttempt.Outcome
# OpenAI's rules of thumb for English: about 4 characters, or 0.75 words, per token.
CHARACTERS_PER_TOKEN = 4
WORDS_PER_TOKEN = 0.75
API_KEY_VARIABLE = "COURSES_LLM_API_KEY"
REMINDER_AFTER = datetime.timedelta(days=7)


def training_settings() -> TrainingSettings:
    return TrainingSettings.objects.get_or_create(pk=1)[0]


def tokens_of_text(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARACTERS_PER_TOKEN))


def tokens_of_words(words: int) -> int:
    return round(words / WORDS_PER_TOKEN)


# --- Enrolment and progress ----------------------------------------------------------------------


@transaction.atomic
def course_enroll(*, user: User, course: Course) -> Enrollment:
    """Enrol once. The set done first is the one fewer learners started with (random on a tie)."""
    Course.objects.select_for_update().get(pk=course.pk)  # one enrolment at a time keeps the balance
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    counts = dict(
        Enrollment.objects.filter(course=course)
        .values_list("first_set")
        .annotate(n=Count("id"))
        .values_list("first_set", "n")
    )
    a, b = counts.get("A", 0), counts.get("B", 0)
    first = "A" if a < b else "B" if b < a else random.choice("AB")
    return Enrollment.objects.create(user=user, course=course, first_set=first)


@dataclass
class Step:
    kind: str  # "task" or "module"
    item: PracticeTask | Module
    done: bool
    available: bool
    attempt: TaskAttempt | None = None
    result: QuizResult | None = None


@dataclass
class Progress:
    before: list[Step]
    modules: list[Step]
    after: list[Step]
    phase: str  # "before", "modules", "after" or "done"
    completed_percent: int = field(default=0)


def progress(enrollment: Enrollment) -> Progress:
    tasks = list(enrollment.course.tasks.all())
    attempts = {attempt.task_id: attempt for attempt in enrollment.attempts.all()}
    results = {result.module_id: result for result in enrollment.quiz_results.all()}

    def task_steps(task_set: str, available: bool) -> list[Step]:
        return [
            Step(
                "task",
                task,
                done=task.pk in attempts and attempts[task.pk].outcome != Outcome.IN_PROGRESS,
                available=available,
                attempt=attempts.get(task.pk),
            )
            for task in tasks
            if task.set == task_set
        ]

    before = task_steps(enrollment.first_set, True)
    before_done = all(step.done for step in before)
    modules = [
        Step(
            "module",
            module,
            done=bool(results.get(module.pk) and results[module.pk].passed),
            available=before_done,
            result=results.get(module.pk),
        )
        for module in enrollment.course.modules.all()
    ]
    modules_done = before_done and all(step.done for step in modules)
    after = task_steps(enrollment.second_set, modules_done)
    after_done = modules_done and all(step.done for step in after)
    phase = "done" if after_done else "after" if modules_done else "modules" if before_done else "before"
    steps = before + modules + after
    percent = round(100 * sum(step.done for step in steps) / len(steps)) if steps else 0
    return Progress(before, modules, after, phase, percent)


def next_step(progress: Progress) -> Step | None:
    """The first step the learner can take and has not done, in the course's order; None when done."""
    for step in progress.before + progress.modules + progress.after:
        if step.available and not step.done:
            return step
    return None


def _touch(enrollment: Enrollment) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=timezone.now())


def _phase_of(enrollment: Enrollment, task: PracticeTask) -> str:
    state = progress(enrollment)
    for step in state.before:
        if step.item.pk == task.pk:
            return Phase.BEFORE
    for step in state.after:
        if step.item.pk == task.pk:
            if not step.available:
                raise PermissionDenied(_("Finish the modules first: this task measures what they taught."))
            return Phase.AFTER
    raise PermissionDenied(_("This task is not part of your course."))


def attempt_find(*, enrollment: Enrollment, task: PracticeTask) -> TaskAttempt | None:
    """The learner's attempt at a task open to them, if they started it (PermissionDenied if not open)."""
    _phase_of(enrollment, task)
    return TaskAttempt.objects.filter(enrollment=enrollment, task=task).first()


@transaction.atomic
def attempt_start(*, enrollment: Enrollment, task: PracticeTask) -> TaskAttempt:
    phase = _phase_of(enrollment, task)
    attempt, _created = TaskAttempt.objects.get_or_create(
        enrollment=enrollment, task=task, defaults={"phase": phase}
    )
    return attempt


def _check_open(attempt: TaskAttempt) -> None:
    if attempt.outcome != Outcome.IN_PROGRESS:
        raise ValidationError(_("This task is finished: its iterations are recorded."))


def _next_number(attempt: TaskAttempt) -> int:
    return attempt.iterations.count() + 1


def iteration_generate(*, attempt: TaskAttempt, prompt: str) -> Iteration:
    """Send the prompt to the configured endpoint. A failed call raises GenerationError and counts nothing."""
    _check_open(attempt)
    prompt = prompt.strip()
    if not prompt:
        raise ValidationError({"prompt": _("Write a prompt.")})
    config = training_settings()
    if not config.endpoint_configured or attempt.task.kind != PracticeTask.Kind.TEXT:
        raise ValidationError(_("No endpoint generates this output here: log your iteration by hand."))
    completion = llm.chat_completion(
        base_url=config.endpoint_base_url,
        model=config.endpoint_model,
        api_key=os.environ.get(API_KEY_VARIABLE, ""),
        prompt=prompt,
        timeout_seconds=config.endpoint_timeout_seconds,
    )
    with transaction.atomic():
        _check_open(TaskAttempt.objects.select_for_update().get(pk=attempt.pk))  # finished meanwhile?
        iteration = Iteration.objects.create(
            attempt=attempt,
            number=_next_number(attempt),
            prompt=prompt,
            prompt_tokens=completion.prompt_tokens or tokens_of_text(prompt),
            output_text=completion.text,
            output_tokens=completion.completion_tokens or tokens_of_text(completion.text),
            model=config.endpoint_catalogue_model or config.text_model,
            source=Iteration.Source.ENDPOINT,
        )
    _touch(attempt.enrollment)
    return iteration


@transaction.atomic
def iteration_log(
    *,
    attempt: TaskAttempt,
    prompt: str,
    output_words: int | None = None,
    images: int | None = None,
    image_width: int | None = None,
    image_height: int | None = None,
) -> Iteration:
    """Record an iteration done in the learner's own tool: the prompt, and the output's size."""
    _check_open(TaskAttempt.objects.select_for_update().get(pk=attempt.pk))
    prompt = prompt.strip()
    errors: dict[str, str] = {}
    if not prompt:
        errors["prompt"] = _("Paste the prompt you sent.")
    config = training_settings()
    if attempt.task.kind == PracticeTask.Kind.TEXT:
        if output_words is None or output_words < 1:
            errors["output_words"] = _("How many words did the answer have?")
        values = {"output_tokens": tokens_of_words(output_words or 0), "model": config.text_model}
    else:
        if not images or images < 1:
            errors["images"] = _("How many images did this prompt generate?")
        if not image_width or not image_height or min(image_width, image_height) < 64:
            errors["image_width"] = _("Give the images' width and height in pixels.")
        values = {
            "images": images or 0,
            "image_width": image_width,
            "image_height": image_height,
            "model": config.image_model,
        }
    if errors:
        raise ValidationError(errors)
    iteration = Iteration.objects.create(
        attempt=attempt,
        number=_next_number(attempt),
        prompt=prompt,
        prompt_tokens=tokens_of_text(prompt),
        source=Iteration.Source.MANUAL,
        **values,
    )
    _touch(attempt.enrollment)
    return iteration


@transaction.atomic
def attempt_finish(*, attempt: TaskAttempt, outcome: str, checked: list[int] | None = None) -> TaskAttempt:
    """End a task: `met` needs every checklist item ticked and at least one iteration; `gave_up` is
    recorded as such, never as a success."""
    locked = TaskAttempt.objects.select_for_update().get(pk=attempt.pk)
    _check_open(locked)
    if outcome == Outcome.MET:
        if not locked.iterations.exists():
            raise ValidationError(_("Send at least one prompt before the checklist can be met."))
        if sorted(set(checked or [])) != list(range(len(locked.task.checklist))):
            raise ValidationError(
                _("Tick every item of the checklist: it is the quality the result must reach.")
            )
    elif outcome != Outcome.GAVE_UP:
        raise ValidationError(_("Unknown outcome."))
    locked.outcome = outcome
    locked.ended_at = timezone.now()
    locked.save(update_fields=["outcome", "ended_at"])
    enrollment = locked.enrollment
    _touch(enrollment)
    if progress(enrollment).phase == "done" and enrollment.completed_at is None:
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    return locked


@dataclass(frozen=True)
class QuizOutcome:
    score_percent: int
    passed: bool
    feedback: dict[int, tuple[bool, str]]  # question id → (correct, feedback of the chosen answer)


@transaction.atomic
def quiz_submit(*, enrollment: Enrollment, module: Module, answers: dict[int, int]) -> QuizOutcome:
    """Grade a module's quiz: every question answered, feedback per answer, passed at the pass mark."""
    if module.course_id != enrollment.course_id:
        raise PermissionDenied
    if progress(enrollment).phase == "before":
        raise PermissionDenied(_("Do the practice tasks first: they measure where you start from."))
    questions = list(module.questions.prefetch_related("choices"))
    missing = [question for question in questions if question.pk not in answers]
    if missing:
        raise ValidationError(_("Answer every question."))
    feedback = {}
    correct = 0
    for question in questions:
        choice = next((c for c in question.choices.all() if c.pk == answers[question.pk]), None)
        if choice is None:
            raise ValidationError(_("Answer every question."))
        correct += choice.correct
        feedback[question.pk] = (choice.correct, choice.localized("feedback"))
    score = round(100 * correct / len(questions)) if questions else 100
    passed = score >= module.pass_mark_percent
    result, created = QuizResult.objects.get_or_create(
        enrollment=enrollment, module=module, defaults={"score_percent": score, "passed": passed}
    )
    if not created:
        result.attempts += 1
        result.passed = result.passed or passed  # passing once is enough
        result.score_percent = max(result.score_percent, score)
        result.save()
    _touch(enrollment)
    return QuizOutcome(score, passed, feedback)


def share_results_set(*, enrollment: Enrollment, share: bool) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(share_results=share)


# --- Footprints and results ----------------------------------------------------------------------


def iteration_footprint(iteration: Iteration, region: str) -> dict[str, float]:
    """Energy (Wh) and emissions (gCO2e), central, of one iteration, by the estimator."""
    if iteration.images:
        sized = bool(iteration.image_width)
        result = estimator.estimate_image(
            model=iteration.model,
            images=iteration.images,
            region=region,
            width=iteration.image_width if sized else None,
            height=iteration.image_height if sized else None,
        )
    else:
        result = estimator.estimate_text(
            model=iteration.model,
            output_tokens=max(1, iteration.output_tokens),
            input_tokens=iteration.prompt_tokens,
            region=region,
        )
    return {
        "energy_wh": result.energy_kwh.central * 1000,
        "emissions_g": result.emissions_kgco2e.central * 1000,
    }


@dataclass(frozen=True)
class PhaseMeasure:
    tasks_met: int
    tasks_ended: int
    iterations_per_task: float | None
    output_tokens_per_text_task: float | None
    images_per_image_task: float | None
    energy_wh_per_task: float | None
    emissions_g_per_task: float | None


@dataclass(frozen=True)
class _TaskTotals:
    """One task met: its iterations and what they produced."""

    iterations: int
    kind: str
    output_tokens: int
    images: int
    energy_wh: float
    emissions_g: float


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def phase_measure(attempts: list[TaskAttempt], region: str) -> PhaseMeasure:
    """Means over the tasks met (the quality gate); given-up tasks count in the success rate only."""
    ended = [a for a in attempts if a.outcome != Outcome.IN_PROGRESS]
    met = [a for a in ended if a.outcome == Outcome.MET]
    per_task = []
    for attempt in met:
        iterations = list(attempt.iterations.all())
        footprints = [iteration_footprint(iteration, region) for iteration in iterations]
        per_task.append(
            _TaskTotals(
                iterations=len(iterations),
                kind=attempt.task.kind,
                output_tokens=sum(i.output_tokens for i in iterations),
                images=sum(i.images for i in iterations),
                energy_wh=sum(f["energy_wh"] for f in footprints),
                emissions_g=sum(f["emissions_g"] for f in footprints),
            )
        )
    return PhaseMeasure(
        tasks_met=len(met),
        tasks_ended=len(ended),
        iterations_per_task=_mean([t.iterations for t in per_task]),
        output_tokens_per_text_task=_mean([t.output_tokens for t in per_task if t.kind == "text"]),
        images_per_image_task=_mean([t.images for t in per_task if t.kind == "image"]),
        energy_wh_per_task=_mean([t.energy_wh for t in per_task]),
        emissions_g_per_task=_mean([t.emissions_g for t in per_task]),
    )


@dataclass(frozen=True)
class LearnerResult:
    enrollment: Enrollment
    before: PhaseMeasure
    after: PhaseMeasure


def learner_result(enrollment: Enrollment, region: str | None = None) -> LearnerResult:
    region = region or training_settings().region
    attempts = list(enrollment.attempts.all())
    return LearnerResult(
        enrollment,
        phase_measure([a for a in attempts if a.phase == Phase.BEFORE], region),
        phase_measure([a for a in attempts if a.phase == Phase.AFTER], region),
    )


METRICS = (
    "iterations_per_task",
    "output_tokens_per_text_task",
    "images_per_image_task",
    "emissions_g_per_task",
    "energy_wh_per_task",
)


@dataclass(frozen=True)
class CohortResult:
    learners: list[LearnerResult]
    changes: dict[str, PairedChange]
    tasks_per_employee_per_year: int
    avoided_kgco2e_per_year: float | None  # for the learners measured
    avoided_kgco2e_per_learner_per_year: float | None


def cohort_result(enrollments: list[Enrollment]) -> CohortResult:
    config = training_settings()
    learners = [learner_result(enrollment, config.region) for enrollment in enrollments]
    changes = {}
    for metric in METRICS:
        pairs = [
            (getattr(r.before, metric), getattr(r.after, metric))
            for r in learners
            if getattr(r.before, metric) is not None and getattr(r.after, metric) is not None
        ]
        changes[metric] = paired_change(pairs)
    emissions = changes["emissions_g_per_task"]
    per_learner = None
    total = None
    if emissions.mean_change is not None:
        per_learner = -emissions.mean_change * config.tasks_per_employee_per_year / 1000
        total = per_learner * emissions.n
    return CohortResult(learners, changes, config.tasks_per_employee_per_year, total, per_learner)


# --- Reminders -----------------------------------------------------------------------------------


def enrollment_remind_idle(*, now: datetime.datetime | None = None) -> int:
    """Remind learners idle for a week in an unfinished course: at most once a week each."""
    now = now or timezone.now()
    cutoff = now - REMINDER_AFTER
    sent = 0
    idle = Enrollment.objects.filter(completed_at__isnull=True, last_activity_at__lt=cutoff).select_related(
        "user", "course"
    )
    for enrollment in idle:
        claimed = (
            Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True)
            .exclude(reminded_at__gte=cutoff)
            .update(reminded_at=now)
        )
        if not claimed or not enrollment.user.email:
            continue
        with translation.override(enrollment.user.language):
            context = {
                "enrollment": enrollment,
                "user": enrollment.user,
                "course_title": enrollment.course.title,
            }
            subject = render_to_string("courses/email/reminder_subject.txt", context).strip()
            body = render_to_string("courses/email/reminder_body.txt", context)
        send_mail(subject, body, None, [enrollment.user.email])
        sent += 1
    return sent
