import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Enrollment, Iteration
from tests.courses.conftest import complete, do_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_learner_enrols_logs_iterations_and_meets_the_checklist_in_the_browser(client, alice, course):
    client.force_login(alice)
    client.post(reverse("courses:enroll", args=[course.slug]))
    enrollment = Enrollment.objects.get(user=alice)
    task = course.tasks.get(set=enrollment.first_set, order=1)
    url = reverse("courses:task", args=[course.slug, task.pk])

    assert "The brief" in client.get(url).content.decode()
    client.post(url, {"prompt": "Write the announcement.", "output_words": "90"})
    invalid = client.post(url, {"prompt": "", "output_words": "0"})
    client.post(reverse("courses:finish", args=[course.slug, task.pk]), {"checked": ["0", "1", "2", "3"]})

    assert invalid.status_code == 200 and "This field is required." in invalid.content.decode()
    attempt = enrollment.attempts.get(task=task)
    assert attempt.outcome == "met" and attempt.iterations.count() == 1


def test_opening_a_task_writes_nothing_and_a_later_task_stays_closed(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    first = course.tasks.get(set=enrollment.first_set, order=1)
    later = course.tasks.get(set=enrollment.second_set, order=1)
    client.force_login(alice)

    page = client.get(reverse("courses:task", args=[course.slug, first.pk]))
    closed = client.get(reverse("courses:task", args=[course.slug, later.pk]))

    assert page.status_code == 200 and "Log this iteration" in page.content.decode()
    assert closed.status_code == 302 and closed.url == reverse("courses:detail", args=[course.slug])
    assert not enrollment.attempts.exists()


def test_giving_up_a_task_never_started_is_recorded(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    task = course.tasks.get(set=enrollment.first_set, order=1)
    client.force_login(alice)

    client.post(reverse("courses:give-up", args=[course.slug, task.pk]))

    assert enrollment.attempts.get(task=task).outcome == "gave_up"


def test_the_module_page_renders_sanitised_markdown_and_grades_the_quiz(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    for task in course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task)
    module = course.modules.get(order=1)
    module.body_en += "\n\n<script>alert('x')</script>"
    module.save()
    client.force_login(alice)
    url = reverse("courses:module", args=[course.slug, 1])

    page = client.get(url).content.decode()
    answers = {
        f"q{q.pk}": str(next(c.pk for c in q.choices.all() if c.correct)) for q in module.questions.all()
    }
    graded = client.post(url, answers).content.decode()

    assert "<strong>Training</strong>" in page and "<script>alert" not in page
    assert "Passed: 100 %." in graded and "Correct." in graded


def test_results_certificate_and_consent(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    complete(enrollment)
    client.force_login(alice)

    results = client.get(reverse("courses:results", args=[course.slug])).content.decode()
    certificate = client.get(reverse("courses:certificate", args=[course.slug])).content.decode()
    client.post(reverse("courses:certificate", args=[course.slug]), {"share": "on"})
    shared = client.get(reverse("courses:certificate", args=[course.slug])).content.decode()

    assert "Prompts per task" in results
    assert "Certificate of completion" in certificate and "Measured change" not in certificate
    assert "Measured change" in shared


def test_cohort_results_for_a_manager_cover_their_departments_only(client, bruno, course, sales, research):
    for department in (sales, sales, sales, research):
        complete(services.course_enroll(user=UserFactory(department=department), course=course))
    client.force_login(bruno)

    response = client.get(reverse("courses:cohort", args=[course.slug]))
    csv_lines = client.get(reverse("courses:cohort-csv", args=[course.slug])).content.decode().splitlines()

    assert len(response.context["result"].learners) == 3
    assert "no interval below 5 learners" in response.content.decode()
    assert csv_lines[0].startswith("learner,department,first_set,before_tasks_met")
    assert len(csv_lines) == 4


def test_a_manager_cannot_ask_for_the_organisation(client, bruno, course):
    client.force_login(bruno)
    assert client.get(reverse("courses:cohort", args=[course.slug]), {"scope": "org"}).status_code == 403


def test_api_courses_and_results_by_scope(client, alice, bruno, root, course, sales):
    for _ in range(5):
        complete(services.course_enroll(user=UserFactory(department=sales), course=course))
    services.course_enroll(user=alice, course=course)

    client.force_login(alice)
    courses = client.get("/api/v1/courses/").json()["results"]
    me = client.get("/api/v1/courses/results/").json()
    assert courses[0]["enrolled"] is True and courses[0]["phase"] == "before"
    assert me["scope"] == "me" and me["learners"] == 1
    assert client.get("/api/v1/courses/results/?scope=team").status_code == 403

    client.force_login(bruno)
    team = client.get("/api/v1/courses/results/?scope=team").json()
    assert team["learners"] == 6 and team["changes"]["iterations_per_task"]["n"] == 5
    assert team["changes"]["iterations_per_task"]["ci95_low"] is not None
    assert client.get("/api/v1/courses/results/?scope=org").status_code == 403

    client.force_login(root)
    assert client.get("/api/v1/courses/results/?scope=org").json()["avoided_kgco2e_per_year"] > 0
    assert client.get("/api/v1/courses/results/?scope=galaxy").status_code == 400


def test_the_cohort_page_costs_the_same_number_of_queries_for_2_or_6_learners(client, root, course, sales):
    client.force_login(root)
    counts = []
    for learners in (2, 4):
        for _ in range(learners):
            complete(services.course_enroll(user=UserFactory(department=sales), course=course))
        client.get(reverse("courses:cohort", args=[course.slug]))  # reference data cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("courses:cohort", args=[course.slug])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 10, counts


def test_demo_data_is_labelled(course):
    call_command("load_demo")
    assert Iteration.objects.filter(source="demo").count() == Iteration.objects.count() > 0
    assert Enrollment.objects.filter(user__username__startswith="demo-learner-").count() == 12


@pytest.mark.parametrize(
    ("language", "question", "keep"),
    [("en", "Give up “", "Keep working on it"), ("fr", "Abandonner « ", "Continuer à y travailler")],
)
def test_giving_up_a_task_asks_first_and_only_the_post_records_it(
    client, alice, course, language, question, keep
):
    enrollment = services.course_enroll(user=alice, course=course)
    task = course.tasks.get(set=enrollment.first_set, order=1)
    give_up = reverse("courses:give-up", args=[course.slug, task.pk])
    client.force_login(alice)
    client.cookies["django_language"] = language

    workspace = client.get(reverse("courses:task", args=[course.slug, task.pk])).content.decode()
    asked = client.get(give_up)

    assert f'href="{give_up}"' in workspace and 'name="give_up"' not in workspace
    assert asked.status_code == 200 and question in asked.content.decode() and keep in asked.content.decode()
    assert not enrollment.attempts.exists()
    assert client.post(give_up).url == reverse("courses:detail", args=[course.slug])
    assert enrollment.attempts.get(task=task).outcome == "gave_up"
    # Once given up, the address leads back to the task, which says so.
    assert client.get(give_up).url == reverse("courses:task", args=[course.slug, task.pk])


def test_giving_up_is_for_the_enrolled_learner_only(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    task = course.tasks.get(set=enrollment.first_set, order=1)
    give_up = reverse("courses:give-up", args=[course.slug, task.pk])

    anonymous = client.post(give_up)
    client.force_login(UserFactory())
    other = client.post(give_up)

    assert anonymous.status_code == 302 and "login" in anonymous.url
    assert other.status_code == 404
    assert not enrollment.attempts.exists()


def test_the_french_task_page_says_words_per_token_as_the_estimator_does(client, alice, course):
    enrollment = services.course_enroll(user=alice, course=course)
    task = course.tasks.get(set=enrollment.first_set, order=1)
    client.force_login(alice)
    client.cookies["django_language"] = "fr"

    page = client.get(reverse("courses:task", args=[course.slug, task.pk])).content.decode()

    assert "environ 3 mots pour 4 tokens" in page and "0,75 mot par token" not in page


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "Start the course first: this page follows your progress in it."),
        ("fr", "Commencez d’abord le cours : cette page suit votre progression."),
    ],
)
def test_a_courses_inner_pages_lead_to_the_course_before_enrolling(client, alice, course, language, says):
    """A module, task, results or certificate address opened before starting the course was a 404."""
    task = course.tasks.first()
    client.force_login(alice)
    client.cookies["django_language"] = language
    detail = reverse("courses:detail", args=[course.slug])

    pages = [
        reverse("courses:module", args=[course.slug, 1]),
        reverse("courses:task", args=[course.slug, task.pk]),
        reverse("courses:results", args=[course.slug]),
        reverse("courses:certificate", args=[course.slug]),
    ]
    responses = [client.get(page) for page in pages]

    assert [response.status_code for response in responses] == [302] * 4
    assert {response.url for response in responses} == {detail}
    assert says in client.get(detail).content.decode()
    # Acting is still refused, and nothing was written.
    assert client.post(pages[0]).status_code == 404
    assert not Enrollment.objects.filter(user=alice).exists()
