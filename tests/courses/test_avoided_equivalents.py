"""The training's avoided emissions in everyday terms (issue 13), in English and French."""

import pytest
from django.urls import reverse

from courses import services
from estimator.templatetags.equivalents import everyday
from tests.courses.conftest import complete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "says"), [("en", "The same emissions as:"), ("fr", "Autant d’émissions que :")]
)
def test_the_avoided_emissions_read_in_everyday_terms(client, bruno, course, sales, language, says):
    for _ in range(3):
        complete(services.course_enroll(user=UserFactory(department=sales), course=course))
    client.force_login(bruno)
    client.cookies["django_language"] = language

    response = client.get(reverse("courses:cohort", args=[course.slug]))

    html = response.content.decode()
    avoided = response.context["result"].avoided_kgco2e_per_year
    assert avoided > 0
    assert says in html and "https://impactco2.fr/outils/caspratiques/francais" in html
    if language == "en":
        assert everyday(avoided)[0]["text"] in html


def test_no_learner_measured_no_equivalents(client, bruno, course):
    client.force_login(bruno)

    html = client.get(reverse("courses:cohort", args=[course.slug])).content.decode()

    assert "Not yet: no learner has finished" in html and "The same emissions as:" not in html
