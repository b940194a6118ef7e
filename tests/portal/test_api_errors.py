"""Every API error has one JSON shape, whatever raised it, and no input makes a 500 (issue 14, defect 9)."""

import json

import pytest
from django.test import override_settings

from accounts.services import token_create
from governance.models import UseCase
from tests.factories import DepartmentFactory, use_case
from tests.governance.test_api import PAYLOAD
from usage.connectors import services as connection_services
from usage.services import MAX_API_RECORDS

pytestmark = pytest.mark.django_db
USE_CASES = "/api/v1/governance/use-cases/"
ESTIMATES = "/api/v1/estimator/estimates/"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], dict)
    return body


def test_each_status_has_the_same_body_shape(client, alice, bruno, carla):
    # 401: no credentials (a bad token too), with the header that says how to authenticate
    response = client.get(USE_CASES)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")
    assert_error(client.get(USE_CASES, HTTP_AUTHORIZATION="Token nope"), 401, "authentication_failed")

    client.force_login(alice)
    # 400 from a serializer: messages per field
    body = assert_error(
        client.post(USE_CASES, {**PAYLOAD, "title": ""}, content_type="application/json"), 400, "invalid"
    )
    assert list(body["errors"]) == ["title"] and all(isinstance(m, str) for m in body["errors"]["title"])
    # 400 from a service's Django ValidationError (the estimator refuses the usage profile)
    body = assert_error(
        client.post(USE_CASES, {**PAYLOAD, "output_tokens": 10**9}, content_type="application/json"),
        400,
        "invalid",
    )
    assert "output_tokens" in body["errors"]
    # 400 from a malformed body
    assert_error(client.post(USE_CASES, "{", content_type="application/json"), 400, "parse_error")

    case = use_case(alice, status="submitted")
    # 403 from the service's PermissionDenied keeps its message
    body = assert_error(client.post(f"{USE_CASES}{case.pk}/approve/"), 403, "permission_denied")
    # 409 from the service's conflict
    body = assert_error(client.post(f"{USE_CASES}{case.pk}/submit/"), 409, "conflict")
    assert body["errors"] == {}
    # 404: another department's use case, or no such page
    client.force_login(carla)
    assert_error(client.get(f"{USE_CASES}{case.pk}/"), 404, "not_found")
    assert_error(client.get(f"{USE_CASES}?page=9"), 404, "not_found")
    # 405 and 415 too
    assert_error(client.delete(f"{USE_CASES}{case.pk}/"), 405, "method_not_allowed")
    assert_error(client.post(USE_CASES, "title: x", content_type="text/yaml"), 415, "unsupported_media_type")


def test_usage_record_errors_are_keyed_by_record_and_field(client, root, sales):
    client.force_login(root)
    body = assert_error(
        client.post("/api/v1/usage/records/", {"not": "a list"}, content_type="application/json"),
        400,
        "invalid",
    )
    assert list(body["errors"]) == ["records"]
    body = assert_error(
        client.post("/api/v1/usage/records/", [1], content_type="application/json"), 400, "invalid"
    )
    assert list(body["errors"]) == ["0"]


def test_every_list_is_paginated(client, alice, root, sales):
    for index in range(3):
        use_case(alice, title=f"Case {index}")
    connection, _token = connection_services.connection_create(
        created_by=root, name="Traces", kind="otlp", default_region="europe-west9"
    )
    connection_services.rule_create(connection=connection, field="project", value="bot", department=sales)
    token_create(user=root, name="script")
    client.force_login(root)
    for url in (
        USE_CASES,
        f"{USE_CASES}{UseCase.objects.first().pk}/events/",
        ESTIMATES,
        "/api/v1/estimator/models/",
        "/api/v1/estimator/regions/",
        "/api/v1/courses/",
        "/api/v1/usage/summary/?group_by=month",
        "/api/v1/auth/tokens/",
        "/api/v1/governance/budgets/",
        "/api/v1/reports/targets/",
        "/api/v1/usage/connections/",
        f"/api/v1/usage/connections/{connection.pk}/rules/",
        f"/api/v1/usage/connections/{connection.pk}/runs/",
    ):
        body = client.get(url).json()
        assert set(body) == {"count", "next", "previous", "results"}, url
    assert client.get("/api/v1/usage/connections/").json()["results"][0]["name"] == "Traces"
    assert client.get(f"/api/v1/usage/connections/{connection.pk}/rules/").json()["count"] == 1

    first = client.get(f"{USE_CASES}?page_size=2").json()
    second = client.get(first["next"]).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert len(second["results"]) == 1 and second["next"] is None
    titles = {row["title"] for row in first["results"] + second["results"]}
    assert titles == {"Case 0", "Case 1", "Case 2"}
    models = client.get("/api/v1/estimator/models/?page_size=100000").json()
    assert len(models["results"]) == min(models["count"], 500)


# --- Inputs that used to be 500s ----------------------------------------------------------------


@pytest.mark.parametrize("missing", ["input_tokens", "iterations_per_task"])
def test_a_use_case_without_an_optional_field_is_created_with_its_default(client, alice, missing):
    client.force_login(alice)
    payload = {name: value for name, value in PAYLOAD.items() if name != missing}

    response = client.post(USE_CASES, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    submitted = client.post(f"{USE_CASES}{response.json()['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["footprint"]["emissions_kgco2e"]["central"] > 0


@pytest.mark.parametrize("kind", [["text"], {"text": 1}, 1, None, True])
def test_an_estimate_kind_that_is_not_a_string_is_a_400(client, alice, kind):
    client.force_login(alice)
    response = client.post(ESTIMATES, {"kind": kind, "output_tokens": 5}, content_type="application/json")
    assert "kind" in assert_error(response, 400, "invalid")["errors"]


@pytest.mark.parametrize("body", [[1, 2], "text", 3])
def test_an_estimate_body_that_is_not_an_object_is_a_400(client, alice, body):
    client.force_login(alice)
    assert_error(client.post(ESTIMATES, json.dumps(body), content_type="application/json"), 400, "invalid")


@pytest.mark.parametrize("field", ["model", "department"])
def test_a_nul_character_in_a_reference_is_a_field_error(client, alice, field):
    client.force_login(alice)
    response = client.post(USE_CASES, {**PAYLOAD, field: "mistral\x00"}, content_type="application/json")
    assert field in assert_error(response, 400, "invalid")["errors"]


def test_a_nul_character_in_a_query_parameter_is_a_400(client, alice):
    client.force_login(alice)
    assert_error(client.get("/api/v1/courses/results/?course=a%00b"), 400, "invalid")
    use_case(alice, title="Draft job offers")
    # The similar-use-case search, as htmx asks for it and as a plain page (the registration form)
    similar = client.get("/governance/similar/?title=Draft%20job%20offers%00", headers={"HX-Request": "true"})
    assert similar.status_code == 200 and "Draft job offers" in similar.content.decode()
    page = client.get("/governance/similar/?title=Draft%20job%20offers%00", follow=True)
    assert page.status_code == 200 and "Draft job offers" in page.content.decode()


@pytest.mark.parametrize("year", ["²", "٢٠٢٤", "20240", "-1", "2024.0"])
def test_a_year_that_is_not_four_ascii_digits_is_a_400(client, alice, year):
    client.force_login(alice)
    assert (
        "year"
        in assert_error(client.get("/api/v1/estimator/regions/", {"year": year}), 400, "invalid")["errors"]
    )


def test_json_nested_a_thousand_deep_is_a_400(client, alice):
    client.force_login(alice)
    for depth in (1000, 100_000):
        deep = '{"kind": "text", "output_tokens": 5, "model": ' + "[" * depth + "]" * depth + "}"
        assert_error(client.post(ESTIMATES, deep, content_type="application/json"), 400, "parse_error")
    nested = '{"kind": "text", "output_tokens": 5, "model": ' + "[" * 100 + "]" * 100 + "}"
    assert (
        "model"
        in assert_error(client.post(ESTIMATES, nested, content_type="application/json"), 400, "invalid")[
            "errors"
        ]
    )


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_a_json_413(client, alice):
    client.force_login(alice)
    response = client.post(ESTIMATES, {"kind": "text", "name": "x" * 2000}, content_type="application/json")
    assert_error(response, 413, "too_large")


def test_ten_thousand_usage_records_fit_the_body_limit(client, root, settings):
    """The documented batch (usage.services.MAX_API_RECORDS), every text field at its longest."""
    department = DepartmentFactory(name="D" * 100)
    _token, key = token_create(user=root, name="usage batch")
    records = [
        {"date": "2026-10-05", "department": department.name, "use_case": None, "model": "gpt-4o-mini",
         "region": "europe-west9", "requests": 999_999_999, "input_tokens": 999_999_999_999,
         "output_tokens": 999_999_999_999, "images": 0, "image_width": None, "image_height": None,
         "source": "s" * 60, "external_id": f"{n:0120d}"}
        for n in range(MAX_API_RECORDS)
    ]  # fmt: skip
    body = json.dumps(records)
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/api/v1/usage/records/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201, response.content[:500]
    assert response.json()["inserted"] == MAX_API_RECORDS


def test_an_unknown_api_path_is_a_json_404_and_a_page_stays_html(client, alice):
    client.force_login(alice)
    assert_error(client.get("/api/v1/governance/use-cases/-1/"), 404, "not_found")
    assert_error(client.get("/api/v1/nowhere/"), 404, "not_found")
    assert client.get("/nowhere/")["Content-Type"].startswith("text/html")


def test_errors_of_the_reports_and_connections_apis_have_the_one_shape(client, root, bruno, research):
    client.force_login(bruno)
    body = assert_error(
        client.get("/api/v1/reports/ghg-export/", {"department": research.pk}), 400, "invalid"
    )
    assert list(body["errors"]) == ["department"]
    body = assert_error(client.get("/api/v1/reports/ghg-export/", {"output": "pdf"}), 400, "invalid")
    assert list(body["errors"]) == ["output"]  # the API's name for it, not the form's
    body = assert_error(
        client.get("/api/v1/reports/management-report/", {"period": "2026-13"}), 400, "invalid"
    )
    assert list(body["errors"]) == ["period"]
    body = assert_error(
        client.get("/api/v1/reports/ai-literacy-register/", {"output": "pdf"}), 400, "invalid"
    )
    assert list(body["errors"]) == ["output"]
    assert_error(
        client.post("/api/v1/reports/targets/", {"year": 2026, "emissions_kgco2e": 1}),
        403,
        "permission_denied",
    )
    client.force_login(root)
    body = assert_error(
        client.post(
            "/api/v1/reports/targets/", {"year": 2026, "emissions_kgco2e": 0}, content_type="application/json"
        ),
        400,
        "invalid",
    )
    assert list(body["errors"]) == ["emissions_kgco2e"]  # the service's Django ValidationError

    connection, _token = connection_services.connection_create(
        created_by=root, name="Traces", kind="otlp", default_region="europe-west9"
    )
    sync = client.post(
        f"/api/v1/usage/connections/{connection.pk}/sync/", {}, content_type="application/json"
    )
    assert list(assert_error(sync, 400, "invalid")["errors"]) == ["kind"]
    rule = {"field": "project", "value": "bot", "department": research.pk}
    rules = f"/api/v1/usage/connections/{connection.pk}/rules/"
    assert client.post(rules, rule, content_type="application/json").status_code == 201
    again = client.post(rules, rule, content_type="application/json")
    assert list(assert_error(again, 400, "invalid")["errors"]) == ["value"]


def test_a_body_too_large_for_django_before_the_api_view_is_a_json_413_too():
    """Django answers RequestDataTooBig read outside a view (a middleware) through handler400."""
    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from portal import rest

    api = rest.bad_request(RequestFactory().post("/api/v1/usage/records/"), exception=RequestDataTooBig())
    page = rest.bad_request(RequestFactory().post("/governance/new/"), exception=RequestDataTooBig())

    assert api.status_code == 413 and json.loads(api.content)["code"] == "too_large"
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_errors_of_each_operation_and_pages_every_list(client, alice):
    client.force_login(alice)
    schema = client.get("/api/schema/?format=json").json()
    error_body = {"$ref": "#/components/schemas/ErrorOutput"}
    transitions = ("submit", "approve", "reject", "request-changes", "retire")
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label, responses = f"{method.upper()} {path}", operation["responses"]
            for code, response in responses.items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == error_body, (label, code)
            expected = {"403"}
            if label != "POST /api/v1/auth/token/":  # the one call made without a credential
                expected.add("401")
            if method in ("post", "patch"):
                expected |= {"400", "413", "415"}
            if "{" in path:
                expected.add("404")
            ok = (responses.get("200") or {}).get("content", {}).get("application/json", {}).get("schema", {})
            assert ok.get("type") != "array", f"{label}: a list without pages"
            if ok.get("$ref", "").split("/")[-1].startswith("Paginated"):
                assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}, label
                expected |= {"400", "404"}
            if path.startswith(USE_CASES) and (method == "patch" or path.rstrip("/").endswith(transitions)):
                expected.add("409")
            assert expected <= set(responses), (label, sorted(expected - set(responses)))
            checked += 1
    assert checked >= 30
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"400", "403", "429"} <= set(token) and "401" not in token
    assert "Too many failed attempts" in token["429"]["description"]


def test_a_use_case_without_a_budget_is_a_404_in_the_one_body(client, alice):
    client.force_login(alice)
    draft = use_case(alice)
    body = assert_error(client.get(f"{USE_CASES}{draft.pk}/budget/"), 404, "not_found")
    assert body["detail"] == "This use case has no budget yet."
