"""Quizzes cannot be passed blindly: the right answer's place differs between learners, stays the same
for one learner across visits, and the content itself puts it anywhere (issue 13, item 6)."""

import re

import pytest
from django.urls import reverse

from courses import content, services
from courses.models import Choice, Question
from tests.courses.conftest import do_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ready_for_the_modules(user, course):
    enrollment = services.course_enroll(user=user, course=course)
    for task in course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task)
    return enrollment


def shown_order(client, course, order=1) -> list[list[int]]:
    """The answers' ids of each question, in the order the module page shows them."""
    html = client.get(reverse("courses:module", args=[course.slug, order])).content.decode()
    fieldsets = re.findall(r"<fieldset>.*?</fieldset>", html, re.S)
    return [
        [int(value) for value in re.findall(r'type="radio" name="q\d+" value="(\d+)"', f)] for f in fieldsets
    ]


def test_one_learner_sees_the_same_order_at_every_visit(client, alice, course):
    ready_for_the_modules(alice, course)
    client.force_login(alice)

    assert shown_order(client, course) == shown_order(client, course)


def test_the_right_answer_is_not_always_first_nor_in_one_place_for_everyone(client, sales, course):
    correct = set(Choice.objects.filter(correct=True).values_list("pk", flat=True))
    places = []
    for n in range(8):
        learner = UserFactory(username=f"learner{n}", department=sales)
        ready_for_the_modules(learner, course)
        client.force_login(learner)
        for order in (1, 2):
            places += [
                ids.index(next(i for i in ids if i in correct)) for ids in shown_order(client, course, order)
            ]

    # Every place is used, and none holds the right answer most of the time
    assert set(places) == {0, 1, 2}
    assert max(places.count(place) for place in (0, 1, 2)) < 0.6 * len(places)


def test_a_shuffled_quiz_is_still_graded_by_the_answers_chosen(client, alice, course):
    ready_for_the_modules(alice, course)
    client.force_login(alice)
    module = course.modules.get(order=1)
    answers = {f"q{q.pk}": str(q.choices.get(correct=True).pk) for q in module.questions.all()}

    graded = client.post(reverse("courses:module", args=[course.slug, 1]), answers).content.decode()

    assert "Passed: 100 %." in graded


def test_the_content_does_not_give_the_answer_away_by_its_place_or_length():
    questions = [question for module in content.MODULES for question in module["questions"]]
    places = [next(i for i, choice in enumerate(q["choices"]) if choice[2]) for q in questions]
    longest = [
        max(q["choices"], key=lambda choice: len(choice[0]))[2]
        and max(q["choices"], key=lambda c: len(c[1]))[2]
        for q in questions
    ]

    assert all(sum(choice[2] for choice in q["choices"]) == 1 for q in questions)
    assert set(places) == {0, 1, 2} and max(places.count(p) for p in set(places)) <= len(questions) // 2
    assert sum(longest) <= len(questions) // 4  # the right answer is seldom the longest, in either language


def test_the_database_holds_the_content_as_shipped(course):
    # The migrations loaded the current content: the answers in the content's order
    for module_data, module in zip(content.MODULES, course.modules.all(), strict=True):
        for question_data, question in zip(
            module_data["questions"], Question.objects.filter(module=module), strict=True
        ):
            assert [c.text_en for c in question.choices.all()] == [c[0] for c in question_data["choices"]]
