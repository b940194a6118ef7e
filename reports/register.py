"""The AI-literacy register (EU AI Act, Article 4): who was trained in what, when, with what result.

Per person: the courses, the modules passed with their quiz results, the dates, the measured change in
prompts per task and emissions per task (only where the learner consented to share it, or for the
learner themselves) and when a refresher is due (completion + the admin's period). Per department: the
coverage. Admins see everyone, managers the members of their departments, employees their own record.
"""

from __future__ import annotations

import calendar
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from courses import services as course_services
from courses.models import Enrollment, QuizResult, TaskAttempt
from governance.notifications import send_once
from portal.exports import csv_writer, xlsx_append
from portal.models import Department, User
from reports.services import report_settings


def people_in_scope(user: User, department: Department | None = None) -> QuerySet[User]:
    people = User.objects.filter(is_active=True).select_related("department")
    if user.is_org_admin:
        pass
    elif user.is_manager:
        people = people.filter(department__in=user.managed_departments.all())
    else:
        people = people.filter(pk=user.pk)
    if department is not None:
        if not user.is_org_admin and not user.managed_departments.filter(pk=department.pk).exists():
            raise PermissionDenied
        people = people.filter(department=department)
    return people.order_by("department__name", "last_name", "username")


def add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class QuizLine:
    module: str
    score_percent: int
    passed: bool
    attempts: int
    date: datetime.date


@dataclass(frozen=True)
class Training:
    course: str
    started_on: datetime.date
    completed_on: datetime.date | None
    modules_passed: int
    modules_total: int
    quizzes: list[QuizLine]
    iterations_change: float | None  # relative change in prompts per task, before → after
    emissions_change: float | None  # relative change in emissions per task
    shared: bool
    refresher_due: datetime.date | None

    def refresher_overdue(self, today: datetime.date) -> bool:
        return self.refresher_due is not None and self.refresher_due <= today


@dataclass
class Person:
    user: User
    trainings: list[Training] = field(default_factory=list)

    @property
    def trained(self) -> bool:
        return any(training.completed_on for training in self.trainings)

    def up_to_date(self, today: datetime.date) -> bool:
        return any(t.completed_on and not t.refresher_overdue(today) for t in self.trainings)

    @property
    def refresher_due(self) -> datetime.date | None:
        dues = [t.refresher_due for t in self.trainings if t.refresher_due]
        return max(dues) if dues else None


@dataclass(frozen=True)
class Coverage:
    department: str
    people: int
    trained: int
    up_to_date: int

    @property
    def share(self) -> float | None:
        return self.trained / self.people if self.people else None

    @property
    def up_to_date_share(self) -> float | None:
        return self.up_to_date / self.people if self.people else None


@dataclass(frozen=True)
class Register:
    people: list[Person]
    coverage: list[Coverage]
    refresher_months: int
    today: datetime.date


def _relative(before: float | None, after: float | None) -> float | None:
    return (after - before) / before if before and after is not None else None


def register_build(
    user: User, *, department: Department | None = None, today: datetime.date | None = None
) -> Register:
    today = today or timezone.localdate()
    months = report_settings().refresher_months
    people = list(people_in_scope(user, department))
    enrollments = (
        Enrollment.objects.filter(user__in=[person.pk for person in people])
        .select_related("course")
        .annotate(modules_total=Count("course__modules", distinct=True))
        .prefetch_related(
            Prefetch("quiz_results", queryset=QuizResult.objects.select_related("module")),
            Prefetch(
                "attempts", queryset=TaskAttempt.objects.select_related("task").prefetch_related("iterations")
            ),
        )
        .order_by("started_at")
    )
    region = course_services.training_settings().region
    per_user: dict[int, list[Training]] = defaultdict(list)
    for enrollment in enrollments:
        shared = enrollment.share_results or enrollment.user_id == user.pk
        iterations_change = emissions_change = None
        if shared and enrollment.completed_at:
            result = course_services.learner_result(enrollment, region)
            iterations_change = _relative(result.before.iterations_per_task, result.after.iterations_per_task)
            emissions_change = _relative(
                result.before.emissions_g_per_task, result.after.emissions_g_per_task
            )
        quizzes = [
            QuizLine(q.module.title, q.score_percent, q.passed, q.attempts, timezone.localdate(q.updated_at))
            for q in enrollment.quiz_results.all()
        ]
        completed = timezone.localdate(enrollment.completed_at) if enrollment.completed_at else None
        per_user[enrollment.user_id].append(
            Training(
                course=enrollment.course.title,
                started_on=timezone.localdate(enrollment.started_at),
                completed_on=completed,
                modules_passed=sum(1 for q in quizzes if q.passed),
                modules_total=enrollment.modules_total,
                quizzes=quizzes,
                iterations_change=iterations_change,
                emissions_change=emissions_change,
                shared=shared,
                refresher_due=add_months(completed, months) if completed else None,
            )
        )
    persons = [Person(person, per_user.get(person.pk, [])) for person in people]
    by_department: dict[str, list[Person]] = defaultdict(list)
    for person in persons:
        by_department[person.user.department.name if person.user.department else "—"].append(person)
    coverage = [
        Coverage(
            name,
            len(members),
            sum(1 for p in members if p.trained),
            sum(1 for p in members if p.up_to_date(today)),
        )
        for name, members in sorted(by_department.items())
    ]
    return Register(persons, coverage, months, today)


# --- Refresher reminders --------------------------------------------------------------------------


def refreshers_remind(*, today: datetime.date | None = None) -> int:
    """E-mail each person whose refresher is due (once per completed training and due date)."""
    today = today or timezone.localdate()
    months = report_settings().refresher_months
    sent = 0
    completed = Enrollment.objects.filter(completed_at__isnull=False, user__is_active=True).select_related(
        "user", "course"
    )
    for enrollment in completed:
        due = add_months(timezone.localdate(enrollment.completed_at), months)
        if due > today or not enrollment.user.email:
            continue
        sent += send_once(
            key=f"literacy-refresher:{enrollment.pk}:{due.isoformat()}",
            user=enrollment.user,
            template="reports/email/refresher_due",
            context={"enrollment": enrollment, "due": due},
        )
    return sent


# --- Files -----------------------------------------------------------------------------------------


def register_table(register: Register) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Person"),
        _("Username"),
        _("Department"),
        _("Course"),
        _("Started"),
        _("Completed"),
        _("Modules passed"),
        _("Modules"),
        _("Quiz results"),
        _("Change in prompts per task"),
        _("Change in emissions per task"),
        _("Refresher due"),
    ]
    rows: list[list[Any]] = []
    for person in register.people:
        name = str(person.user)
        department = person.user.department.name if person.user.department else ""
        if not person.trainings:
            rows.append([name, person.user.username, department, "", "", "", "", "", "", "", "", ""])
        for t in person.trainings:
            rows.append(
                [
                    name,
                    person.user.username,
                    department,
                    t.course,
                    t.started_on.isoformat(),
                    t.completed_on.isoformat() if t.completed_on else "",
                    t.modules_passed,
                    t.modules_total,
                    "; ".join(f"{q.module}: {q.score_percent}% ({q.date.isoformat()})" for q in t.quizzes),
                    round(t.iterations_change, 4) if t.shared and t.iterations_change is not None else "",
                    round(t.emissions_change, 4) if t.shared and t.emissions_change is not None else "",
                    t.refresher_due.isoformat() if t.refresher_due else "",
                ]
            )
    return header, rows


def register_csv(register: Register) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    header, rows = register_table(register)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register_xlsx(register: Register) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("People")[:31]
    header, rows = register_table(register)
    xlsx_append(sheet, header)
    for row in rows:
        xlsx_append(sheet, row)
    coverage = workbook.create_sheet(_("Coverage")[:31])
    coverage.append([_("Department"), _("People"), _("Trained"), _("Up to date")])
    for line in register.coverage:
        xlsx_append(coverage, [line.department, line.people, line.trained, line.up_to_date])
    for worksheet in (sheet, coverage):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
