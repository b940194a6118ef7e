"""Edges of governance.services that a one-line change would move unnoticed (found with mutmut):
dates, thresholds taken as "at or above", the levers' exact options, who is never a decider."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from estimator import levers
from estimator.models import AIModel
from governance import services
from governance.models import UseCase
from tests.factories import use_case, use_case_fields

pytestmark = pytest.mark.django_db
Status = UseCase.Status


@pytest.mark.parametrize(
    ("today", "months", "due"),
    [
        (datetime.date(2026, 3, 15), 12, datetime.date(2027, 3, 15)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),  # across the year, day capped at 28
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
        (datetime.date(2026, 6, 10), 24, datetime.date(2028, 6, 10)),
    ],
)
def test_the_re_review_falls_due_months_later(settings, today, months, due):
    settings.GOVERNANCE_REVIEW_MONTHS = months
    assert services.review_due_date(today) == due


def test_due_reviews_start_on_their_day_not_the_day_before(alice, bruno):
    case = use_case(alice, status="approved", decider=bruno)
    today = timezone.localdate()
    UseCase.objects.filter(pk=case.pk).update(review_due_on=today + datetime.timedelta(days=1))
    assert services.usecase_start_due_reviews(today=today) == 0
    UseCase.objects.filter(pk=case.pk).update(review_due_on=today)
    assert services.usecase_start_due_reviews(today=today) == 1
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW and case.events.last().comment == "Scheduled re-review."


def test_the_matrix_thresholds_are_at_or_above(alice):
    case = use_case(alice, status="submitted")  # values 1, 3, 4: mean 8/3
    limits = services.thresholds()
    limits.value_threshold = case.value_score
    limits.impact_threshold_kgco2e = case.yearly_emissions_kgco2e
    assert services.quadrant(case, limits) == "optimise"  # both exactly at the threshold: high and high
    limits.impact_threshold_kgco2e = case.yearly_emissions_kgco2e * 1.0001
    assert services.quadrant(case, limits) == "go"
    limits.value_threshold = case.value_score + 0.01
    assert services.quadrant(case, limits) == "reconsider"
    assert services.quadrant(use_case(alice, title="Not submitted"), limits) is None


def test_the_levers_options_for_text(alice):
    case = use_case(alice, status="submitted", iterations_per_task=3, output_tokens=500)
    options = services.usecase_levers(case)["options"]
    assert options == {
        "region": "europe-north2",
        "iterations_per_task": 2.0,  # half the extra prompts
        "model": AIModel.objects.get(slug=levers.SMALL_TEXT_MODEL).name,
        "output_tokens": 300,  # 60 % of 500
    }


@pytest.mark.parametrize(
    ("size", "capped"),
    [((2048, 1024), (768, 384)), ((512, 512), (512, 512)), ((None, None), (768, 768))],
)
def test_the_levers_options_for_images(alice, size, capped):
    case = use_case(
        alice,
        task_type="image_generation",
        model=AIModel.objects.get(slug="sdxl"),
        output_tokens=0,
        input_tokens=0,
        images_per_request=2,
        image_width=size[0],
        image_height=size[1],
    )
    options = services.usecase_levers(case)["options"]
    assert (options["image_width"], options["image_height"]) == capped
    assert options["model"] == AIModel.objects.get(slug=levers.SMALL_IMAGE_MODEL).name


def test_an_image_use_case_needs_images_and_an_image_model(alice):
    with pytest.raises(ValidationError) as error:
        services.usecase_create(
            owner=alice,
            **use_case_fields(
                task_type="image_generation", model=AIModel.objects.get(slug="sdxl"), output_tokens=0
            ),
        )
    assert error.value.message_dict == {
        "images_per_request": ["An image use case generates at least one image per request."]
    }
    with pytest.raises(ValidationError) as error:
        services.usecase_create(
            owner=alice, **use_case_fields(task_type="image_generation", images_per_request=1)
        )
    assert error.value.message_dict["model"] == ["Image generation needs an image model."]


def test_the_estimators_errors_name_the_use_cases_fields(alice):
    with pytest.raises(ValidationError) as error:
        services.usecase_create(
            owner=alice,
            **use_case_fields(
                task_type="image_generation",
                model=AIModel.objects.get(slug="sdxl"),
                output_tokens=0,
                images_per_request=1,
                image_width=10**7,
                image_height=512,
            ),
        )
    assert "image_width" in error.value.message_dict and "width" not in error.value.message_dict


def test_nobody_signed_out_decides_and_the_owner_joining_is_a_no_op(alice, bruno):
    case = use_case(alice, status="submitted")
    assert not services.is_decider(AnonymousUser(), case)
    services.usecase_join(use_case=case, user=alice)
    assert not case.members.exists()


def test_unknown_fields_are_refused(alice):
    with pytest.raises(ValidationError) as error:
        services.usecase_create(owner=alice, **use_case_fields(status="approved"))
    assert error.value.message_dict == {"status": ["Unknown field."]}
    case = use_case(alice)
    with pytest.raises(ValidationError) as error:
        services.usecase_update(use_case=case, actor=alice, owner_id=1)
    assert error.value.message_dict == {"owner_id": ["Unknown field."]}


def test_a_resubmission_after_changes_clears_the_last_reminder(alice, bruno):
    case = use_case(alice, status="changes_requested", decider=bruno)
    UseCase.objects.filter(pk=case.pk).update(reminded_at=timezone.now())
    case = services.usecase_submit(use_case=UseCase.objects.get(pk=case.pk), actor=alice)
    case.refresh_from_db()
    assert case.reminded_at is None and case.submitted_at is not None
