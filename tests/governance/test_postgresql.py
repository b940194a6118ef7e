"""Behaviour that only PostgreSQL enforces: row locks under concurrency, and the append-only trigger."""

import os
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from governance import services
from governance.models import UseCase, UseCaseEvent
from tests.factories import use_case


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs the suite on PostgreSQL: DATABASE_URL must point at it")
        pytest.skip(
            "PostgreSQL only (row locks, the audit table's trigger): run `make test` with DATABASE_URL "
            "pointing at PostgreSQL"
        )


@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_one_wins_fifty_times_out_of_fifty(
    postgresql, reference_rows, alice, bruno, root
):
    for trial in range(50):
        case = use_case(alice, status="submitted", title=f"Race {trial}")
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def act(actor, action, case=case, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                if action == "approve":
                    services.usecase_approve(use_case=case, actor=actor)
                else:
                    services.usecase_reject(use_case=case, actor=actor, comment="No.")
                outcomes.append("won")
            except services.TransitionConflict:
                outcomes.append("conflict")
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=act, args=(bruno, "approve")),
            threading.Thread(target=act, args=(root, "reject")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes) == ["conflict", "won"], trial
        decisions = UseCaseEvent.objects.filter(use_case=case, from_status="submitted")
        assert decisions.count() == 1, trial
        assert UseCase.objects.get(pk=case.pk).status == decisions.get().to_status


@pytest.mark.django_db
def test_the_audit_trail_refuses_update_and_delete_in_the_database(postgresql, alice):
    case = use_case(alice, status="submitted")
    event = case.events.last()

    for statement in (
        f"UPDATE governance_usecaseevent SET comment = 'rewritten' WHERE id = {event.pk}",
        f"DELETE FROM governance_usecaseevent WHERE id = {event.pk}",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        UseCaseEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    event.refresh_from_db()
    assert event.comment == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    ["TRUNCATE governance_usecaseevent", "TRUNCATE governance_usecase, governance_usecaseevent CASCADE"],
)
def test_the_audit_trail_refuses_truncate_in_the_database(postgresql, alice, statement):
    case = use_case(alice, status="submitted")

    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test's own inserts leave deferred foreign-key checks pending; run them first, or
        # PostgreSQL refuses the TRUNCATE for that reason before the trigger is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)

    assert UseCaseEvent.objects.filter(use_case=case).count() == 2
