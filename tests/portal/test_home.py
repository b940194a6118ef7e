"""A home that knows you (issue 13): your training and its next step, your use cases and theirs, the
decisions waiting for you (also counted in the navigation), your recent estimates; each user sees only
their own, in English and French; anonymous visitors are sent to sign in."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services as training
from courses.models import Course
from estimator import services as estimator
from governance import services
from governance.models import DECIDABLE_STATUSES, UseCase
from tests.courses.conftest import do_task, pass_modules
from tests.factories import use_case

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def home(client, user, language="en") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The home page's section with this id."""
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


def badge(html: str) -> str | None:
    """The count beside "Use cases" in the navigation, if any."""
    nav = html.split('class="nav-links"')[1].split("</nav>")[0]
    found = re.search(r'class="badge">(\d+)<', nav)
    return found.group(1) if found else None


@pytest.fixture
def course():
    return Course.objects.get(slug="frugal-prompting")


def test_anonymous_visitors_are_sent_to_sign_in_without_a_decision_query(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert not any("governance_usecase" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "You have not started the training yet.",
                "You have registered no use case yet.",
                "No saved estimate yet.",
            ],
        ),
        (
            "fr",
            [
                "Vous n'avez pas encore commencé la formation.",
                "Vous n'avez encore déclaré aucun cas d'usage.",
                "Aucune estimation enregistrée pour l'instant.",
            ],
        ),
    ],
)
def test_a_new_employee_is_told_what_to_do_first(client, alice, course, language, texts):
    html = home(client, alice, language)

    for text in texts:
        assert text in html
    assert reverse("courses:detail", args=[course.slug]) in section(html, "training")
    assert reverse("governance:create") in section(html, "my-use-cases")
    assert reverse("estimator:estimate") in section(html, "recent-estimates")
    assert 'id="decisions"' not in html and badge(html) is None


def test_the_training_links_to_the_next_task_then_module_then_certificate(client, alice, course):
    enrollment = training.course_enroll(user=alice, course=course)
    first = course.tasks.filter(set=enrollment.first_set).order_by("order").first()

    assert reverse("courses:task", args=[course.slug, first.pk]) in section(home(client, alice), "training")

    for task in course.tasks.filter(set=enrollment.first_set):
        do_task(enrollment, task)
    progress = training.progress(enrollment)
    html = section(home(client, alice), "training")
    assert reverse("courses:module", args=[course.slug, 1]) in html
    assert f"{progress.completed_percent}% done." in html and progress.completed_percent > 0

    pass_modules(enrollment)
    for task in course.tasks.filter(set=enrollment.second_set):
        do_task(enrollment, task)
    html = section(home(client, alice), "training")
    assert reverse("courses:certificate", args=[course.slug]) in html and "100% done." in html


def test_the_training_speaks_french(client, alice, course):
    training.course_enroll(user=alice, course=course)

    html = section(home(client, alice, "fr"), "training")

    assert "Prochaine étape" in html and "% fait." in html


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("draft", "Next step: complete it and submit it for a decision."),
        ("submitted", "Waiting for a decision: nothing to do."),
        ("changes_requested", "Next step: make the changes asked for and submit it again."),
        ("under_review", "Being decided again; it stays in use meanwhile."),
        ("approved", "Approved: use it within its budget"),
        ("rejected", "Rejected: if the need changes, register a new use case."),
        ("retired", "Retired: nothing more to do."),
    ],
)
def test_each_use_case_shows_its_status_and_the_owners_next_step(client, alice, bruno, status, says):
    case = use_case(alice, status=status, decider=bruno, title=f"Mine {status}")

    html = section(home(client, alice), "my-use-cases")

    assert f"Mine {status}" in html and reverse("governance:detail", args=[case.pk]) in html
    assert f"status-{status}" in html and says in html


def test_the_use_cases_next_steps_speak_french(client, alice):
    use_case(alice, status="draft")

    html = section(home(client, alice, "fr"), "my-use-cases")

    assert "Prochaine étape : complétez-le et soumettez-le à une décision." in html


def test_each_user_sees_only_their_own_use_cases_and_estimates(client, alice, colette, bruno):
    use_case(colette, status="approved", decider=bruno, title="Colette's case")
    estimator.estimate_save(
        owner=colette,
        name="Colette's estimate",
        kind="text",
        inputs={"model": "gpt-4o", "output_tokens": 300},
    )
    mine = estimator.estimate_save(
        owner=alice, name="Alice's estimate", kind="text", inputs={"model": "gpt-4o", "output_tokens": 300}
    )

    html = home(client, alice)

    assert "Colette" not in html
    estimates = section(html, "recent-estimates")
    assert "Alice&#x27;s estimate" in estimates
    assert reverse("estimator:saved-detail", args=[mine.pk]) in estimates


def test_recent_estimates_are_the_five_latest(client, alice):
    saved = [
        estimator.estimate_save(
            owner=alice, name=f"estimate {n}", kind="text", inputs={"model": "gpt-4o", "output_tokens": 300}
        )
        for n in range(7)
    ]

    html = section(home(client, alice), "recent-estimates")

    shown = re.findall(r"estimate (\d)</a>", html)
    assert shown == ["6", "5", "4", "3", "2"] and len(saved) == 7
    assert reverse("estimator:saved-list") in html


def test_a_manager_sees_the_decisions_waiting_and_the_count_in_the_navigation(client, alice, bruno):
    case = use_case(alice, status="submitted", title="Alice asks")
    use_case(bruno, status="submitted", title="Bruno's own")  # never his to decide

    html = home(client, bruno)

    decisions = section(html, "decisions")
    assert "1 use case waits for your decision." in decisions
    assert reverse("governance:detail", args=[case.pk]) in decisions and "Bruno&#x27;s own" not in decisions
    assert badge(html) == "1"


def test_the_manager_of_another_department_and_the_employee_have_nothing_to_decide(
    client, alice, colette, carla
):
    use_case(alice, status="submitted")

    assert badge(home(client, carla)) is None
    assert "Nothing waits for your decision." in section(home(client, carla), "decisions")
    assert badge(home(client, colette)) is None


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager", "admin"])
def test_the_navigation_count_is_the_decision_queue_on_every_page(
    client, personas, alice, colette, bruno, persona
):
    use_case(alice, status="submitted")
    use_case(colette, status="under_review", decider=bruno)
    use_case(alice, status="approved", decider=bruno)
    user = personas[persona]
    # What the decision actions allow (governance.services.is_decider), counted one by one
    expected = sum(
        case.status in DECIDABLE_STATUSES and services.is_decider(user, case)
        for case in UseCase.objects.all()
    )
    client.force_login(user)

    for page in (HOME, reverse("estimator:estimate"), reverse("governance:list")):
        html = client.get(page).content.decode()
        assert badge(html) == (str(expected) if expected else None), (persona, page)
    assert expected == {"employee": 0, "manager": 2, "other_manager": 0, "admin": 2}[persona]


def test_the_count_is_one_query_per_request_and_none_for_employees(client, alice, bruno):
    use_case(alice, status="submitted")

    def count_queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("estimator:estimate"))
        return sum(
            "COUNT(" in q["sql"] and "governance_usecase" in q["sql"] for q in queries.captured_queries
        )

    assert count_queries(bruno) == 1
    assert count_queries(alice) == 0


@pytest.mark.parametrize(
    ("language", "says"), [("en", "Decisions waiting for you"), ("fr", "Des décisions vous attendent")]
)
def test_the_admin_sees_every_departments_decisions_in_both_languages(client, alice, root, language, says):
    use_case(alice, status="submitted", title="From Sales")

    html = home(client, root, language)

    assert says in html and "From Sales" in section(html, "decisions") and badge(html) == "1"
