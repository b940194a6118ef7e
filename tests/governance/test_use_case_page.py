"""The use case's page does not contradict itself, speaks the reader's language, tells the owner what
comes next, and asks before retiring (issue 13, item 7)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from estimator.templatetags.footprint import quantity
from governance import notifications, services
from governance.models import UseCase
from tests.factories import use_case

pytestmark = pytest.mark.django_db
Status = UseCase.Status


def page(client, case, language="en") -> str:
    client.cookies["django_language"] = language
    return client.get(reverse("governance:detail", args=[case.pk])).content.decode()


def test_a_draft_shows_one_footprint_and_calls_it_a_preview(client, alice):
    draft = use_case(alice)
    client.force_login(alice)

    html = page(client, draft)

    baseline = quantity(services.usecase_levers(draft)["baseline_kgco2e"], "kgco2e")
    assert "computed and kept when the use case is submitted." not in html.split("A preview")[0]
    assert f"About {baseline} a year" in html and "A preview from the usage profile" in html
    assert f"{baseline} a year with the usage profile as it stands" in html


def drifted(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    services.usecase_check_drift(use_case=case, actual_yearly_kgco2e=case.budget_kgco2e_per_year * 2)
    return UseCase.objects.get(pk=case.pk)


def test_a_drift_event_reads_in_the_readers_language_with_its_unit(client, alice, bruno):
    case = drifted(alice, bruno)
    budget = case.budget_kgco2e_per_year
    client.force_login(alice)

    english, french = page(client, case), page(client, case, "fr")

    assert case.events.last().cause == {"code": "drift", "actual_kgco2e": budget * 2, "budget_kgco2e": budget}
    assert f"Actual usage ({quantity(budget * 2, 'kgco2e')} a year) runs above" in english
    assert "Actual usage" not in french
    assert re.search(r"L'usage réel \([\d,\s\u202f]+ ?[mk]?g?CO2e par an\)", french), french


def test_the_deciders_e_mail_about_drift_is_in_their_language(alice, bruno):
    bruno.language = "fr"
    bruno.save()
    case = drifted(alice, bruno)
    mail.outbox.clear()

    # The task the drift queued, run here (with or without a broker)
    notifications.notify_deciders(event_id=case.events.last().pk)

    assert len(mail.outbox) == 1
    assert "L'usage réel" in mail.outbox[0].body and "Actual usage" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("draft", "submit it for a decision"),
        ("submitted", "Nothing to do: its deciders (bruno) decide by"),
        ("changes_requested", "edit the use case, then submit it again"),
        ("under_review", "are deciding on it again"),
        ("approved", "Its next review is due on"),
        ("rejected", "register a new use case"),
    ],
)
def test_the_owner_always_gets_a_next_step(client, alice, bruno, status, says):
    case = use_case(alice, status=status, decider=bruno)
    client.force_login(alice)

    html = page(client, case)

    assert "Your next step" in html and says in html


def test_only_the_owner_gets_the_next_step(client, alice, bruno):
    case = use_case(alice, status="under_review", decider=bruno)
    client.force_login(bruno)

    assert "Your next step" not in page(client, case)


def test_retiring_asks_for_confirmation_first(client, alice, bruno):
    case = use_case(alice, status="under_review", decider=bruno)
    url = reverse("governance:transition", args=[case.pk, "retire"])
    client.force_login(alice)

    detail = page(client, case)
    confirmation = client.get(url)

    # The page links to a confirmation, which changes nothing yet
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    assert confirmation.status_code == 200
    assert "Retire “Summarise customer feedback”?" in confirmation.content.decode()
    assert "cannot be undone" in confirmation.content.decode()
    assert UseCase.objects.get(pk=case.pk).status == Status.UNDER_REVIEW

    # Confirming retires it, with the reason given
    client.post(url, {"comment": "Replaced by the new CRM."})
    assert UseCase.objects.get(pk=case.pk).status == Status.RETIRED
    assert case.events.last().comment == "Replaced by the new CRM."


@pytest.mark.parametrize(
    ("persona", "expected"), [("colette", 403), ("carla", 404), ("bruno", 200), ("root", 200)]
)
def test_the_retirement_confirmation_is_for_those_who_may_retire(
    request, client, alice, bruno, persona, expected
):
    case = use_case(alice, status="approved", decider=bruno)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("governance:transition", args=[case.pk, "retire"])).status_code == expected


def test_other_actions_are_not_pages(client, alice, bruno):
    case = use_case(alice, status="submitted")
    client.force_login(bruno)

    assert client.get(reverse("governance:transition", args=[case.pk, "approve"])).status_code == 405
    assert UseCase.objects.get(pk=case.pk).status == Status.SUBMITTED
