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
