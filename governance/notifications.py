"""Governance e-mails: deciders on submission and re-review, the owner on a decision, reminders past
the decision delay. Each e-mail is sent once per key (a task run twice sends nothing more), in the
recipient's language, by Celery after the transaction that asked for it commits."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from governance.models import DECIDABLE_STATUSES, Notification, UseCase, UseCaseEvent
from portal import scope
from portal.celery import enqueue_on_commit
from portal.models import User

Status = UseCase.Status


# The task that sends each kind of e-mail, by its registered name: tasks call these services, so services
# enqueue by name (portal.celery.enqueue_on_commit) instead of importing the tasks.
NOTIFY_TASKS = {
    "submitted": "governance.tasks.usecase_notify_deciders_task",
    "review": "governance.tasks.usecase_notify_deciders_task",
    "decided": "governance.tasks.usecase_notify_owner_task",
}


def notify_on_commit(kind: str, event: UseCaseEvent) -> None:
    enqueue_on_commit(NOTIFY_TASKS[kind], event.pk)


def deciders_of(use_case: UseCase) -> list[User]:
    """The managers of the use case's department, or the admins when it has none; never the owner."""
    return scope.overseers_of(use_case.department_id, excluding=use_case.owner_id)


def send_once(*, key: str, user: User, template: str, context: dict[str, Any]) -> bool:
    """E-mail a user in their language, once per key (a task run twice sends nothing more).

    `template` is a path without its ending, e.g. "governance/email/decided": the subject and body are
    its `_subject.txt` and `_body.txt`. Other apps' e-mails (reports) go through here too."""
    if not user.email:
        return False
    with translation.override(user.language), transaction.atomic():
        try:
            with transaction.atomic():
                Notification.objects.create(key=key)
        except IntegrityError:
            return False
        context = {**context, "user": user, "portal_url": settings.PORTAL_URL}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
        send_mail(subject, body, None, [user.email])
    return True


def notify_deciders(*, event_id: int) -> int:
    event = UseCaseEvent.objects.select_related("use_case__owner", "use_case__department").get(pk=event_id)
    sent = 0
    for user in deciders_of(event.use_case):
        sent += send_once(
            key=f"deciders:{event.pk}:{user.pk}",
            user=user,
            template="governance/email/review"
            if event.to_status == Status.UNDER_REVIEW
            else "governance/email/submitted",
            context={"use_case": event.use_case, "event": event},
        )
    return sent


def notify_owner(*, event_id: int) -> int:
    event = UseCaseEvent.objects.select_related("use_case__owner", "actor").get(pk=event_id)
    return int(
        send_once(
            key=f"owner:{event.pk}",
            user=event.use_case.owner,
            template="governance/email/decided",
            context={"use_case": event.use_case, "event": event},
        )
    )


def working_days_after(start: datetime.datetime, days: int) -> datetime.datetime:
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def decision_due_at(use_case: UseCase) -> datetime.datetime | None:
    """When its deciders should have decided: GOVERNANCE_DECISION_SLA_WORKING_DAYS working days after
    its submission (reminders start after that). None when no decision is awaited."""
    if use_case.status not in DECIDABLE_STATUSES or use_case.submitted_at is None:
        return None
    return working_days_after(use_case.submitted_at, settings.GOVERNANCE_DECISION_SLA_WORKING_DAYS)


def is_overdue(use_case: UseCase, now: datetime.datetime | None = None) -> bool:
    due = decision_due_at(use_case)
    return due is not None and due < (now or timezone.now())


def usecase_remind_pending(*, now: datetime.datetime | None = None) -> int:
    """Remind deciders of decisions waiting past the SLA: at most once a day per use case and decider."""
    now = now or timezone.now()
    sent = 0
    for use_case in UseCase.objects.filter(status__in=DECIDABLE_STATUSES).select_related(
        "owner", "department"
    ):
        if not is_overdue(use_case, now):
            continue
        for user in deciders_of(use_case):
            sent += send_once(
                key=f"reminder:{use_case.pk}:{now.date()}:{user.pk}",
                user=user,
                template="governance/email/reminder",
                context={"use_case": use_case},
            )
    return sent
