"""A request with a method a URL does not take (a GET on a POST-only action) answers 405 with a page in
the site's layout, in the reader's language, and JSON under /api/; it used to be a blank page."""

import json

import pytest
from django.http import HttpResponse, HttpResponseNotAllowed
from django.test import RequestFactory
from django.urls import reverse

from portal.method_not_allowed import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This address does not take that request"), ("fr", "Cette adresse n’accepte pas cette requête")],
)
def test_a_get_on_a_post_only_action_has_a_page(client, alice, language, heading):
    client.cookies["django_language"] = language
    client.force_login(alice)

    response = client.get(reverse("estimator:estimate-save"))

    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert heading in page and 'error-page"' in page and '<main id="main"' in page  # the site's layout


def test_signed_out_the_page_still_answers(client):
    response = client.get(reverse("estimator:estimate-save"))
    assert response.status_code in (302, 405)  # the sign-in check comes first where there is one


def test_under_api_a_bodiless_405_becomes_the_api_error_body():
    request = RequestFactory().get("/api/v1/anything/")
    middleware = MethodNotAllowedPageMiddleware(lambda request: HttpResponseNotAllowed(["POST"]))

    response = middleware(request)

    assert response.status_code == 405 and response["Allow"] == "POST"
    assert json.loads(response.content)["code"] == "method_not_allowed"


def test_a_405_with_a_body_is_left_alone():
    request = RequestFactory().get("/somewhere/")
    middleware = MethodNotAllowedPageMiddleware(lambda request: HttpResponse("mine", status=405))
    assert middleware(request).content == b"mine"
