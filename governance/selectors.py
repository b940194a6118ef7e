"""Which use cases a user sees, the decision queues, and similar use cases."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from governance import actuals
from governance.budgets import BudgetProgress, budget_progress
from governance.models import DECIDABLE_STATUSES, MatrixThresholds, UseCase
from governance.notifications import is_overdue
from portal import scope
from portal.models import Department, User

Status = UseCase.Status


def registrable_departments(user: User) -> QuerySet[Department]:
    """Where a user registers use cases: their own department and those they manage; any for admins.

    Registering in a department hands the decision to its managers, so nobody picks a department they
    do not belong to.
    """
    if scope.sees_everything(user):
        return Department.objects.all()
    return Department.objects.filter(Q(pk=user.department_id) | Q(pk__in=scope.departments_visible_to(user)))


def visible_use_cases(user: User) -> QuerySet[UseCase]:
    """Admins: all. Managers: their departments'. Everyone: their own, those they joined, and the
    approved ones of their department."""
    use_cases = UseCase.objects.select_related("owner", "department", "model")
    if scope.sees_everything(user):
        return use_cases
    rule = (
        Q(owner=user)
        | Q(members=user)
        | Q(department__in=scope.departments_visible_to(user))
        | Q(department=user.department_id, status__in=(Status.APPROVED, Status.UNDER_REVIEW))
    )
    # A subquery, not .distinct(): the members join must not repeat rows.
    return use_cases.filter(pk__in=UseCase.objects.filter(rule).values("pk"))


def decision_queue(user: User) -> QuerySet[UseCase]:
    """Use cases waiting for this user's decision, oldest first."""
    waiting = UseCase.objects.select_related("owner", "department", "model").filter(
        status__in=DECIDABLE_STATUSES
    )
    return scope.in_visible_departments(waiting, user).exclude(owner=user).order_by("submitted_at", "id")


def decisions_waiting_count(user: User | AnonymousUser) -> int:
    """How many use cases wait for this user's decision (the decision queue's length): one query for
    managers and admins, none for anybody else."""
    if not scope.oversees_departments(user):
        return 0
    assert isinstance(user, User)  # oversees_departments says so
    return decision_queue(user).count()


def owned_use_cases(user: User) -> QuerySet[UseCase]:
    """The use cases this user owns, most recently changed first."""
    return UseCase.objects.filter(owner=user).order_by("-updated_at", "-id")


def in_quadrant(use_cases: QuerySet[UseCase], quadrant: str, limits: MatrixThresholds) -> QuerySet[UseCase]:
    """Those in this quadrant of the value × impact matrix (the rule of governance.services.quadrant)."""
    high_value = {"go": True, "optimise": True, "reconsider": False, "stop": False}[quadrant]
    high_impact = quadrant in ("optimise", "stop")
    value = Cast(F("value_environmental") + F("value_social") + F("value_economic"), FloatField()) / 3.0
    emissions = Cast(KT("footprint__emissions_kgco2e__central"), FloatField())
    annotated = use_cases.filter(footprint__isnull=False).annotate(_value=value, _emissions=emissions)
    value_rule = Q(_value__gte=limits.value_threshold)
    impact_rule = Q(_emissions__gte=limits.impact_threshold_kgco2e)
    return annotated.filter(value_rule if high_value else ~value_rule).filter(
        impact_rule if high_impact else ~impact_rule
    )


def filtered(
    use_cases: QuerySet[UseCase],
    *,
    limits: MatrixThresholds,
    status: str = "",
    department: int | None = None,
    quadrant: str = "",
) -> QuerySet[UseCase]:
    """The use cases list's filters, in the database."""
    if status:
        use_cases = use_cases.filter(status=status)
    if department:
        use_cases = use_cases.filter(department_id=department)
    if quadrant:
        use_cases = in_quadrant(use_cases, quadrant, limits)
    return use_cases


def overdue(use_cases: Iterable[UseCase]) -> list[UseCase]:
    """Those waiting longer than the decision delay (working days). Queues are short: filtered here,
    with the same rule as the reminders."""
    now = timezone.now()
    return [use_case for use_case in use_cases if is_overdue(use_case, now)]


def similar_use_cases(
    user: User, title: str, *, exclude_id: int | None = None, limit: int = 5
) -> list[UseCase]:
    """Visible use cases whose title looks like this one: trigram similarity on PostgreSQL, shared
    words elsewhere. NUL characters (which PostgreSQL cannot compare) are dropped."""
    title = title.replace("\x00", "").strip()
    if len(title) < 4:
        return []
    candidates = visible_use_cases(user).exclude(status=Status.RETIRED)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        return list(
            candidates.annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=0.2)
            .order_by("-similarity", "id")[:limit]
        )
    words = [word for word in title.lower().split() if len(word) >= 4]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    return list(candidates.filter(match).order_by("-updated_at")[:limit])


# Use cases whose budget is in force: they are used, and their usage is compared with it.
BUDGETED_STATUSES = (Status.APPROVED, Status.UNDER_REVIEW)


def budget_progresses(
    use_cases: Iterable[UseCase],
    *,
    day: datetime.date | None = None,
    to_date: dict[int, actuals.Bounds] | None = None,
) -> dict[int, BudgetProgress]:
    """Each use case's budget against its actual emissions this year so far (those with a budget): one
    query for them all, through the usage app's reader (governance.actuals), unless the caller read
    them already (`to_date`, up to `day`: the dashboard reads them with the use cases' drift)."""
    day = day or timezone.localdate()
    budgeted: dict[int, float] = {}
    for use_case in use_cases:
        if use_case.budget_kgco2e_per_year is not None:
            budgeted[use_case.pk] = use_case.budget_kgco2e_per_year
    if to_date is None:
        to_date = actuals.emissions_to_date(list(budgeted), day)
    return {
        pk: budget_progress(budget_kgco2e=budget, to_date_kgco2e=to_date.get(pk, (0.0, 0.0, 0.0)), day=day)
        for pk, budget in budgeted.items()
    }


def budgeted_use_cases(user: User) -> QuerySet[UseCase]:
    """The use cases this user sees whose budget is in force (approved, or under re-review)."""
    return (
        visible_use_cases(user)
        .filter(status__in=BUDGETED_STATUSES, budget_kgco2e_per_year__isnull=False)
        .order_by("department__name", "title", "id")
    )
