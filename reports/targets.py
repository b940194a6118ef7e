"""Yearly targets: setting them, progress against their pace, forecast, and the off-pace e-mail.

Progress reads monthly rollups only (one query for every target in scope). Sending: one e-mail per
target, recipient and month while the year to date is above the pace, to admins and the department's
managers, in the recipient's language.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.notifications import send_once
from portal.dates import month_start, months_back
from portal.models import Department, User
from reports import pace
from reports.models import Target
from usage.dashboard import rollups_in_scope
from usage.models import MonthlyRollup

BOUNDS = ("low", "central", "high")


def targets_in_scope(user: User) -> QuerySet[Target]:
    """Admins: every target; managers: their departments' targets; others: none."""
    if user.is_org_admin:
        return Target.objects.select_related("department")
    if user.is_manager:
        return Target.objects.filter(department__in=user.managed_departments.all()).select_related(
            "department"
        )
    raise PermissionDenied


@transaction.atomic
def target_set(
    *,
    user: User,
    year: int,
    department: Department | None,
    emissions_kgco2e: float,
    energy_kwh: float | None = None,
) -> Target:
    """Create or replace the target of this year and department (None: the organisation). Admins only."""
    if not user.is_org_admin:
        raise PermissionDenied
    errors = {}
    if not (2000 <= year <= 2100):
        errors["year"] = _("Give a year between 2000 and 2100.")
    if not emissions_kgco2e or emissions_kgco2e <= 0:
        errors["emissions_kgco2e"] = _("The target must be above zero.")
    if energy_kwh is not None and energy_kwh <= 0:
        errors["energy_kwh"] = _("The target must be above zero.")
    if errors:
        raise ValidationError(errors)
    target, _created = Target.objects.select_for_update().update_or_create(
        year=year,
        department=department,
        defaults={"emissions_kgco2e": emissions_kgco2e, "energy_kwh": energy_kwh, "set_by": user},
    )
    return target


def target_delete(*, user: User, target: Target) -> None:
    if not user.is_org_admin:
        raise PermissionDenied
    target.delete()


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    emissions: pace.Progress
    energy: pace.Progress | None

    @property
    def label(self) -> str:
        return self.target.department.name if self.target.department else _("Organisation")


def _monthly(
    rollups: QuerySet[MonthlyRollup], start: datetime.date
) -> dict[int | None, dict[datetime.date, dict[str, float]]]:
    """Per department (and None: all), per month from `start`: emissions low/central/high and energy."""
    per: dict[int | None, dict[datetime.date, dict[str, float]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(float))
    )
    rows = (
        rollups.filter(month__gte=start)
        .values("month", "department_id")
        .annotate(
            low=Sum("emissions_kgco2e_low"),
            central=Sum("emissions_kgco2e_central"),
            high=Sum("emissions_kgco2e_high"),
            energy_low=Sum("energy_kwh_low"),
            energy_central=Sum("energy_kwh_central"),
            energy_high=Sum("energy_kwh_high"),
        )
        .order_by()
    )
    for row in rows:
        for key in (row["department_id"], None):
            month = per[key][row["month"]]
            for name in ("low", "central", "high", "energy_low", "energy_central", "energy_high"):
                month[name] += row[name]
    return per


def _progress(
    months: dict[datetime.date, dict[str, float]], *, target: float, today: datetime.date, prefix: str
) -> pace.Progress:
    this_month = month_start(today)
    first = months_back(this_month, pace.TREND_MONTHS)
    year_start = datetime.date(today.year, 1, 1)
    to_date = tuple(
        sum(
            values[f"{prefix}{bound}"]
            for month, values in months.items()
            if year_start <= month <= this_month
        )
        for bound in BOUNDS
    )
    complete = []
    month = first
    while month < this_month:
        complete.append(months.get(month, {}).get(f"{prefix}central", 0.0))
        month = months_back(month, -1)
    # Months before the first month with usage are not part of the trend.
    while complete and complete[0] == 0:
        complete.pop(0)
    complete_this_year = sum(
        values[f"{prefix}central"] for month, values in months.items() if year_start <= month < this_month
    )
    return pace.progress(
        target=target,
        day=today,
        to_date=(to_date[0], to_date[1], to_date[2]),
        complete_months=complete,
        complete_this_year=complete_this_year,
    )


def progress_of(
    targets: list[Target], rollups: QuerySet[MonthlyRollup], today: datetime.date
) -> list[TargetProgress]:
    if not targets:
        return []
    per = _monthly(rollups, months_back(month_start(today), pace.TREND_MONTHS))
    result = []
    for target in targets:
        months = per.get(target.department_id, {})
        result.append(
            TargetProgress(
                target=target,
                emissions=_progress(months, target=target.emissions_kgco2e, today=today, prefix=""),
                energy=_progress(months, target=target.energy_kwh, today=today, prefix="energy_")
                if target.energy_kwh
                else None,
            )
        )
    return result


def targets_progress(
    user: User, *, today: datetime.date | None = None, department: int | None = None
) -> list[TargetProgress]:
    """This year's targets the user may see (one department's only, if given), with their progress."""
    today = today or timezone.localdate()
    targets = targets_in_scope(user).filter(year=today.year)
    if department:
        targets = targets.filter(department_id=department)
    return progress_of(list(targets), rollups_in_scope(user), today)


def off_pace_departments(progresses: list[TargetProgress]) -> list[TargetProgress]:
    return [item for item in progresses if item.target.department_id and item.emissions.off_pace]


# --- The off-pace e-mail --------------------------------------------------------------------------


def recipients_of(target: Target) -> list[User]:
    users = User.objects.filter(is_active=True).exclude(email="")
    admins = list(users.filter(role="admin"))
    managers = list(users.filter(managed_departments=target.department_id)) if target.department_id else []
    return list({user.pk: user for user in admins + managers}.values())


def targets_check_pace(*, today: datetime.date | None = None) -> int:
    """E-mail admins and the department's managers about every target of this year above its pace:
    once per target, recipient and month. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    targets = list(Target.objects.filter(year=today.year).select_related("department"))
    sent = 0
    for item in progress_of(targets, MonthlyRollup.objects.all(), today):
        if not item.emissions.off_pace:
            continue
        for user in recipients_of(item.target):
            key = f"target-off-pace:{item.target.pk}:{today:%Y-%m}:{user.pk}"
            sent += send_once(
                key=key,
                user=user,
                template="reports/email/target_off_pace",
                context={"item": item, "today": today},
            )
    return sent
