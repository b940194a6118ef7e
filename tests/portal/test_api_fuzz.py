"""Schemathesis over /api/schema/, as an employee and as an admin (issue 14: checks that stay in CI).

Every operation gets generated valid and invalid requests (bounded: MAX_EXAMPLES each, derandomized so
that CI is reproducible); every response must be no server error, a documented status, JSON in the
documented shape (the success schema, or portal.rest's error body). The WSGI application is called in
the test's thread, so the test database and its transaction are the ones the fixtures fill.
"""

import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_create
from governance.models import UseCase
from portal.wsgi import application
from tests.factories import use_case

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 12
# No 5xx, and every answer as documented (status, content type, body). Not schemathesis's semantic checks
# (e.g. "schema-valid data must be accepted": a random username is schema-valid and still refused).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TIME_BUDGET_S = 75  # per persona; a slower machine fuzzes fewer operations rather than blowing CI's time


@pytest.fixture
def api_data(alice, bruno, root):
    """Something behind every path: use cases in several states the personas can see."""
    for status in (UseCase.Status.DRAFT, UseCase.Status.SUBMITTED, UseCase.Status.APPROVED):
        use_case(alice, status=status, decider=bruno)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection when a request finishes; its test client stops that for the
    request's duration, and so must we around the WSGI calls, or the test's transaction goes with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["alice", "root"])
def test_no_api_input_makes_a_server_error_or_breaks_the_schema(request, persona, api_data):
    user = request.getfixturevalue(persona)
    _token, key = token_create(user=user, name="schemathesis")
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    requests, failures, started = 0, [], time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > TIME_BUDGET_S:
            break

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            nonlocal requests
            requests += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as error:  # one failure per operation is enough to report it
            failures.append(f"{operation.label}: {str(error)[:2000]}")

    print(f"schemathesis as {persona}: {requests} requests, {len(failures)} failing operations")
    assert not failures, "\n\n".join(failures)
    assert requests > 0
    assert not failures, "\n\n".join(failures)
