"""The dashboard's KPI cards follow the period and filters, and compare with the months before only
where those are a fair base (issue 13, item 4: "325418% vs the 12 months before")."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dates import month_start, months_back
from usage import dashboard, rollups
from usage import services as usage

pytestmark = pytest.mark.django_db


def add_month(department, month: datetime.date, requests: int = 100, key: str = "") -> None:
    ids = usage.Lookups()
    usage.insert_records(
        [
            (
                month, department.pk, None, ids.models["gpt-4o"][0], "us-central1", requests,
                requests * 500, requests * 400, 0, None, None, "t", f"{department.pk}-{month}-{key}",
            )
        ]
    )  # fmt: skip


def kpis_of(client, **params):
    return client.get(reverse("usage:dashboard"), params).context["kpis"]


THIS_MONTH = month_start(timezone.localdate())


def test_a_first_month_of_records_is_no_base_for_a_percentage(client, root, sales):
    # Given a year of usage, and before it a single small month (the records' start)
    for back in range(12):
        add_month(sales, months_back(THIS_MONTH, back), requests=1000)
    add_month(sales, months_back(THIS_MONTH, 12), requests=1)
    rollups.rollups_recompute()
    client.force_login(root)

    page = client.get(reverse("usage:dashboard"))

    # Then no percentage: it would be the records' start, not a change
    kpis = page.context["kpis"]
    assert (kpis.previous_months_with_usage, kpis.months_with_usage) == (1, 12)
    assert kpis.comparison == "partial" and kpis.change is None
    html = page.content.decode()
    assert "Not compared: usage recorded in 1 of those months against 12 now" in html
    assert not re.search(r"\d{4,}\s?%", html)


def test_full_months_before_are_compared_in_percent_or_as_a_multiple(client, root, sales):
    # Given three months of usage and the same three months before, with 60% less now
    for back in range(3):
        add_month(sales, months_back(THIS_MONTH, back), requests=40)
        add_month(sales, months_back(THIS_MONTH, back + 3), requests=100)
    rollups.rollups_recompute()
    client.force_login(root)
    period = {"start": f"{months_back(THIS_MONTH, 2):%Y-%m}", "end": f"{THIS_MONTH:%Y-%m}"}

    kpis = kpis_of(client, **period)
    html = client.get(reverse("usage:dashboard"), period).content.decode()

    assert kpis.months == 3 and kpis.comparison == "percent"
    assert kpis.change == pytest.approx(-0.6)
    assert "down 60%" in html and "Against the 3 months before" in html

    # And a period twice as heavy as the one before reads as a multiple
    for back in range(3):
        add_month(sales, months_back(THIS_MONTH, back), requests=400, key="more")
    rollups.rollups_recompute()
    assert kpis_of(client, **period).comparison == "multiple"
    assert "×4.4" in client.get(reverse("usage:dashboard"), period).content.decode()


def test_no_usage_before_says_so(client, root, sales):
    add_month(sales, THIS_MONTH)
    rollups.rollups_recompute()
    client.force_login(root)

    html = client.get(reverse("usage:dashboard")).content.decode()

    assert "Not compared: no usage recorded in those months." in html


def test_the_cards_follow_the_period_and_the_department(client, root, sales, research):
    add_month(sales, THIS_MONTH, requests=100)
    add_month(research, THIS_MONTH, requests=300)
    add_month(sales, months_back(THIS_MONTH, 5), requests=1000)
    rollups.rollups_recompute()
    client.force_login(root)
    this_month = {"start": f"{THIS_MONTH:%Y-%m}", "end": f"{THIS_MONTH:%Y-%m}"}

    everything = kpis_of(client)
    only_now = kpis_of(client, **this_month)
    sales_now = kpis_of(client, **this_month, department=sales.pk)

    rows = dashboard.filtered_rows(root, start=THIS_MONTH, end=THIS_MONTH, department=sales.pk)
    assert everything.emissions_kgco2e > only_now.emissions_kgco2e > sales_now.emissions_kgco2e
    assert sales_now.emissions_kgco2e == pytest.approx(sum(r["emissions_kgco2e_central"] for r in rows))
    assert only_now.months == 1 and sales_now.employees == 0  # nobody of Sales in the personas used here
    assert sales_now.per_1000_requests_kgco2e == pytest.approx(sales_now.emissions_kgco2e / 100 * 1000)
