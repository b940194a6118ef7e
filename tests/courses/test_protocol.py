"""The measurement protocol: counterbalancing, iterations, the quality gate, quizzes, phases."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses import llm, services
from courses.models import Enrollment, Iteration, TaskAttempt
from tests.courses.conftest import ChatCompletions, complete, do_task, pass_modules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enrolment_balances_the_first_set_across_the_cohort(course, sales):
    learners = [UserFactory(department=sales) for _ in range(10)]

    enrollments = [services.course_enroll(user=user, course=course) for user in learners]

    first_sets = [e.first_set for e in enrollments]
    assert first_sets.count("A") == first_sets.count("B") == 5
    assert all(e.second_set != e.first_set for e in enrollments)
    assert services.course_enroll(user=learners[0], course=course) == enrollments[0]  # once
    assert Enrollment.objects.count() == 10


def test_each_logged_prompt_is_one_iteration_with_its_size(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    task = course.tasks.get(set=enrollment.first_set, kind="text", order=1)
    attempt = services.attempt_start(enrollment=enrollment, task=task)

    first = services.iteration_log(attempt=attempt, prompt="x" * 400, output_words=150)
    second = services.iteration_log(attempt=attempt, prompt="Shorter, please.", output_words=60)

    assert [i.number for i in attempt.iterations.all()] == [1, 2]
    assert (first.prompt_tokens, first.output_tokens, first.source) == (100, 200, "manual")
    assert second.output_tokens == 80


def test_a_bad_log_counts_nothing(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    attempt = services.attempt_start(
        enrollment=enrollment, task=course.tasks.get(set=enrollment.first_set, kind="image")
    )

    with pytest.raises(ValidationError) as error:
        services.iteration_log(attempt=attempt, prompt="", images=0)

    assert set(error.value.message_dict) == {"prompt", "images", "image_width"}
    assert not Iteration.objects.exists()


def test_the_endpoint_generates_and_its_errors_are_not_counted(course, alice, endpoint):
    config = services.training_settings()
    config.endpoint_base_url = f"http://127.0.0.1:{endpoint.server_port}/v1"
    config.endpoint_model = "tiny"
    config.endpoint_catalogue_model = "llama-3.1-8b"
    config.endpoint_timeout_seconds = 1
    config.save()
    enrollment = services.course_enroll(user=alice, course=course)
    attempt = services.attempt_start(
        enrollment=enrollment, task=course.tasks.get(set=enrollment.first_set, order=1)
    )

    ChatCompletions.mode = "ok"
    iteration = services.iteration_generate(attempt=attempt, prompt="Announce the change.")
    for mode in ("error", "slow"):
        ChatCompletions.mode = mode
        with pytest.raises(llm.GenerationError):
            services.iteration_generate(attempt=attempt, prompt="Again.")

    assert attempt.iterations.count() == 1
    assert (iteration.prompt_tokens, iteration.output_tokens, iteration.model, iteration.source) == (
        42,
        11,
        "llama-3.1-8b",
        "endpoint",
    )
    assert "Office closes" in iteration.output_text


def test_the_checklist_must_be_met_in_full_and_giving_up_is_recorded(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    tasks = list(course.tasks.filter(set=enrollment.first_set))
    attempt = services.attempt_start(enrollment=enrollment, task=tasks[0])

    with pytest.raises(ValidationError, match="at least one prompt"):
        services.attempt_finish(attempt=attempt, outcome="met", checked=[0, 1, 2, 3])
    services.iteration_log(attempt=attempt, prompt="Write it.", output_words=70)
    with pytest.raises(ValidationError, match="Tick every item"):
        services.attempt_finish(attempt=attempt, outcome="met", checked=[0, 1])
    assert services.attempt_finish(attempt=attempt, outcome="met", checked=[0, 1, 2, 3]).outcome == "met"
    with pytest.raises(ValidationError):
        services.iteration_log(attempt=attempt, prompt="One more.", output_words=10)  # finished

    gave_up = do_task(enrollment, tasks[1], iterations=4, outcome="gave_up")
    assert gave_up.outcome == TaskAttempt.Outcome.GAVE_UP and gave_up.iterations.count() == 4


def test_phases_unlock_in_order(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    module = course.modules.first()
    after_task = course.tasks.filter(set=enrollment.second_set).first()

    with pytest.raises(PermissionDenied):
        services.quiz_submit(enrollment=enrollment, module=module, answers={})
    with pytest.raises(PermissionDenied):
        services.attempt_start(enrollment=enrollment, task=after_task)

    for task in course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task)
    assert services.progress(enrollment).phase == "modules"
    with pytest.raises(PermissionDenied):
        services.attempt_start(enrollment=enrollment, task=after_task)

    pass_modules(enrollment)
    assert services.progress(enrollment).phase == "after"
    for task in course.tasks.filter(set=enrollment.second_set):
        do_task(enrollment, task)
    enrollment.refresh_from_db()
    assert services.progress(enrollment).phase == "done" and enrollment.completed_at is not None


def test_quiz_scoring_feedback_and_pass_mark(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    for task in course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task)
    module = course.modules.first()
    questions = list(module.questions.all())
    right = {q.pk: next(c.pk for c in q.choices.all() if c.correct) for q in questions}
    one_wrong = {**right, questions[0].pk: next(c.pk for c in questions[0].choices.all() if not c.correct)}

    failed = services.quiz_submit(enrollment=enrollment, module=module, answers=one_wrong)
    passed = services.quiz_submit(enrollment=enrollment, module=module, answers=right)

    assert (failed.score_percent, failed.passed) == (50, False)
    assert failed.feedback[questions[0].pk][0] is False and failed.feedback[questions[0].pk][1]
    assert (passed.score_percent, passed.passed) == (100, True)
    result = enrollment.quiz_results.get(module=module)
    assert (result.passed, result.attempts) == (True, 2)
    with pytest.raises(ValidationError, match="Answer every question"):
        services.quiz_submit(
            enrollment=enrollment, module=module, answers={questions[0].pk: right[questions[0].pk]}
        )


def test_results_compare_each_learner_with_themselves(course, sales, bruno):
    learners = [UserFactory(department=sales) for _ in range(6)]
    for user in learners:
        complete(services.course_enroll(user=user, course=course), before_iterations=3, after_iterations=1)

    result = services.cohort_result(list(Enrollment.objects.all()))

    iterations = result.changes["iterations_per_task"]
    assert iterations.n == 6 and iterations.mean_change == pytest.approx(-2)
    assert iterations.ci_low == pytest.approx(-2) and iterations.ci_high == pytest.approx(-2)  # no spread
    output = result.changes["output_tokens_per_text_task"]
    assert (output.before.mean, output.after.mean) == (1200, 133)  # 3×400 tokens vs 1×133
    emissions = result.changes["emissions_g_per_task"]
    assert emissions.mean_change < 0
    assert result.avoided_kgco2e_per_learner_per_year == pytest.approx(-emissions.mean_change * 400 / 1000)
    assert result.avoided_kgco2e_per_year == pytest.approx(result.avoided_kgco2e_per_learner_per_year * 6)


def test_a_given_up_task_is_not_counted_as_a_success(course, alice):
    enrollment = services.course_enroll(user=alice, course=course)
    tasks = list(course.tasks.filter(set=enrollment.first_set))
    do_task(enrollment, tasks[0], iterations=2)
    do_task(enrollment, tasks[1], iterations=9, outcome="gave_up")

    before = services.learner_result(enrollment).before

    assert (before.tasks_met, before.tasks_ended, before.iterations_per_task) == (1, 2, 2)


def test_idle_learners_are_reminded_once_a_week(course, alice, mailoutbox):
    enrollment = services.course_enroll(user=alice, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=8)
    )

    assert services.enrollment_remind_idle() == 1
    assert services.enrollment_remind_idle() == 0
    assert "Your course is waiting" in mailoutbox[0].subject
