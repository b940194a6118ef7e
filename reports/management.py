"""The management report: a period's KPIs with ranges and the target, trend, the four breakdowns, top use
cases, what the four levers would save, the training's measured effect, the governance summary and the
method. Built from the dashboard's own functions (same rollups, same charts), rendered to PDF.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Course
from estimator.calculations import ESTIMATOR_VERSION
from estimator.labels import LEVER_LABELS
from governance.models import Notification, UseCase, UseCaseEvent
from portal.dates import months_back
from portal.models import Department, User
from reports import exports
from reports import targets as target_services
from reports.forms import Period, parse_period
from reports.pdf import render_pdf
from usage import dashboard

TOP_USE_CASES = 5
# A breakdown's table in the report lists its largest groups and sums the rest on one line (the
# dashboard and its CSV export list them all): the report stays a few pages however many use cases,
# models or departments there are.
TABLE_ROWS = 10


def _largest(groups: list[tuple[Any, dashboard.Totals]]) -> list[tuple[Any, dashboard.Totals]]:
    """The TABLE_ROWS largest groups (they come largest first), and the others summed as one line."""
    if len(groups) <= TABLE_ROWS + 1:
        return groups
    others = dashboard.Totals()
    for _label, totals in groups[TABLE_ROWS:]:
        others.merge(totals)
    rest = len(groups) - TABLE_ROWS
    return [*groups[:TABLE_ROWS], (_("%(count)d others") % {"count": rest}, others)]


def _training(
    user: User, department: Department | None
) -> tuple[course_services.CohortResult | None, float, int, int]:
    """The course's measured effect in scope, the share not trained, and trained / staff counts."""
    course = Course.objects.filter(published=True).first()
    staff = User.objects.filter(is_active=True)
    if department is not None:
        staff = staff.filter(department=department)
    elif not user.is_org_admin:
        staff = staff.filter(department__in=user.managed_departments.all())
    count = staff.count()
    if course is None:
        return None, 1.0, 0, count
    in_scope = course_selectors.enrollments_in_scope(user, course, "org" if user.is_org_admin else "team")
    if department is not None:
        in_scope = in_scope.filter(user__department=department)
    enrollments = list(in_scope)
    trained = sum(1 for enrollment in enrollments if enrollment.completed_at)
    result = course_services.cohort_result(enrollments) if enrollments else None
    return result, (max(0.0, 1 - trained / count) if count else 1.0), trained, count


def _governance(user: User, department: Department | None, period: Period) -> dict[str, Any]:
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=datetime.UTC)
    end_day = (period.end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = datetime.datetime.combine(end_day, datetime.time.min, tzinfo=datetime.UTC)
    use_cases = UseCase.objects.all()
    if department is not None:
        use_cases = use_cases.filter(department=department)
    elif not user.is_org_admin:
        use_cases = use_cases.filter(department__in=user.managed_departments.all())
    events = UseCaseEvent.objects.filter(use_case__in=use_cases, created_at__gte=start, created_at__lt=end)
    counts = events.aggregate(
        approved=Count("pk", filter=Q(to_status=UseCase.Status.APPROVED)),
        rejected=Count("pk", filter=Q(to_status=UseCase.Status.REJECTED)),
        reviews=Count("pk", filter=Q(to_status=UseCase.Status.UNDER_REVIEW)),
        submitted=Count("pk", filter=Q(to_status=UseCase.Status.SUBMITTED)),
    )
    approved = list(use_cases.filter(status=UseCase.Status.APPROVED).only("footprint"))
    return {
        **counts,
        "approved_now": len(approved),
        "approved_footprint_kgco2e": sum(uc.yearly_emissions_kgco2e or 0 for uc in approved),
    }


def report_context(user: User, *, period: Period, department: Department | None = None) -> dict[str, Any]:
    """Everything the management report shows, for the period and the scope (the user's, or a department)."""
    department_id = department.pk if department is not None else None
    # The period's rows and the same months just before, in one query, as the dashboard reads them.
    rows, previous_rows = dashboard.period_and_previous_rows(
        user, start=period.start, end=period.end, department=department_id
    )
    previous = sum(row["emissions_kgco2e_central"] for row in previous_rows)
    total = dashboard.Totals()
    for row in rows:
        total.add(row)
    trend = dashboard.grouped(rows, "month")
    breakdowns = [(name, dashboard.grouped(rows, name)) for name in dashboard.BREAKDOWNS]
    use_cases = [(label, totals) for label, totals in dict(breakdowns)["use_case"] if label][:TOP_USE_CASES]
    training, untrained, trained, staff = _training(user, department)
    change = training.changes["iterations_per_task"].relative_change if training else None
    levers = dashboard.WhatIf(
        region=None,
        output_cap=0.3,
        iteration_change=change or 0.0,
        untrained_share=untrained,
        small_model_share=0.3,
    )
    split = dashboard.what_if(rows, levers)
    whatif = None
    if split is not None:  # rounding noise of a lever that changes nothing is no saving
        noise = 1e-9 * (split.baseline_kgco2e or 1)
        whatif = {
            "baseline_kgco2e": split.baseline_kgco2e,
            "improved_kgco2e": split.improved_kgco2e,
            "ratio": split.ratio,
            "levers": [
                {
                    **lever.as_dict(),
                    "saving_kgco2e": 0.0 if abs(lever.saving_kgco2e) < noise else lever.saving_kgco2e,
                }
                for lever in split.levers
            ],
        }
    versions = sorted({row.get("estimator_version") or "" for row in rows} - {""}) or [ESTIMATOR_VERSION]
    if department is not None:
        scope_label = department.name
    elif user.is_org_admin:
        scope_label = _("The whole organisation")
    else:
        scope_label = ", ".join(user.managed_departments.values_list("name", flat=True))
    generated_at = timezone.now()
    progresses = target_services.targets_progress(user, department=department_id)
    if department is None and user.is_org_admin:
        progresses = [item for item in progresses if item.target.department_id is None] + [
            item for item in progresses if item.target.department_id is not None
        ]
    per_model: defaultdict[str, float] = defaultdict(float)
    for row in rows:
        per_model[row["model__name"]] += row["emissions_kgco2e_central"]
    return {
        "period": period,
        "scope_label": scope_label,
        "total": total,
        "previous_kgco2e": previous,
        "change": (total.emissions_kgco2e[1] - previous) / previous if previous else None,
        "per_1000_requests_kgco2e": total.emissions_kgco2e[1] / total.requests * 1000
        if total.requests
        else None,
        "per_employee_kgco2e": total.emissions_kgco2e[1] / staff if staff else None,
        "staff": staff,
        "progresses": progresses,
        "trend": trend,
        "trend_chart": dashboard.emissions_chart(_("Emissions by month"), "month", trend),
        "breakdowns": [
            (name, _largest(groups), dashboard.emissions_chart(name, name, groups[: dashboard.CHART_BARS]))
            for name, groups in breakdowns
        ],
        "top_use_cases": use_cases,
        "whatif": whatif,
        "levers": levers,
        "lever_labels": LEVER_LABELS,
        "training": training,
        "trained": trained,
        "untrained_share": untrained,
        "governance": _governance(user, department, period),
        "versions": versions,
        "methodology": exports.methodology_note(
            scope_label=str(scope_label),
            start=period.start,
            end=period.end,
            model_names=set(per_model),
            regions={row["region"] for row in rows},
            totals=(total.emissions_kgco2e[1], total.energy_kwh[1], total.water_l[1]),
            generated_at=generated_at,
        ),
        "generated_at": generated_at,
        "print": True,
    }


def report_pdf(
    user: User, *, period: Period, department: Department | None = None, language: str = "en"
) -> bytes:
    with translation.override(language):
        return render_pdf(
            "reports/management_report.html", report_context(user, period=period, department=department)
        )


def management_report_send_monthly(*, today: datetime.date | None = None) -> int:
    """E-mail last month's organisation report (PDF) to every admin, in their language, once a month."""
    today = today or timezone.localdate()
    period = parse_period(f"{months_back(today.replace(day=1), 1):%Y-%m}")
    assert period is not None
    sent = 0
    for admin in User.objects.filter(is_active=True, role=User.Role.ADMIN).exclude(email=""):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Notification.objects.create(key=f"management-report:{period.label}:{admin.pk}")
            except IntegrityError:
                continue
            with translation.override(admin.language):
                pdf = report_pdf(admin, period=period, language=admin.language)
                message = EmailMessage(
                    _("GenAI footprint: the management report for %(period)s") % {"period": period.label},
                    _(
                        "Hello %(name)s,\n\nThe organisation's management report for %(period)s is attached.\n\n"
                        "%(url)s"
                    )
                    % {
                        "name": admin,
                        "period": period.label,
                        "url": f"{settings.PORTAL_URL}/reports/",
                    },
                    to=[admin.email],
                )
                message.attach(f"management-report-{period.label}.pdf", pdf, "application/pdf")
                message.send()
            sent += 1
    return sent
