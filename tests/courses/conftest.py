import pytest

from courses import services
from courses.models import Course
from tests.courses.test_llm import ChatCompletions, endpoint  # noqa: F401 (the local endpoint fixture)


@pytest.fixture
def course(db):
    return Course.objects.get(slug="frugal-prompting")


def do_task(enrollment, task, iterations=2, outcome="met", words=120):
    attempt = services.attempt_start(enrollment=enrollment, task=task)
    for _ in range(iterations):
        if task.kind == "text":
            services.iteration_log(attempt=attempt, prompt="Write the announcement.", output_words=words)
        else:
            services.iteration_log(
                attempt=attempt, prompt="Flat illustration.", images=1, image_width=1024, image_height=576
            )
    return services.attempt_finish(attempt=attempt, outcome=outcome, checked=list(range(len(task.checklist))))


def pass_modules(enrollment):
    for module in enrollment.course.modules.all():
        answers = {q.pk: next(c.pk for c in q.choices.all() if c.correct) for q in module.questions.all()}
        services.quiz_submit(enrollment=enrollment, module=module, answers=answers)


def complete(enrollment, before_iterations=3, after_iterations=1):
    for task in enrollment.course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task, iterations=before_iterations, words=300)
    pass_modules(enrollment)
    for task in enrollment.course.tasks.filter(set=enrollment.second_set):
        do_task(enrollment, task, iterations=after_iterations, words=100)
