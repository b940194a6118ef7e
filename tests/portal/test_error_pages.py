"""Error pages in the site's layout, saying why and where to go (issue 13, item 3); the API keeps JSON."""

import pytest
from django.test import Client
from django.urls import reverse

from courses import services as courses
from courses.models import Course
from tests.factories import use_case

pytestmark = pytest.mark.django_db


def landmarks(html: str) -> bool:
    return all(tag in html for tag in ('<header class="site-header"', '<main id="main"', "<footer", "<h1>"))


def test_a_missing_page_is_a_404_in_the_layout_with_ways_back(client, alice):
    client.force_login(alice)

    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert landmarks(html) and "Page not found" in html
    assert 'href="/"' in html and 'href="/governance/"' in html
    assert "Resolver404" not in html


def test_a_use_case_not_shared_with_you_is_a_404_without_django_s_wording(client, colette, alice):
    draft = use_case(alice)  # a draft: only its owner sees it
    client.force_login(colette)

    html = client.get(reverse("governance:detail", args=[draft.pk])).content.decode()

    assert "Page not found" in html and "not shared with you" in html
    assert "matches the given query" not in html


def test_404_in_french(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "fr"

    html = client.get("/no/such/page/").content.decode()

    assert 'lang="fr"' in html and "Page introuvable" in html


def test_the_dashboard_refused_to_an_employee_says_why_in_the_layout(client, alice):
    client.force_login(alice)

    response = client.get(reverse("usage:dashboard"))

    html = response.content.decode()
    assert response.status_code == 403
    assert landmarks(html) and "You cannot open this page" in html
    assert "The emissions dashboard is for managers" in html
    assert "Employee" in html  # the role it is not open to


def test_a_refused_api_call_stays_json(client, alice):
    client.force_login(alice)

    missing = client.get("/api/v1/no-such-endpoint/")
    refused = client.get("/api/v1/usage/summary/?group_by=month")

    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")


def test_a_server_error_is_a_page_in_the_layout(alice, settings):
    # Given a view that fails (Django renders 500.html without the request: no CSRF token, no user)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    settings.ROOT_URLCONF = "tests.portal.failing_urls"

    response = client.get("/fail/")

    html = response.content.decode()
    assert response.status_code == 500
    assert landmarks(html) and "Something went wrong on our side" in html
    assert "set_language" not in html and 'action="/i18n/setlang/"' not in html


def test_a_form_sent_with_an_expired_token_gets_a_page_that_says_what_to_do(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(reverse("governance:create"), {"title": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert landmarks(html) and "This form has expired" in html and "reload the page" in html


def test_a_module_before_the_first_practice_tasks_leads_back_to_the_course(client, alice):
    course = Course.objects.get(slug="frugal-prompting")
    courses.course_enroll(user=alice, course=course)
    client.force_login(alice)

    module = client.get(reverse("courses:module", args=[course.slug, 1]), follow=True)
    certificate = client.get(reverse("courses:certificate", args=[course.slug]), follow=True)

    assert module.redirect_chain == [(reverse("courses:detail", args=[course.slug]), 302)]
    assert "Do the practice tasks first" in module.content.decode()
    assert certificate.redirect_chain == [(reverse("courses:detail", args=[course.slug]), 302)]
    assert "The certificate comes when the course is complete" in certificate.content.decode()
