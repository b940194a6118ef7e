"""Who sees whose work in the organisation: one rule, used by every app.

Admins see everything; managers see the departments they manage; employees see their own work (each app
says what "their own" is: their estimates, the use cases they own or joined, their enrollment).
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from portal.models import Department, User

M = TypeVar("M", bound=Model)


def sees_everything(user: User | AnonymousUser) -> bool:
    """Admins: every department, every row."""
    return isinstance(user, User) and user.is_org_admin


def oversees_departments(user: User | AnonymousUser) -> bool:
    """Admins and managers: they look at other people's work (dashboards, cohorts, decision queues)."""
    return isinstance(user, User) and user.oversees_departments


def departments_visible_to(user: User | AnonymousUser) -> QuerySet[Department]:
    """Admins: all departments. Managers: those they manage. Everyone else: none."""
    if not isinstance(user, User):
        return Department.objects.none()
    if user.is_org_admin:
        return Department.objects.all()
    return user.managed_departments.all()


def in_visible_departments(
    queryset: QuerySet[M], user: User | AnonymousUser, *, field: str = "department"
) -> QuerySet[M]:
    """The rows of `queryset` whose department (reached through `field`) the user sees."""
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{field}__in": departments_visible_to(user)})


def oversees(user: User | AnonymousUser, department_id: int | None) -> bool:
    """Whether this department is one the user sees (admins: any)."""
    if sees_everything(user):
        return True
    return department_id is not None and departments_visible_to(user).filter(pk=department_id).exists()


def people_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """The active staff of the departments the user sees."""
    return in_visible_departments(User.objects.filter(is_active=True), user)


def overseers_of(department_id: int, *, excluding: int | None = None) -> list[User]:
    """Who oversees this department's work: its managers, or the admins when it has none; active users,
    without the user `excluding` (an owner never oversees their own work)."""
    users = User.objects.filter(is_active=True)
    if excluding is not None:
        users = users.exclude(pk=excluding)
    return list(users.filter(managed_departments=department_id)) or list(users.filter(role=User.Role.ADMIN))
