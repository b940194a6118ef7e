"""The dashboard's panels loaded after the page (the training's effect, the what-if): each loads once,
and without JavaScript each works as a whole page (issue 13, items 2 and 12)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dates import month_start, months_back
from tests.usage.test_dashboard import add_usage

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
WHAT_IF = {
    "whatif-region": "europe-north2",
    "whatif-output_cap_percent": "30",
    "whatif-train_remaining": "on",
    "whatif-small_model_percent": "50",
}


def training_panel(html: str) -> str:
    match = re.search(r'<div id="training-panel".*?</div>', html, re.S)
    assert match, "no training panel"
    return match.group(0)


def test_the_page_asks_for_the_training_panel_once_and_the_panel_does_not_ask_again(client, root):
    client.force_login(root)

    page = client.get(reverse("usage:dashboard")).content.decode()
    fragment = client.get(reverse("usage:dashboard-training"), headers=HTMX).content.decode()

    # The placeholder loads the panel once…
    assert 'hx-trigger="load"' in training_panel(page)
    # …and what replaces it carries no trigger (it used to carry the same one: a request loop)
    assert fragment.lstrip().startswith('<div id="training-panel"')
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert "No training results yet." in fragment


def test_without_javascript_the_training_panel_is_a_link_to_the_page_with_it(client, root, sales):
    add_usage([sales])
    client.force_login(root)

    page = client.get(reverse("usage:dashboard"), {"department": sales.pk}).content.decode()
    link = re.search(r'<a href="([^"]+)"', training_panel(page)).group(1).replace("&amp;", "&")
    followed = client.get(link).content.decode()

    assert "Loading" not in page
    assert link.startswith(reverse("usage:dashboard-training")) and f"department={sales.pk}" in link
    # The whole page, filters kept, with the panel filled in and nothing left to load
    assert followed.lstrip().lower().startswith("<!doctype html>")
    assert "No training results yet." in training_panel(followed)
    assert 'hx-trigger="load"' not in followed
    assert f'<option value="{sales.pk}" selected>' in followed


def test_what_if_compute_answers_htmx_with_the_panel_and_a_plain_get_with_the_page(client, root, sales):
    add_usage([sales], months=2)
    client.force_login(root)

    fragment = client.get(reverse("usage:dashboard-what-if"), WHAT_IF, headers=HTMX).content.decode()
    page = client.get(reverse("usage:dashboard-what-if"), WHAT_IF).content.decode()

    assert fragment.lstrip().startswith('<div id="whatif-panel"') and "divided by" in fragment
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "GenAI emissions" in page and "divided by" in page
    # The form keeps what was asked
    assert 'name="whatif-small_model_percent" value="50"' in page


def test_the_what_if_form_fields_do_not_share_ids_with_the_filters(client, root):
    client.force_login(root)

    page = client.get(reverse("usage:dashboard")).content.decode()

    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'action="/dashboard/what-if/#whatif-heading"' in page


def test_the_training_panel_is_the_managers_and_admins_only(client, alice):
    client.force_login(alice)

    assert client.get(reverse("usage:dashboard-training")).status_code == 403
    assert client.get(reverse("usage:dashboard-what-if"), WHAT_IF).status_code == 403


def test_from_after_to_is_an_error_not_a_silent_swap(client, root, sales):
    add_usage([sales])
    client.force_login(root)

    response = client.get(reverse("usage:dashboard"), {"start": "2026-06", "end": "2026-01"})
    api = client.get("/api/v1/usage/summary/", {"group_by": "month", "from": "2026-06", "to": "2026-01"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "“To” is before “From”" in html
    # The page shows the default period instead (the last 12 months), not the swapped one
    this_month = month_start(timezone.localdate())
    assert (response.context["start"], response.context["end"]) == (months_back(this_month, 11), this_month)
    assert api.status_code == 400


def table_placeholder(html: str, name: str) -> str:
    match = re.search(rf'<div id="{name}-table">.*?</div>', html, re.S)
    assert match, f"no {name} table placeholder"
    return match.group(0)


@pytest.mark.parametrize("name", ["month", "department", "model", "region", "use_case"])
def test_a_breakdown_table_loads_when_asked_with_the_pages_filters(client, root, sales, research, name):
    """The charts' tables (their text alternative: the trend by month and the four breakdowns) are not in
    the page (EcoIndex A needs a lighter DOM): a link asks for one, htmx swaps it in; nothing loads by
    itself."""
    add_usage([sales, research], months=2)
    client.force_login(root)

    page = client.get(reverse("usage:dashboard"), {"department": sales.pk})
    html = page.content.decode()
    placeholder = table_placeholder(html, name)
    link = re.search(r'href="([^"]+)"', placeholder).group(1).replace("&amp;", "&")
    fragment = client.get(link.split("#")[0], headers=HTMX)
    groups = {"month": page.context["trend"]} | {key: groups for key, groups, _ in page.context["breakdowns"]}
    groups = groups[name]

    assert '<table class="breakdown">' not in html
    assert "hx-trigger" not in placeholder  # htmx's default for a link: on click
    assert link.startswith(reverse("usage:dashboard-table", args=[name])) and f"department={sales.pk}" in link
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith(f'<div id="{name}-table"') and "<!doctype" not in body.lower()
    # The same groups as the page's chart, with the same filters (Research filtered out)
    assert fragment.context["groups"] == groups
    assert body.count('<th scope="row">') == len(groups) >= 1
    assert "Research" not in body
    assert re.search(rf'href="/dashboard/\?[^"]*department={sales.pk}&amp;export={name}"', body)


def test_without_javascript_a_breakdown_table_link_opens_the_page_with_that_table(client, root, sales):
    add_usage([sales])
    client.force_login(root)

    page = client.get(reverse("usage:dashboard-table", args=["model"]), {"department": sales.pk})
    html = page.content.decode()

    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.count('<table class="breakdown">') == 1  # the one asked
    assert "model-show" not in html and "department-show" in html
    assert f'<option value="{sales.pk}" selected>' in html


def test_breakdown_tables_are_the_managers_and_admins_only_and_scoped(client, alice, bruno, sales, research):
    add_usage([sales, research])
    url = reverse("usage:dashboard-table", args=["department"])

    client.force_login(alice)
    assert client.get(url, headers=HTMX).status_code == 403
    client.force_login(bruno)
    team = client.get(url, headers=HTMX)
    assert [label for label, _ in team.context["groups"]] == ["Sales"]
    assert client.get(reverse("usage:dashboard-table", args=["nothing"])).status_code == 404
