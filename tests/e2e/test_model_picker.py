import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_model_outside_the_short_list_is_found_by_search_and_estimated(page: Page, live_server):
    # Given the demo employee on the estimator, whose model list is the short list
    call_command("load_demo")
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/estimator/")
    model = page.locator("#id_model")
    expect(model.locator("option")).to_have_count(31)
    result = page.locator("#estimate-result")
    expect(result).to_contain_text("gCO2e")
    page.evaluate("window.__same_page = true")

    # When she searches the catalogue for a model that is not in it and picks the match
    estimates: list[str] = []
    page.on(
        "request", lambda request: estimates.append(request.url) if "/estimator/?" in request.url else None
    )
    page.get_by_text("Other model…").click()
    page.get_by_label("Search the whole catalogue").fill("claude opus 4-7")
    expect(model.locator('option[value="claude-opus-4-7"]')).to_have_count(1)
    expect(page.locator("#id_model_status")).to_contain_text("1 model matches")
    page.wait_for_timeout(800)  # longer than the form's own 400 ms delay
    assert estimates == []  # typing a search asks the catalogue only, not for a new estimate
    model.select_option("claude-opus-4-7")

    # Then the estimate is for that model, in place, and the address remembers it
    expect(page).to_have_url(re.compile(r"model=claude-opus-4-7"))
    assert page.evaluate("window.__same_page") is True

    # And when the page is opened again from that address, the model is still the one selected
    page.reload()
    expect(page.locator("#id_model")).to_have_value("claude-opus-4-7")


def test_the_where_control_shows_only_the_chosen_input(page: Page, live_server):
    call_command("load_demo")
    sign_in(page, live_server.url, "alice", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/estimator/")
    region, country = page.locator("#id_region"), page.locator("#id_country")
    expect(region).to_be_visible()
    expect(country).to_be_hidden()

    page.get_by_role("radio", name="Country").check()
    expect(country).to_be_visible()
    expect(region).to_be_hidden()
    country.fill("FRA")

    expect(page).to_have_url(re.compile(r"where=country.*country=FRA"))
    expect(page.locator("#estimate-result .result-figure").first).to_contain_text("gCO2e")
