"""Schemathesis over /api/schema/, as an employee and as an admin (issue 14: checks that stay in CI).

Every operation gets generated valid and invalid requests (bounded: MAX_EXAMPLES each, derandomized so
that CI is reproducible); every response must be no server error, a documented status, JSON in the
documented shape (the success schema, or portal.rest's error body). The WSGI application is called in
the test's thread, so the test database and its transaction are the ones the fixtures fill.

A path's id is, in most examples, that of an object the fixtures made (a use case in each state, a saved
estimate, a connection with a rule), so the fuzzer reaches the code behind the lookup, not only 404s.

Each request carries a token of its own: the fuzzer also calls the token endpoints, and a rotation or a
revocation would otherwise sign the rest of the run out, which then "passes" on 401s alone. So the run
also fails if any answer is a 401, if an operation is left out, or if the list endpoints never answer
200: a fuzz run that checked nothing must not pass.
"""

import time
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_create
from estimator import services as estimator
from governance.models import UseCase
from portal.wsgi import application
from tests.factories import use_case
from usage.connectors import services as connections

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 12
# No 5xx, and every answer as documented (status, content type, body). Not schemathesis's semantic checks
# (e.g. "schema-valid data must be accepted": a random username is schema-valid and still refused).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A bound, not a target: the whole run (both personas) takes well under it here. Past it the run fails
# and says which operations it did not reach, rather than passing on a part of the API.
TIME_BUDGET_S = 300
# Lists every persona may read: each must answer 200 at least once, or the run proved nothing.
READABLE_LISTS = {
    "GET /api/v1/auth/tokens/",
    "GET /api/v1/courses/",
    "GET /api/v1/estimator/estimates/",
    "GET /api/v1/estimator/models/",
    "GET /api/v1/estimator/regions/",
    "GET /api/v1/governance/use-cases/",
    "GET /api/v1/governance/use-cases/{use_case_id}/",
    "GET /api/v1/governance/use-cases/{use_case_id}/events/",
    "GET /api/v1/estimator/estimates/{estimate_id}/",
}


@pytest.fixture
def api_data(alice, bruno, root, sales) -> dict[str, list[int]]:
    """Something behind every path, and the ids of it per path parameter."""
    cases = [
        use_case(alice, status=status, decider=bruno).pk
        for status in (UseCase.Status.DRAFT, UseCase.Status.SUBMITTED, UseCase.Status.APPROVED)
    ]
    inputs = {"model": "gpt-4o", "output_tokens": 5}
    estimates = [
        estimator.estimate_save(owner=owner, name="Fuzz", kind="text", inputs=inputs).pk
        for owner in (alice, root)
    ]
    connection, _token = connections.connection_create(
        created_by=root, name="Fuzz", kind="openai", default_region="europe-west9"
    )
    connections.rule_create(connection=connection, field="project", value="bot", department=sales)
    return {"use_case_id": cases, "estimate_id": estimates, "connection_id": [connection.pk]}


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
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    failures: list[str] = []
    started = time.monotonic()

    for operation in operations:
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
        @given(case=operation.as_strategy(), pick=st.integers(min_value=0, max_value=5))
        def fuzz(case, pick):
            for name in case.path_parameters or {}:
                known = api_data.get(name)
                if known and pick:  # pick 0 keeps the generated id
                    case.path_parameters[name] = known[pick % len(known)]
            _token, key = token_create(user=user, name="schemathesis")
            response = case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)
            statuses[operation.label][response.status_code] += 1  # noqa: B023 (called in this iteration)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as error:  # one failure per operation is enough to report it
            failures.append(f"{operation.label}: {str(error)[:2000]}")

    assert not failures, "\n\n".join(failures)
    assert {operation.label for operation in operations} <= set(statuses), (
        f"not reached within {TIME_BUDGET_S} s: "
        f"{sorted({operation.label for operation in operations} - set(statuses))}"
    )
    signed_out = sorted(label for label, counts in statuses.items() if counts[401])
    assert not signed_out, f"401 with a valid token: {signed_out}"
    answered = {label for label, counts in statuses.items() if counts[200]}
    assert answered >= READABLE_LISTS, f"never answered 200: {sorted(READABLE_LISTS - answered)}"
