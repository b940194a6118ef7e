import pytest
from playwright.sync_api import Page, expect

from courses.models import Choice, Course, Module, PracticeTask, Question
from tests.e2e.conftest import sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def small_course() -> Course:
    course = Course.objects.create(
        slug="short-course",
        title_en="Short course",
        title_fr="Cours court",
        summary_en="One module.",
        summary_fr="Un module.",
    )
    module = Module.objects.create(
        course=course,
        order=1,
        title_en="Say the length",
        title_fr="Dire la longueur",
        body_en="Ask for **three sentences**.",
        body_fr="Demandez **trois phrases**.",
    )
    question = Question.objects.create(
        module=module, order=1, text_en="How long?", text_fr="Quelle longueur ?"
    )
    Choice.objects.create(
        question=question,
        text_en="Say it",
        text_fr="La dire",
        correct=True,
        feedback_en="Yes.",
        feedback_fr="Oui.",
    )
    Choice.objects.create(
        question=question,
        text_en="Let it guess",
        text_fr="Le laisser deviner",
        correct=False,
        feedback_en="No.",
        feedback_fr="Non.",
    )
    for task_set in "AB":
        PracticeTask.objects.create(
            course=course,
            set=task_set,
            order=1,
            kind="text",
            title_en=f"Announcement {task_set}",
            title_fr=f"Annonce {task_set}",
            brief_en="Announce the new hours.",
            brief_fr="Annoncez les horaires.",
            checklist_en="States the time\nUnder 80 words",
            checklist_fr="Donne l'heure\nMoins de 80 mots",
        )
    return course


def do_practice_task(page: Page, prompts: int, words: int) -> None:
    page.get_by_role("link", name="Announcement").first.click()
    for _ in range(prompts):
        page.get_by_label("Your prompt").fill("Write a short announcement of the new office hours.")
        page.get_by_label("Length of the answer (words)").fill(str(words))
        page.get_by_role("button", name="Log this iteration").click()
    page.get_by_label("States the time").check()
    page.get_by_label("Under 80 words").check()
    page.get_by_role("button", name="The result meets the checklist").click()
    expect(page.get_by_text("Task recorded.")).to_be_visible()


def test_a_learner_is_measured_before_and_after_and_sees_the_result(page: Page, live_server):
    small_course()
    UserFactory(username="lea", department=DepartmentFactory(name="Sales"), password="correct-horse-battery")

    sign_in(page, live_server.url, "lea", "correct-horse-battery")
    page.goto(f"{live_server.url}/courses/short-course/")
    page.get_by_role("button", name="Start the course").click()

    # Before the module: three prompts, long answers
    do_practice_task(page, prompts=3, words=300)

    # The module and its quiz
    page.get_by_role("link", name="Say the length").click()
    expect(page.locator(".lesson strong")).to_have_text("three sentences")
    page.get_by_label("Say it").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("Passed: 100 %.")).to_be_visible()
    page.get_by_role("link", name="Back to the course").click()

    # After the module: one prompt, a short answer
    do_practice_task(page, prompts=1, words=60)

    # The learner sees the measured change
    page.get_by_role("link", name="My results").click()
    row = page.get_by_role("row", name="Prompts per task")
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("1")
    expect(page.get_by_role("row", name="Output tokens per text task")).to_contain_text("1,200")
    page.goto(f"{live_server.url}/courses/short-course/")
    expect(page.get_by_role("link", name="My certificate")).to_be_visible()
