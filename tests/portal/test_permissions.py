from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.services import token_create
from courses import services as course_services
from courses.models import Course
from estimator import services
from governance import services as governance
from reports.models import Target
from tests.factories import use_case
from tests.permissions import ADMIN_LOGIN, GUARDED_NAMESPACES, LOGIN, MATRIX, PERSONAS
from usage.models import UsageImport


def url_names(resolver: URLResolver, namespace: str = "") -> list[tuple[str, str]]:
    """Every URL pattern of the project as (namespaced name or '', pattern text)."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += [(name, f"{entry.pattern}{text}") for name, text in url_names(entry, inner)]
        elif isinstance(entry, URLPattern):
            found.append(
                (f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>", str(entry.pattern))
            )
    return found


def test_every_url_has_an_entry_in_the_permission_matrix():
    # Given the whole URL configuration
    patterns = url_names(get_resolver())

    # When looking each URL up in the matrix (or in a guarded namespace)
    missing = [
        (name, text)
        for name, text in patterns
        if name not in MATRIX and name.split(":")[0] not in GUARDED_NAMESPACES
    ]

    # Then none is missing
    assert missing == [], f"URLs without a permission-matrix entry: {missing}"


def test_the_matrix_names_only_existing_urls():
    names = {name for name, _ in url_names(get_resolver())}
    assert set(MATRIX) - names == set()


@pytest.fixture
def objects(personas: dict[str, Any]) -> dict[str, Any]:
    """The personas and the rows the matrix's URLs point at, all owned by the employee (alice)."""
    alice = personas["employee"]
    estimates = [
        services.estimate_save(
            owner=alice, name=name, kind="text", inputs={"model": "gpt-4o", "output_tokens": 100}
        )
        for name in ("first", "second")
    ]
    use_cases = {
        status: use_case(
            alice, status=status, decider=personas["manager"], title=f"Alice's {status} use case"
        )
        for status in ("draft", "submitted", "approved")
    }
    for case in use_cases.values():
        governance.usecase_join(use_case=case, user=personas["member"])
    enrollment = course_services.course_enroll(user=alice, course=Course.objects.get(slug="frugal-prompting"))
    attempt = course_services.attempt_start(
        enrollment=enrollment, task=enrollment.course.tasks.filter(set=enrollment.first_set).first()
    )
    usage_import = UsageImport.objects.create(
        uploaded_by=personas["admin"], file_name="usage.csv", path="/nonexistent"
    )
    target = Target.objects.create(
        year=2026, department=alice.department, emissions_kgco2e=100, set_by=personas["admin"]
    )
    api_token, _key = token_create(user=alice, name="alice's script")
    return {
        **personas,
        "target": target,
        "api_token": api_token,
        "estimate": estimates[0],
        "estimates": estimates,
        **use_cases,
        "attempt": attempt,
        "usage_import": usage_import,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(url_name: str, persona: str, objects: dict[str, Any], client: Client):
    case = MATRIX[url_name]
    user = objects[persona]
    if user is not None:
        client.force_login(user)
    kwargs = case.kwargs(objects) if callable(case.kwargs) else case.kwargs
    data = case.data(objects) if callable(case.data) else case.data
    url = reverse(url_name, kwargs=kwargs)

    response = getattr(client, case.method)(url, data=data)

    expected = case.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, (url, persona, response.status_code)
