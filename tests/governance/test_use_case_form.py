"""The use-case form: its live preview (htmx and without JavaScript), registering from an estimate, who
decides by when once submitted, the image-only fields, and choices that say what to choose."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from estimator import services as estimator
from estimator.models import AIModel
from estimator.templatetags.footprint import quantity
from governance import notifications, services
from governance.models import UseCase
from tests.factories import UserFactory, use_case
from tests.governance.test_views import form_data

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _expected_footprint(data):
    fields = {
        "task_type": data["task_type"],
        "model": AIModel.objects.get(pk=data["model"]),
        "region": data["region"],
        "requests_per_month": int(data["requests_per_month"]),
        "input_tokens": int(data["input_tokens"]),
        "output_tokens": int(data["output_tokens"]),
        "images_per_request": 0,
        "iterations_per_task": float(data["iterations_per_task"]),
    }
    return services.yearly_footprint(fields).emissions_kgco2e


# --- Preview ---------------------------------------------------------------------------------------


def test_the_htmx_preview_is_the_submission_footprint_and_matrix_place_and_saves_nothing(
    client, alice, sales
):
    client.force_login(alice)
    data = form_data(department=str(sales.pk), title="")  # no title yet: the preview does not need one

    response = client.post(reverse("governance:preview"), data, headers=HTMX)

    html = response.content.decode()
    emissions = _expected_footprint(data)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="preview"')
    assert quantity(emissions.central, "kgco2e") in html
    assert quantity(emissions.low, "kgco2e") in html and quantity(emissions.high, "kgco2e") in html
    quadrant = services.quadrant(
        UseCase(
            footprint={"emissions_kgco2e": {"central": emissions.central}},
            value_environmental=1,
            value_social=2,
            value_economic=4,
        ),
        services.thresholds(),
    )
    assert f'class="dot dot-{quadrant} dot-highlight"' in html
    assert not UseCase.objects.exists()


def test_the_preview_names_what_it_still_needs(client, alice, sales):
    client.force_login(alice)

    response = client.post(
        reverse("governance:preview"), form_data(task_type="", requests_per_month="many"), headers=HTMX
    )

    text = response.content.decode()
    assert "To see the yearly footprint, complete:" in text
    assert "Task type" in text and "Requests per month" in text


def test_the_preview_shows_the_estimators_objection(client, alice, sales):
    client.force_login(alice)
    response = client.post(reverse("governance:preview"), form_data(output_tokens="0"), headers=HTMX)
    assert "A text use case produces at least one output token" in response.content.decode()


def test_without_javascript_the_preview_button_shows_it_on_the_page_and_saves_nothing(client, alice, sales):
    client.force_login(alice)
    data = form_data(department=str(sales.pk), preview="1")

    response = client.post(reverse("governance:create"), data)

    html = response.content.decode()
    assert response.status_code == 200 and '<section id="preview"' in html
    assert quantity(_expected_footprint(data).central, "kgco2e") in html
    assert 'value="Summarise supplier contracts"' in html  # the form keeps what was typed
    assert not UseCase.objects.exists()


def test_editing_previews_without_saving(client, alice):
    case = use_case(alice)
    client.force_login(alice)
    edit = reverse("governance:edit", args=[case.pk])

    page = client.get(edit).content.decode()
    response = client.post(
        edit, form_data(department=str(case.department_id), requests_per_month="9999", preview="1")
    )

    assert '<section id="preview"' in page and "dot-highlight" in page  # the saved profile, previewed
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.requests_per_month == 400


def test_the_form_posts_its_preview_after_a_pause_not_on_a_timer(client, alice):
    client.force_login(alice)
    html = client.get(reverse("governance:create")).content.decode()
    trigger = re.search(r'<div id="preview-trigger"[^>]*>', html).group(0)
    assert f'hx-post="{reverse("governance:preview")}"' in trigger
    assert 'hx-trigger="input delay:600ms from:closest form"' in trigger
    assert 'hx-sync="this:replace"' in trigger and 'hx-include="closest form"' in trigger
    assert "every" not in trigger  # no polling
    assert 'name="preview"' in html  # the button that works without JavaScript


def test_the_preview_is_for_signed_in_users_and_takes_posts(client, alice):
    response = client.post(reverse("governance:preview"), form_data(), headers=HTMX)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(alice)
    assert client.get(reverse("governance:preview")).status_code == 405


# --- From an estimate ------------------------------------------------------------------------------


def test_an_estimates_inputs_fill_the_usage_profile_in(client, alice):
    client.force_login(alice)
    query = {
        "kind": "text",
        "model": "gpt-4o-mini",
        "region": "europe-north1",
        "input_tokens": "300.0",
        "output_tokens": "400.0",
        "requests": "1200.0",
        "iterations": "2.0",
    }

    response = client.get(reverse("governance:create"), query)

    form = response.context["form"]
    assert form.initial["model"] == AIModel.objects.get(slug="gpt-4o-mini").pk
    assert form.initial["region"] == "europe-north1"
    assert (form.initial["input_tokens"], form.initial["output_tokens"]) == (300, 400)
    assert form.initial["requests_per_month"] == 100  # 1,200 requests taken as a year's
    assert form.initial["iterations_per_task"] == 2
    assert form.initial["task_type"] == "text_generation"
    assert "taken as a year" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "requests", "per_month", "note"),
    [
        (
            "en",
            "1.0",
            1,
            "The estimate's volume, 1 request, is less than one request a month over a year: the form "
            "starts at 1 request a month (12 a year).",
        ),
        (
            "fr",
            "1.0",
            1,
            "Le volume de l'estimation, 1 requête, fait moins d'une requête par mois sur un an : le "
            "formulaire part de 1 requête par mois (12 par an).",
        ),
        ("en", "24.0", 2, "The estimate's volume, 24 requests, is taken as a year's: 2 requests a month."),
        (
            "fr",
            "1200.0",
            100,
            "Le volume de l'estimation, 1\xa0200 requêtes, est compté sur un an : 100 requêtes par mois.",
        ),
    ],
)
def test_an_estimates_volume_is_read_as_a_years_without_contradiction(
    client, alice, language, requests, per_month, note
):
    """A one-request estimate cannot be 'a year's' and give one request a month (12 a year): it says so."""
    client.force_login(alice)
    client.cookies["django_language"] = language
    query = {"kind": "text", "model": "gpt-4o-mini", "output_tokens": "400.0", "requests": requests}

    response = client.get(reverse("governance:create"), query)

    assert response.context["form"].initial["requests_per_month"] == per_month
    assert note in response.content.decode().replace("&#x27;", "'")


def test_odd_estimate_inputs_are_named_and_left_out(client, alice):
    client.force_login(alice)
    query = {
        "kind": "training",
        "model": "no-such-model",
        "region": "<script>",
        "requests": "nan",
        "iterations": "0",
        "width": "1e9",
        "estimate": "99999999999999999999",
    }

    response = client.get(reverse("governance:create"), query)

    html = response.content.decode()
    assert response.status_code == 200
    assert "These values of the estimate were left out" in html
    errors = response.context["prefill"].errors
    assert set(errors) == {"kind", "model", "region", "requests", "iterations", "width", "estimate"}
    assert "<script>" not in html


def test_a_saved_estimate_fills_the_form_in_for_its_owner_only(client, alice, colette):
    saved = estimator.estimate_save(
        owner=alice,
        name="Meeting notes",
        kind="text",
        inputs={
            "model": "gpt-4o-mini",
            "output_tokens": 500,
            "input_tokens": 3000,
            "requests": 2400,
            "region": "europe-west9",
        },
    )
    url = reverse("governance:create")

    client.force_login(alice)
    mine = client.get(url, {"estimate": saved.pk})
    client.force_login(colette)
    theirs = client.get(url, {"estimate": saved.pk})
    client.logout()
    anonymous = client.get(url, {"estimate": saved.pk})

    initial = mine.context["form"].initial
    assert initial["title"] == "Meeting notes" and initial["requests_per_month"] == 200
    assert initial["output_tokens"] == 500
    assert theirs.status_code == 404
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_a_training_estimate_does_not_describe_a_use_case(client, alice):
    saved = estimator.estimate_save(
        owner=alice, name="Fine-tune", kind="training", inputs={"gpu_hours": 100, "gpu_type": "h100"}
    )
    client.force_login(alice)

    response = client.get(reverse("governance:create"), {"estimate": saved.pk})
    detail = client.get(reverse("estimator:saved-detail", args=[saved.pk])).content.decode()

    assert "Only a text or image estimate describes a use case." in response.content.decode()
    assert "Register a use case from this estimate" not in detail


def test_the_estimator_result_and_a_saved_estimate_link_to_the_form(client, alice):
    saved = estimator.estimate_save(
        owner=alice, name="Drafts", kind="text", inputs={"model": "gpt-4o-mini", "output_tokens": 300}
    )
    client.force_login(alice)

    result = client.get(
        reverse("estimator:estimate"), {"kind": "text", "model": "gpt-4o-mini", "output_tokens": "250"}
    ).content.decode()
    detail = client.get(reverse("estimator:saved-detail", args=[saved.pk])).content.decode()

    link = re.search(r'href="(/[^"]*)">Register a use case from this estimate', result).group(1)
    assert link.startswith(reverse("governance:create") + "?kind=text")
    assert "model=gpt-4o-mini" in link and "output_tokens=250" in link
    assert f'href="{reverse("governance:create")}?estimate={saved.pk}"' in detail
    # Following the link fills the form in.
    followed = client.get(link.replace("&amp;", "&"))
    assert followed.context["form"].initial["output_tokens"] == 250


# --- Who decides, by when -------------------------------------------------------------------------


def test_submitting_says_who_decides_by_name_and_by_when(client, alice, bruno, settings):
    bruno.first_name, bruno.last_name = "Bruno", "Martin"
    bruno.save()
    settings.GOVERNANCE_DECISION_SLA_WORKING_DAYS = 5
    case = use_case(alice)
    client.force_login(alice)

    draft_page = client.get(reverse("governance:detail", args=[case.pk])).content.decode()
    response = client.post(reverse("governance:transition", args=[case.pk, "submit"]))
    page = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    case.refresh_from_db()
    due = notifications.working_days_after(case.submitted_at, 5)
    assert due == notifications.decision_due_at(case)
    assert due.date() - case.submitted_at.date() >= datetime.timedelta(days=5)
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    day = f"{timezone.localtime(due):%-d %B %Y}"  # as the pages show it, in the portal's time zone
    assert "Bruno Martin" in message and day in message
    assert "Bruno Martin" in page and f"decide by {day}" in page
    assert "Bruno Martin" in draft_page and "5 working days to decide" in draft_page


def test_nothing_is_due_when_no_decision_is_awaited(alice, bruno):
    assert notifications.decision_due_at(use_case(alice)) is None
    assert notifications.decision_due_at(use_case(alice, status="approved", decider=bruno)) is None


# --- Image-only fields, choices --------------------------------------------------------------------


def test_a_text_task_drops_image_settings_typed_for_it(client, alice, sales):
    client.force_login(alice)
    client.post(
        reverse("governance:create"),
        form_data(department=str(sales.pk), images_per_request="3", image_width="1024", image_height="1024"),
    )
    case = UseCase.objects.get()
    assert (case.images_per_request, case.image_width, case.image_height) == (0, None, None)


def test_switching_an_edit_from_images_to_text_drops_the_image_settings(client, alice):
    image = AIModel.objects.filter(modality="image", featured=True).first()
    case = use_case(
        alice,
        task_type="image_generation",
        model=image,
        images_per_request=2,
        image_width=512,
        image_height=512,
        output_tokens=0,
    )
    client.force_login(alice)

    client.post(
        reverse("governance:edit", args=[case.pk]),
        form_data(
            department=str(case.department_id), images_per_request="2", image_width="512", image_height="512"
        ),
    )

    case.refresh_from_db()
    assert case.task_type == "summarisation"
    assert (case.images_per_request, case.image_width, case.image_height) == (0, None, None)


def test_an_image_task_needs_its_image_count(client, alice, sales):
    image = AIModel.objects.filter(modality="image", featured=True).first()
    client.force_login(alice)
    response = client.post(
        reverse("governance:create"),
        form_data(
            department=str(sales.pk),
            task_type="image_generation",
            model=str(image.pk),
            images_per_request="",
            output_tokens="0",
        ),
    )
    assert "at least one image per request" in response.content.decode()
    assert not UseCase.objects.exists()


def test_image_fields_are_grouped_for_the_script_with_a_hint_for_without_it(client, alice):
    client.force_login(alice)
    html = client.get(reverse("governance:create")).content.decode()
    group = html.split('data-task-kind="image"', 1)[1].split("</fieldset>", 1)[0]
    assert all(f'name="{name}"' in group for name in ("images_per_request", "image_width", "image_height"))
    assert "Image generation only" in group
    assert "governance/use_case_form.js" in html


def test_the_choices_say_what_to_choose(client, alice, bruno):
    bruno.managed_departments.add(UserFactory().department)  # two departments to register in
    client.force_login(bruno)
    html = client.get(reverse("governance:create")).content.decode()
    assert "---------" not in html
    assert "Choose a task type" in html and "Choose a tier" in html


def test_a_re_review_is_due_a_decision_delay_after_it_starts_not_after_the_first_submission(
    client, alice, bruno
):
    case = use_case(alice, status="approved", decider=bruno)
    UseCase.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=400))

    case = services.usecase_start_review(use_case=case, reason="Scheduled re-review.")
    client.force_login(alice)
    page = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    due = notifications.decision_due_at(case)
    assert due is not None and due > timezone.now()
    assert not notifications.is_overdue(case)
    assert notifications.usecase_remind_pending() == 0
    assert f"are deciding on it again, by {timezone.localtime(due):%-d %B %Y}" in page
    assert "decision overdue" not in page
