"""Shared fixtures: the personas every permission test uses.

alice: employee in Sales · bruno: manager of Sales · carla: manager of Research (another department)
· root: admin · anonymous: nobody signed in. For the workflow: colette, alice's colleague in Sales (an
employee, never the owner) · marc, an employee of Sales who joins alice's use cases (a member).
"""

import os
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import translation

from estimator import reference_data
from estimator.models import AIModel
from estimator.services import reference_data_clear
from portal.models import User
from tests.factories import DepartmentFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery"


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Sales")


@pytest.fixture
def research(db):
    return DepartmentFactory(name="Research")


@pytest.fixture
def alice(sales) -> User:
    return UserFactory(username="alice", role=User.Role.EMPLOYEE, department=sales)


@pytest.fixture
def bruno(sales) -> User:
    return UserFactory(username="bruno", role=User.Role.MANAGER, department=sales, manages=[sales])


@pytest.fixture
def carla(research) -> User:
    return UserFactory(username="carla", role=User.Role.MANAGER, department=research, manages=[research])


@pytest.fixture
def colette(sales) -> User:
    """A colleague of alice in Sales: sees the department's approved use cases, owns none of them."""
    return UserFactory(username="colette", role=User.Role.EMPLOYEE, department=sales)


@pytest.fixture
def marc(sales) -> User:
    """An employee who joins use cases (a member): sees them in every status, decides nothing."""
    return UserFactory(username="marc", role=User.Role.EMPLOYEE, department=sales)


@pytest.fixture
def root(research) -> User:
    return UserFactory(
        username="root", role=User.Role.ADMIN, department=research, is_staff=True, is_superuser=True
    )


@pytest.fixture
def personas(alice, colette, marc, bruno, carla, root) -> dict[str, User | None]:
    """The permission matrix's personas. `member` joins alice's use cases where a test makes them."""
    return {
        "anonymous": None,
        "employee": alice,
        "colleague": colette,
        "member": marc,
        "manager": bruno,
        "other_manager": carla,
        "admin": root,
    }


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    """Each test reads the reference tables itself (a transactional test may have reloaded them)."""
    reference_data_clear()
    yield
    reference_data_clear()


@pytest.fixture
def reference_rows(transactional_db):
    """The reference data the migrations load, for transactional tests.

    A transactional test ends by emptying every table, migration data included; the next one gets
    it back from the same function the migration runs.
    """
    if not AIModel.objects.exists():
        reference_data.load(apps)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in French must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached API tokens and rate-limit counters do not leak."""
    cache.clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_trigger():
    """Transactional tests end with Django's flush (TRUNCATE of every table), which the audit table's
    trigger refuses on PostgreSQL. The test database's owner switches that one trigger off for the
    flush's own transaction; the portal itself never does."""
    original = DatabaseOperations.sql_flush
    trigger = "governance_usecaseevent_no_truncate"

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if "governance_usecaseevent" not in tables or not statements:
            return statements
        return [
            f"ALTER TABLE governance_usecaseevent DISABLE TRIGGER {trigger}",
            *statements,
            f"ALTER TABLE governance_usecaseevent ENABLE TRIGGER {trigger}",
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly what a local run did not check: tests skipped for a missing service or browser.

    `make test` on SQLite skips the PostgreSQL-only tests (row locks, the audit trigger) and those that
    need Redis and a real Celery worker; CI=true makes the same missing services fail instead.
    """
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: Counter[str] = Counter()
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    write = terminalreporter.write_line
    terminalreporter.section(f"NOT CHECKED: {len(skipped)} tests skipped", sep="!", red=True, bold=True)
    for reason, count in reasons.most_common():
        write(f"{count:5d} × {reason}", red=True)
    write(
        "These behaviours were NOT tested by this run. Run with DATABASE_URL=postgresql://… and "
        "CELERY_BROKER_URL=redis://… (see README, Tests); CI=true turns a missing service into a failure.",
        bold=True,
    )
