"""The use case's yearly footprint in everyday terms (issue 13): Impact CO2's equivalents, linked to
their source, in the reader's language, for a submitted use case and a draft's preview."""

import pytest
from django.urls import reverse

from estimator.templatetags.equivalents import everyday
from governance import services
from tests.factories import use_case

pytestmark = pytest.mark.django_db


def page(client, case, language):
    client.cookies["django_language"] = language
    return client.get(reverse("governance:detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize(
    ("language", "says"), [("en", "The same emissions as:"), ("fr", "Autant d’émissions que :")]
)
def test_a_submitted_use_case_shows_its_yearly_footprint_in_everyday_terms(client, alice, language, says):
    case = use_case(alice, status="submitted")
    client.force_login(alice)

    html = page(client, case, language)

    assert says in html and 'href="https://impactco2.fr"' in html
    if language == "en":
        car = everyday(case.footprint["emissions_kgco2e"])[0]
        assert car["text"] in html and car["range"] in html


def test_a_drafts_preview_shows_the_equivalents_of_its_preview(client, alice):
    draft = use_case(alice)
    client.force_login(alice)

    html = page(client, draft, "en")

    car = everyday(services.usecase_levers(draft)["baseline_kgco2e"])[0]
    assert car["text"] in html and "https://impactco2.fr/outils/transport/voiturethermique" in html
