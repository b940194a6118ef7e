"""The dashboard's emissions KPI in everyday terms (issue 13), in English and French."""

import pytest
from django.urls import reverse
from django.utils import timezone

from estimator.templatetags.equivalents import everyday
from portal.dates import month_start
from tests.usage.test_dashboard_kpis import add_month
from usage import rollups

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "says"), [("en", "The same emissions as:"), ("fr", "Autant d’émissions que :")]
)
def test_the_emissions_kpi_reads_in_everyday_terms_with_its_source(client, root, sales, language, says):
    add_month(sales, month_start(timezone.localdate()), requests=1000)
    rollups.rollups_recompute()
    client.force_login(root)
    client.cookies["django_language"] = language

    response = client.get(reverse("usage:dashboard"))

    html = response.content.decode()
    kpi = html.split('class="cards kpis"')[1].split("</ul>")[0]
    assert says in kpi and 'href="https://impactco2.fr"' in kpi
    if language == "en":
        assert everyday(response.context["kpis"].emissions_kgco2e)[0]["text"] in kpi


def test_no_usage_no_equivalents(client, root):
    client.force_login(root)

    html = client.get(reverse("usage:dashboard")).content.decode()

    assert "The same emissions as:" not in html
