"""The permission matrix: every URL of the project, what each persona gets.

`tests/portal/test_permissions.py` walks the URL configuration and fails on any URL that has no entry
here, so a new view cannot ship without its permissions being stated and checked. Apps add their rows
to MATRIX as they add URLs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "employee", "manager", "other_manager", "admin")

# An outcome: an HTTP status, or LOGIN (redirect to the sign-in page).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"


@dataclass(frozen=True)
class Case:
    expect: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

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

# Namespaces whose URLs are guarded by a mechanism of their own, checked through one representative
# URL above. The Django admin requires a staff account for every one of its pages.
GUARDED_NAMESPACES = {"admin": "admin:index"}
