"""The permission matrix: every URL of the project, what each persona gets.

`tests/portal/test_permissions.py` walks the URL configuration and fails on any URL that has no entry
here, so a new view cannot ship without its permissions being stated and checked. Apps add their rows
to MATRIX as they add URLs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from usage.models import Connection, MappingRule

# employee: alice, who owns every row below · colleague: another employee of her department · member:
# an employee of another department who joined her use cases · manager: hers · other_manager: another
# department's · admin.
PERSONAS = ("anonymous", "employee", "colleague", "member", "manager", "other_manager", "admin")

# An outcome: an HTTP status, or LOGIN (redirect to the sign-in page).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"


@dataclass(frozen=True)
class Case:
    expect: dict[str, int | str]
    method: str = "get"
    # Either values, or a function of the test's objects (personas and the rows made for them).
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)
    data: Callable[[dict[str, Any]], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        assert set(self.expect) == set(PERSONAS), f"state every persona: {sorted(self.expect)}"


def everyone(outcome: int | str) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: int | str, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    return {**everyone(outcome), "anonymous": anonymous}


def only_admin(
    outcome: int | str, others: int | str = 403, anonymous: int | str = LOGIN
) -> dict[str, int | str]:
    return {**everyone(others), "anonymous": anonymous, "admin": outcome}


MATRIX: dict[str, Case] = {
    # portal
    "portal:home": Case(signed_in(200)),
    "login": Case(everyone(200)),
    "logout": Case(signed_in(302, anonymous=302), method="post"),
    "password_change": Case(signed_in(200)),
    "password_change_done": Case(signed_in(200)),
    "password_reset": Case(everyone(200)),
    "password_reset_done": Case(everyone(200)),
    "password_reset_confirm": Case(everyone(200), kwargs={"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Case(everyone(200)),
    "set_language": Case(everyone(302), method="post", data={"language": "fr", "next": "/"}),
    "admin:index": Case(only_admin(200, others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN)),
    # API shell
    "api-root": Case(signed_in(200, anonymous=401)),
    "api-token": Case(everyone(400), method="post", data={"username": "nobody", "password": "wrong"}),
    "api-schema": Case(everyone(200)),
    "api-docs": Case(everyone(200)),
}


def owner_only(
    outcome: int | str, others: int | str = 404, anonymous: int | str = LOGIN
) -> dict[str, int | str]:
    """Only the employee (alice) owns the row: everybody else, admins included, must not find it."""
    return {**everyone(others), "anonymous": anonymous, "employee": outcome}


def alices_estimate(objects: dict[str, Any]) -> dict[str, Any]:
    return {"estimate_id": objects["estimate"].pk}


MATRIX |= {
    # estimator pages
    "estimator:estimate": Case(signed_in(200)),
    "estimator:estimate-save": Case(
        signed_in(302),
        method="post",
        data={"kind": "text", "name": "x", "model": "gpt-4o", "output_tokens": "5"},
    ),
    "estimator:compare": Case(signed_in(200)),
    "estimator:catalogue": Case(signed_in(200)),
    "estimator:model-options": Case(signed_in(200), data={"name": "model", "model_q": "llama"}),
    "estimator:scenario": Case(signed_in(200)),
    "estimator:method": Case(signed_in(200)),
    "estimator:saved-list": Case(signed_in(200)),
    # Comparing alice's two estimates: anybody else does not even get them as choices.
    "estimator:saved-compare": Case(
        owner_only(200, others=400), data=lambda objects: {"ids": [e.pk for e in objects["estimates"]]}
    ),
    "estimator:saved-detail": Case(owner_only(200), kwargs=alices_estimate),
    "estimator:saved-delete": Case(owner_only(302), method="post", kwargs=alices_estimate),
    # estimator API
    "estimator-api:estimates": Case(signed_in(200, anonymous=401)),
    "estimator-api:estimate-detail": Case(owner_only(200, anonymous=401), kwargs=alices_estimate),
    "estimator-api:models": Case(signed_in(200, anonymous=401)),
    "estimator-api:regions": Case(signed_in(200, anonymous=401)),
}


def decider_only(
    outcome: int | str, owner: int | str = 403, anonymous: int | str = LOGIN
) -> dict[str, int | str]:
    """On alice's submitted use case in Sales: bruno (its manager) and admins decide; alice owns it
    (separation of duties); her member sees it but does not decide; her colleague sees only approved use
    cases of the department, and carla manages another department: neither finds it."""
    return {
        "anonymous": anonymous,
        "employee": owner,
        "colleague": 404,
        "member": 403,
        "manager": outcome,
        "other_manager": 404,
        "admin": outcome,
    }


def sales_visible(
    outcome: int | str,
    anonymous: int | str = LOGIN,
    *,
    colleague: int | str = 404,
    member: int | str | None = None,
) -> dict[str, int | str]:
    """alice's use case: seen by alice, its members, bruno and admins; her colleague sees it only once it is
    approved (say what they get then); carla manages another department."""
    return {
        "anonymous": anonymous,
        "employee": outcome,
        "colleague": colleague,
        "member": outcome if member is None else member,
        "manager": outcome,
        "other_manager": 404,
        "admin": outcome,
    }


def submitted(objects: dict[str, Any]) -> dict[str, Any]:
    return {"use_case_id": objects["submitted"].pk}


def draft(objects: dict[str, Any]) -> dict[str, Any]:
    return {"use_case_id": objects["draft"].pk}


def approved(objects: dict[str, Any]) -> dict[str, Any]:
    return {"use_case_id": objects["approved"].pk}


MATRIX |= {
    # governance pages
    "governance:list": Case(signed_in(200)),
    "governance:create": Case(signed_in(200)),
    "governance:preview": Case(signed_in(200), method="post", data={"title": "Summarise customer feedback"}),
    # Without htmx, the registration page with the title (htmx gets the fragment: tests/governance).
    "governance:similar": Case(signed_in(302), data={"title": "Summarise customer feedback"}),
    "governance:detail": Case(sales_visible(200), kwargs=submitted),
    # Only the owner edits; others who see it get 403.
    "governance:edit": Case({**sales_visible(403), "employee": 200}, kwargs=draft),
    "governance:join": Case(sales_visible(302, colleague=302), method="post", kwargs=approved),
    # One representative action; every action and status is tested in tests/governance.
    "governance:transition": Case(
        decider_only(302), method="post", kwargs=lambda objects: {**submitted(objects), "action": "approve"}
    ),
    # A budget change: the approved use case's deciders; its colleague sees it but does not decide.
    "governance:budget-change": Case(
        {**decider_only(302), "colleague": 403},
        method="post",
        kwargs=approved,
        data={"budget_kgco2e_per_year": "5", "budget_reason": "Capped for the pilot."},
    ),
    # governance API
    "governance-api:use-cases": Case(signed_in(200, anonymous=401)),
    "governance-api:use-case-detail": Case(sales_visible(200, anonymous=401), kwargs=submitted),
    "governance-api:use-case-events": Case(sales_visible(200, anonymous=401), kwargs=submitted),
    # Budgets: read by whoever sees the (approved) use case; set by approving or changed (POST, deciders:
    # tests/governance/test_budget_change.py).
    "governance-api:use-case-budget": Case(sales_visible(200, anonymous=401, colleague=200), kwargs=approved),
    "governance-api:budgets": Case(signed_in(200, anonymous=401)),
    "governance-api:use-case-submit": Case(
        {**sales_visible(403, anonymous=401), "employee": 200}, method="post", kwargs=draft
    ),
    "governance-api:use-case-approve": Case(
        decider_only(200, anonymous=401), method="post", kwargs=submitted
    ),
    "governance-api:use-case-request-changes": Case(
        decider_only(200, anonymous=401), method="post", kwargs=submitted, data={"comment": "More detail."}
    ),
    "governance-api:use-case-reject": Case(
        decider_only(200, anonymous=401), method="post", kwargs=submitted, data={"comment": "No."}
    ),
    # The owner and the deciders retire it; a colleague or a member who sees it does not.
    "governance-api:use-case-retire": Case(
        sales_visible(200, anonymous=401, colleague=403, member=403), method="post", kwargs=approved
    ),
}


def alices_task(objects: dict[str, Any]) -> dict[str, Any]:
    return {"slug": "frugal-prompting", "task_id": objects["attempt"].task_id}


COURSE = {"slug": "frugal-prompting"}
ENROLLED_ONLY = {**everyone(404), "anonymous": LOGIN, "employee": 200}
# A course's inner page opened before enrolling leads to the course's page (acting on it stays a 404).
ENROLLED_PAGE = {**everyone(302), "anonymous": LOGIN, "employee": 200}
MANAGERS_AND_ADMINS = {**everyone(200), "anonymous": LOGIN, "employee": 403, "colleague": 403, "member": 403}

MATRIX |= {
    # courses pages: alice is enrolled and doing her first practice tasks; nobody else is enrolled
    "courses:list": Case(signed_in(200)),
    "courses:detail": Case(signed_in(200), kwargs=COURSE),
    "courses:enroll": Case(signed_in(302), method="post", kwargs=COURSE),
    "courses:task": Case(ENROLLED_PAGE, kwargs=alices_task),
    # Giving up asks first (GET, a confirmation page); the POST records it (tests/courses).
    "courses:give-up": Case(ENROLLED_PAGE, kwargs=alices_task),
    "courses:finish": Case({**ENROLLED_ONLY, "employee": 302}, method="post", kwargs=alices_task),
    # Modules open after the first practice tasks: alice, before them, is sent back to the course page,
    # which says so (tests/courses checks 200 after).
    "courses:module": Case({**ENROLLED_PAGE, "employee": 302}, kwargs={**COURSE, "order": 1}),
    "courses:results": Case(ENROLLED_PAGE, kwargs=COURSE),
    # The certificate comes with completion: until then, back to the course page (tests/courses checks 200 then).
    "courses:certificate": Case({**ENROLLED_PAGE, "employee": 302}, kwargs=COURSE),
    "courses:cohort": Case(MANAGERS_AND_ADMINS, kwargs=COURSE),
    "courses:cohort-csv": Case(MANAGERS_AND_ADMINS, kwargs=COURSE),
    # courses API
    "courses-api:courses": Case(signed_in(200, anonymous=401)),
    "courses-api:results": Case(signed_in(200, anonymous=401)),
}

DASHBOARD = MANAGERS_AND_ADMINS

MATRIX |= {
    # org-wide emissions: managers (their departments) and admins; imports: admins only
    "usage:dashboard": Case(DASHBOARD),
    "usage:dashboard-table": Case(DASHBOARD, kwargs={"name": "department"}),
    "usage:dashboard-training": Case(DASHBOARD),
    "usage:dashboard-what-if": Case(DASHBOARD),
    "usage:import-new": Case(only_admin(200)),
    "usage:import": Case(only_admin(200), kwargs=lambda objects: {"import_id": objects["usage_import"].pk}),
    "usage:template": Case(only_admin(200)),
    # retry refuses (the test import is queued: 302 back with a message), cancel succeeds (302)
    "usage:import-retry": Case(
        only_admin(302), method="post", kwargs=lambda objects: {"import_id": objects["usage_import"].pk}
    ),
    "usage:import-cancel": Case(
        only_admin(302), method="post", kwargs=lambda objects: {"import_id": objects["usage_import"].pk}
    ),
    "usage:imports": Case(only_admin(200)),
    # The test import is queued: undo refuses it (302 back to the import with a message); the confirmation
    # page (GET) and a real undo are in tests/usage/test_import_undo.py.
    "usage:import-undo": Case(
        only_admin(302), method="post", kwargs=lambda objects: {"import_id": objects["usage_import"].pk}
    ),
    # A form-encoded body is not the JSON list the endpoint takes: the admin gets past permissions to a 400.
    "usage-api:records": Case(only_admin(400, anonymous=401), method="post"),
    "usage-api:summary": Case({**DASHBOARD, "anonymous": 401}, data={"group_by": "month"}),
    "usage-api:imports": Case(only_admin(200, anonymous=401)),
    "usage-api:import": Case(
        only_admin(200, anonymous=401), kwargs=lambda objects: {"import_id": objects["usage_import"].pk}
    ),
    # The test import is queued: the admin gets past permissions to a 409 (tests/usage: a real undo).
    "usage-api:import-undo": Case(
        only_admin(409, anonymous=401),
        method="post",
        kwargs=lambda objects: {"import_id": objects["usage_import"].pk},
    ),
}


def alices_token(objects: dict[str, Any]) -> dict[str, Any]:
    return {"token_id": objects["api_token"].pk}


MATRIX |= {
    # API tokens: everyone manages their own; alice's token is found by nobody else, admins included
    "accounts:tokens": Case(signed_in(200)),
    "accounts:token-create": Case(signed_in(302), method="post", data={"name": "laptop script"}),
    "accounts:token-revoke": Case(owner_only(302), method="post", kwargs=alices_token),
    "api-tokens": Case(signed_in(200, anonymous=401)),
    "api-token-revoke": Case(owner_only(204, anonymous=401), method="delete", kwargs=alices_token),
    # Rotation replaces the token the call is made with: a session-authenticated call has none (400);
    # tests/accounts/test_tokens.py rotates a real one.
    "api-token-rotate": Case(signed_in(400, anonymous=401), method="post"),
    # Single sign-on is off by default: its URLs do not exist (tests/accounts/test_sso.py turns it on).
    "accounts:oidc-start": Case(everyone(404)),
    "accounts:oidc-callback": Case(everyone(404)),
}

MATRIX |= {
    # reports: the index for everyone signed in; targets for managers (their departments) and admins
    "reports:index": Case(signed_in(200)),
    "reports:targets": Case(DASHBOARD),
    "reports:export": Case(DASHBOARD, data={"period": "2026", "format": "csv"}),
    "reports:management-report": Case(DASHBOARD, data={"period": "2026-11"}),
    # The register: everyone signed in sees a record (employees their own); other departments: 400.
    "reports:register": Case(signed_in(200)),
    # reports API
    "reports-api:targets": Case({**DASHBOARD, "anonymous": 401}),
    "reports-api:ghg-export": Case({**DASHBOARD, "anonymous": 401}, data={"period": "2026", "output": "csv"}),
    "reports-api:management-report": Case({**DASHBOARD, "anonymous": 401}, data={"period": "2026-11"}),
    "reports-api:register": Case(signed_in(200, anonymous=401)),
    # Only admins delete targets; a manager's department's target is found (403), another's is not (404).
    "reports:target-delete": Case(
        {
            "anonymous": LOGIN,
            "employee": 403,
            "colleague": 403,
            "member": 403,
            "manager": 403,
            "other_manager": 404,
            "admin": 302,
        },
        method="post",
        kwargs=lambda objects: {"target_id": objects["target"].pk},
    ),
}

# Namespaces whose URLs are guarded by a mechanism of their own, checked through one representative
# URL above. The Django admin requires a staff account for every one of its pages.
GUARDED_NAMESPACES = {"admin": "admin:index"}


def _otlp_connection(objects: dict[str, Any]) -> dict[str, Any]:
    """An OpenTelemetry connection (no network call for any of its actions) with one mapping rule."""
    connection, _ = Connection.objects.get_or_create(
        name="Traces", kind=Connection.Kind.OTLP, defaults={"default_region": "europe-west9"}
    )
    rule, _ = MappingRule.objects.get_or_create(
        connection=connection,
        field="project",
        value="chatbot",
        defaults={"department": objects["admin"].department},
    )
    return {"connection_id": connection.pk, "rule_id": rule.pk}


def _connection_kwargs(objects: dict[str, Any]) -> dict[str, Any]:
    return {"connection_id": _otlp_connection(objects)["connection_id"]}


MATRIX |= {
    # usage connections: admins only
    "usage:connections": Case(only_admin(200)),
    "usage:connection-new": Case(only_admin(200)),
    "usage:connection": Case(only_admin(200), kwargs=_connection_kwargs),
    "usage:connection-edit": Case(only_admin(200), kwargs=_connection_kwargs),
    "usage:connection-test": Case(only_admin(302), method="post", kwargs=_connection_kwargs),
    "usage:connection-sync": Case(only_admin(302), method="post", kwargs=_connection_kwargs),
    "usage:connection-token": Case(only_admin(302), method="post", kwargs=_connection_kwargs),
    # An empty form: the admin gets past permissions to the form's errors.
    "usage:connection-rule-add": Case(only_admin(200), method="post", kwargs=_connection_kwargs),
    "usage:connection-rule-delete": Case(only_admin(302), method="post", kwargs=_otlp_connection),
    # The OTLP receiver authenticates by the connection's token only: a session is not enough.
    "otlp:otlp-traces": Case(everyone(401), method="post"),
    "usage-api:connections": Case(only_admin(200, anonymous=401)),
    "usage-api:connection": Case(only_admin(200, anonymous=401), kwargs=_connection_kwargs),
    # An OpenTelemetry connection has nothing to fetch: the admin gets past permissions to a 400.
    "usage-api:connection-sync": Case(
        only_admin(400, anonymous=401), method="post", kwargs=_connection_kwargs
    ),
    "usage-api:connection-runs": Case(only_admin(200, anonymous=401), kwargs=_connection_kwargs),
    "usage-api:connection-rules": Case(only_admin(200, anonymous=401), kwargs=_connection_kwargs),
}
