"""Targets through the services: progress, off-pace departments, one alert per period; the pages."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reports import targets
from reports.models import Target
from tests.reports.helpers import rollup

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 2)  # day 183 of 365: the pace is 183/365 of the target


def test_only_admins_set_targets_and_a_second_one_replaces_the_first(root, bruno, sales):
    targets.target_set(user=root, year=2026, department=sales, emissions_kgco2e=100)
    targets.target_set(user=root, year=2026, department=sales, emissions_kgco2e=80, energy_kwh=50)
    targets.target_set(user=root, year=2026, department=None, emissions_kgco2e=500)

    assert Target.objects.count() == 2
    assert Target.objects.get(department=sales).emissions_kgco2e == 80
    with pytest.raises(PermissionDenied):
        targets.target_set(user=bruno, year=2026, department=sales, emissions_kgco2e=1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"emissions_kgco2e": 0}, "emissions_kgco2e"),
        ({"emissions_kgco2e": -5}, "emissions_kgco2e"),
        ({"emissions_kgco2e": 10, "energy_kwh": 0.0}, "energy_kwh"),
        ({"emissions_kgco2e": 10, "year": 1999}, "year"),
    ],
)
def test_bad_targets_are_refused_field_by_field(root, fields, field):
    with pytest.raises(ValidationError) as error:
        targets.target_set(user=root, **{"year": 2026, "department": None, **fields})
    assert field in error.value.message_dict
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("sales_kg", "research_kg", "off"),
    [
        ((10, 10, 10, 10, 10, 10, 5), (1, 1, 1, 1, 1, 1, 1), {"Sales"}),  # Sales 65 kg > pace 50.1
        ((5, 5, 5, 5, 5, 5, 1), (20, 20, 20, 20, 20, 20, 20), {"Research"}),  # Research 140 > 50.1
        ((5, 5, 5, 5, 5, 5, 1), (1, 1, 1, 1, 1, 1, 1), set()),
    ],
)
def test_off_pace_departments_are_those_above_their_pace(root, sales, research, sales_kg, research_kg, off):
    # Given a 100 kg target for each department and usage January to July
    for department, monthly in ((sales, sales_kg), (research, research_kg)):
        targets.target_set(user=root, year=2026, department=department, emissions_kgco2e=100)
        for month, kg in enumerate(monthly, start=1):
            rollup(datetime.date(2026, month, 1), department, kg)

    # When computing progress on 2 July
    progresses = targets.targets_progress(root, today=TODAY)

    # Then
    assert {item.label for item in targets.off_pace_departments(progresses)} == off
    sales_progress = next(item for item in progresses if item.target.department == sales).emissions
    assert sales_progress.pace == pytest.approx(100 * 183 / 365)
    assert sales_progress.to_date == pytest.approx((sum(sales_kg) / 2, sum(sales_kg), sum(sales_kg) * 1.5))
    # Forecast: six complete months (January–June) and their trend for July–December
    assert sales_progress.forecast is not None


def test_the_organisation_target_counts_every_department_and_the_forecast_follows_the_trend(
    root, sales, research
):
    targets.target_set(user=root, year=2026, department=None, emissions_kgco2e=1000, energy_kwh=3000)
    for month in range(1, 7):
        rollup(datetime.date(2026, month, 1), sales, 10 * month)  # 10, 20, … 60: +10 a month
        rollup(datetime.date(2026, month, 1), research, 5)

    (item,) = targets.targets_progress(root, today=TODAY)

    complete = sum(10 * m + 5 for m in range(1, 7))
    ahead = sum(10 * m + 5 for m in range(7, 13))
    assert item.emissions.to_date[1] == pytest.approx(complete)
    assert item.emissions.forecast[1] == pytest.approx(complete + ahead)
    assert item.energy.to_date[1] == pytest.approx(2 * complete)


def test_managers_see_their_departments_targets_only(root, bruno, sales, research):
    targets.target_set(user=root, year=2026, department=sales, emissions_kgco2e=100)
    targets.target_set(user=root, year=2026, department=research, emissions_kgco2e=100)
    targets.target_set(user=root, year=2026, department=None, emissions_kgco2e=100)

    assert [item.label for item in targets.targets_progress(bruno, today=TODAY)] == ["Sales"]
    assert len(targets.targets_progress(root, today=TODAY)) == 3


def test_crossing_the_pace_sends_one_email_per_period_to_admins_and_the_managers(
    root, bruno, carla, sales, research
):
    # Given Sales above the pace of its target, Research under it
    targets.target_set(user=root, year=2026, department=sales, emissions_kgco2e=100)
    targets.target_set(user=root, year=2026, department=research, emissions_kgco2e=100)
    rollup(datetime.date(2026, 6, 1), sales, 80)
    rollup(datetime.date(2026, 6, 1), research, 1)
    bruno.language = "fr"
    bruno.save()

    # When the daily check runs twice in July, then once in August
    first = targets.targets_check_pace(today=TODAY)
    again = targets.targets_check_pace(today=TODAY + datetime.timedelta(days=3))
    august = targets.targets_check_pace(today=datetime.date(2026, 8, 3))

    # Then the admin and Sales's manager get one e-mail in July and one in August; Research's none
    assert (first, again, august) == (2, 0, 2)
    assert sorted(message.to[0] for message in mail.outbox[:2]) == sorted([root.email, bruno.email])
    french = next(message for message in mail.outbox if message.to == [bruno.email])
    english = next(message for message in mail.outbox if message.to == [root.email])
    assert "rythme" in french.subject
    assert "pace" in english.subject
    assert carla.email not in {message.to[0] for message in mail.outbox}


def test_the_targets_page_shows_progress_and_admins_set_targets(client, root, bruno, sales):
    rollup(timezone.localdate().replace(day=1), sales, 5)
    client.force_login(root)
    response = client.post(
        reverse("reports:targets"),
        {"year": timezone.localdate().year, "department": sales.pk, "emissions_kgco2e": "100"},
    )
    assert response.status_code == 302
    bad = client.post(reverse("reports:targets"), {"year": 2026, "emissions_kgco2e": "-1"})
    assert bad.status_code == 200 and bad.context["form"].errors

    client.force_login(bruno)
    page = client.get(reverse("reports:targets"))
    assert [item.label for item in page.context["progresses"]] == ["Sales"]
    assert client.post(reverse("reports:targets"), {"year": 2026, "emissions_kgco2e": "1"}).status_code == 403
    dashboard = client.get(reverse("usage:dashboard"))
    assert [item.label for item in dashboard.context["progresses"]] == ["Sales"]
