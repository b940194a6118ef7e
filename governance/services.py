"""Governance services: register, submit and decide use cases; reviews, drift and notifications.

Every transition locks the use case (select_for_update), checks its status, changes it and writes its
audit event in one transaction: when two people act at once, one wins and the other gets a
TransitionConflict. Notifications are sent by Celery after the commit, each once.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estimator import levers
from estimator import services as estimator
from estimator.models import AIModel, Modality
from governance import notifications, selectors
from governance.models import (
    DECIDABLE_STATUSES,
    NOTE_MAX_CHARS,
    MatrixThresholds,
    UseCase,
    UseCaseEvent,
)
from portal import scope
from portal.errors import Conflict
from portal.models import Department, User

Status = UseCase.Status

PROFILE_FIELDS = (
    "model",
    "region",
    "requests_per_month",
    "input_tokens",
    "output_tokens",
    "images_per_request",
    "image_width",
    "image_height",
    "iterations_per_task",
    "users",
)
EDITABLE_FIELDS = (
    "title",
    "description",
    "task_type",
    "department",
    *PROFILE_FIELDS,
    "value_environmental",
    "value_social",
    "value_economic",
    "value_justification",
    "alternatives",
    "personal_data",
    "public_facing",
    "ai_act_tier",
)
# Everything a decider reads when deciding: changing any of it after approval needs a new decision.
DECISION_FIELDS = EDITABLE_FIELDS
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED)

# Why a step started without a decider's words (UseCaseEvent.cause's code): the portal's scheduled
# re-review, usage drift above the budget, an approved use case changed by its owner.
# governance/_event_comment.html words each one in the reader's language.
CAUSE_SCHEDULED = "scheduled_review"
CAUSE_DRIFT = "drift"
CAUSE_CHANGED_AFTER_APPROVAL = "changed_after_approval"


class TransitionConflict(Conflict):
    """The use case is not (or no longer) in a status this action applies to."""


# --- Who may do what -----------------------------------------------------------------------------


def is_decider(user: User | AnonymousUser, use_case: UseCase) -> bool:
    """Managers of the use case's department and admins, never its owner (separation of duties)."""
    if not user.is_authenticated or user.pk == use_case.owner_id:
        return False
    return scope.oversees(user, use_case.department_id)


def can_edit(user: User, use_case: UseCase) -> bool:
    return user.pk == use_case.owner_id and use_case.status in EDITABLE_STATUSES


def can_retire(user: User, use_case: UseCase) -> bool:
    return use_case.status in (Status.APPROVED, Status.UNDER_REVIEW) and (
        user.pk == use_case.owner_id or is_decider(user, use_case)
    )


@dataclass(frozen=True)
class Permissions:
    """What a user who sees a use case may do with it (the detail page's buttons)."""

    can_edit: bool
    can_submit: bool
    can_decide: bool
    can_retire: bool
    can_change_budget: bool
    can_join: bool
    is_member: bool


def permissions(user: User, use_case: UseCase) -> Permissions:
    is_owner = user.pk == use_case.owner_id
    is_member = use_case.members.filter(pk=user.pk).exists()
    return Permissions(
        can_edit=can_edit(user, use_case),
        can_submit=is_owner and use_case.status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        can_decide=use_case.status in DECIDABLE_STATUSES and is_decider(user, use_case),
        can_retire=can_retire(user, use_case),
        can_change_budget=use_case.status in selectors.BUDGETED_STATUSES and is_decider(user, use_case),
        can_join=not is_owner and not is_member and use_case.status not in (Status.REJECTED, Status.RETIRED),
        is_member=is_member,
    )


# --- Footprint, matrix, levers -------------------------------------------------------------------


def _estimate_params(fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The estimator's inputs for one year of a use case's usage profile."""
    model: AIModel = fields["model"]
    requests_per_year = fields["requests_per_month"] * 12
    common = {"model": model.slug, "iterations": fields["iterations_per_task"], "region": fields["region"]}
    if fields["task_type"] == UseCase.TaskType.IMAGE_GENERATION:
        size = {}
        if fields.get("image_width") or fields.get("image_height"):
            size = {"width": fields.get("image_width"), "height": fields.get("image_height")}
        return "image", {**common, "images": requests_per_year * fields["images_per_request"], **size}
    return "text", {
        **common,
        "requests": requests_per_year,
        "output_tokens": fields["output_tokens"],
        "input_tokens": fields["input_tokens"],
    }


# Estimator input names, as the use case's fields call them (for error messages).
ESTIMATOR_FIELD_NAMES = {
    "requests": "requests_per_month",
    "images": "images_per_request",
    "iterations": "iterations_per_task",
    "width": "image_width",
    "height": "image_height",
}


def yearly_footprint(fields: dict[str, Any]) -> estimator.Footprint:
    """The estimator's footprint of one year of this usage profile; ValidationError on the use case's fields."""
    kind, params = _estimate_params(fields)
    try:
        if kind == "image":
            return estimator.estimate_image(**params)
        return estimator.estimate_text(**params)
    except ValidationError as error:
        raise ValidationError(
            {ESTIMATOR_FIELD_NAMES.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


# What a use case's place on the value × impact matrix depends on: its task, its usage profile (without
# the number of users, which the footprint does not use) and its value.
PREVIEW_FIELDS = (
    "task_type",
    *(name for name in PROFILE_FIELDS if name != "users"),
    "value_environmental",
    "value_social",
    "value_economic",
)


def usecase_preview(*, title: str = "", **fields: Any) -> UseCase:
    """An unsaved use case carrying the yearly footprint these fields get when submitted (the same
    `yearly_footprint`), to show it and its place on the matrix while the form is filled in. Nothing is
    saved. ValidationError naming the use case's fields when the estimator cannot use them."""
    unknown = set(fields) - set(PREVIEW_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    profile = {name: _model_default(name) for name in PREVIEW_FIELDS} | fields
    _check_profile(profile)
    footprint = yearly_footprint(profile).as_dict()
    return UseCase(
        title=title, footprint=footprint, estimator_version=footprint["estimator_version"], **profile
    )


def _check_profile(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    model: AIModel | None = fields.get("model")
    is_image = fields.get("task_type") == UseCase.TaskType.IMAGE_GENERATION
    if model is not None:
        wanted = Modality.IMAGE if is_image else Modality.TEXT
        if model.modality != wanted:
            errors["model"] = (
                _("Image generation needs an image model.")
                if is_image
                else _("This task needs a text model.")
            )
    if is_image and not fields.get("images_per_request"):
        errors["images_per_request"] = _("An image use case generates at least one image per request.")
    if not is_image and not fields.get("output_tokens"):
        errors["output_tokens"] = _("A text use case produces at least one output token per request.")
    for axis in ("value_environmental", "value_social", "value_economic"):
        if fields.get(axis) is not None and not 0 <= fields[axis] <= 5:
            errors[axis] = _("Score from 0 to 5.")
    if errors:
        raise ValidationError(errors)


def thresholds() -> MatrixThresholds:
    return MatrixThresholds.objects.get_or_create(pk=1)[0]


QUADRANTS = {
    (True, False): "go",
    (True, True): "optimise",
    (False, False): "reconsider",
    (False, True): "stop",
}


def quadrant(use_case: UseCase, limits: MatrixThresholds) -> str | None:
    """go (high value, low impact), optimise, reconsider, stop (low value, high impact)."""
    emissions = use_case.yearly_emissions_kgco2e
    if emissions is None:
        return None
    high_value = use_case.value_score >= limits.value_threshold
    high_impact = emissions >= limits.impact_threshold_kgco2e
    return QUADRANTS[(high_value, high_impact)]


def lever_options(use_case: UseCase) -> dict[str, dict[str, Any]]:
    """What each lever changes in this use case's profile (estimator.levers' assumptions, shown with it)."""
    ref = estimator.reference_data()
    latest = [region for name in ref.regions if (region := ref.latest_region(name)) is not None]
    greenest = min(latest, key=lambda region: region.grid_gco2e_per_kwh)
    small = ref.models[levers.SMALL_IMAGE_MODEL if use_case.is_image else levers.SMALL_TEXT_MODEL]
    options: dict[str, dict[str, Any]] = {
        levers.REGION: {"region": greenest.name},
        levers.ITERATIONS: {
            "iterations_per_task": levers.iterations_after_training(use_case.iterations_per_task)
        },
        levers.MODEL: {"model": small},
    }
    if use_case.is_image:
        width, height = levers.capped_image_size(use_case.image_width, use_case.image_height)
        options[levers.OUTPUT_SIZE] = {"image_width": width, "image_height": height}
    else:
        options[levers.OUTPUT_SIZE] = {"output_tokens": levers.capped_output_tokens(use_case.output_tokens)}
    return options


def usecase_levers(use_case: UseCase) -> dict[str, Any]:
    """What the four levers would save on this use case's yearly emissions (Shapley shares)."""
    base = {name: getattr(use_case, name) for name in ("task_type", *PROFILE_FIELDS)}
    options = lever_options(use_case)

    def emissions_of(switched: frozenset[str]) -> float:
        fields = dict(base)
        for lever in switched:
            fields.update(options[lever])
        return yearly_footprint(fields).emissions_kgco2e.central

    split = levers.lever_split(emissions_of)
    return {
        **split.as_dict(),
        "options": {
            "region": options[levers.REGION]["region"],
            "iterations_per_task": options[levers.ITERATIONS]["iterations_per_task"],
            "model": options[levers.MODEL]["model"].name,
            **options[levers.OUTPUT_SIZE],
        },
    }


# --- Registering and editing ---------------------------------------------------------------------


def _record(
    use_case: UseCase,
    *,
    actor: User | None,
    from_status: str,
    to_status: str,
    comment: str = "",
    conditions: str = "",
    changes: dict[str, list[Any]] | None = None,
    cause: dict[str, Any] | None = None,
) -> UseCaseEvent:
    return UseCaseEvent.objects.create(
        use_case=use_case,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        conditions=conditions,
        footprint=use_case.footprint,
        estimator_version=use_case.estimator_version,
        changes=changes or {},
        cause=cause or {},
    )


def _audit_value(value: Any) -> Any:
    """A field's value as the audit trail keeps it (JSON): a model by its slug, a department by its name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return getattr(value, "slug", None) or str(value)


def _check_department(owner: User, department: Department | None) -> None:
    """Registering in a department hands the decision to its managers: only one the owner belongs to."""
    if (
        department is not None
        and not selectors.registrable_departments(owner).filter(pk=department.pk).exists()
    ):
        raise ValidationError(
            {"department": _("Register use cases in your own department (or one you manage).")}
        )


def _model_default(name: str) -> Any:
    field = UseCase._meta.get_field(name)
    return field.get_default() if isinstance(field, models.Field) else None


@transaction.atomic
def usecase_create(*, owner: User, **fields: Any) -> UseCase:
    """A new use case, as a draft. Its footprint is checked now and stored at submission."""
    fields.setdefault("department", owner.department)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    _check_department(owner, fields["department"])
    # The fields left out take the model's defaults (input_tokens, iterations_per_task, …).
    profile = {name: _model_default(name) for name in EDITABLE_FIELDS} | fields
    _check_profile(profile)
    if profile["model"] is not None:  # without one, full_clean names the missing field
        yearly_footprint(profile)  # refuses a profile the estimator cannot use, naming the field
    use_case = UseCase(owner=owner, status=Status.DRAFT, **fields)
    use_case.full_clean(exclude=["footprint"])
    use_case.save()
    _record(use_case, actor=owner, from_status="", to_status=Status.DRAFT)
    return use_case


@transaction.atomic
def usecase_update(*, use_case: UseCase, actor: User, **changes: Any) -> UseCase:
    """Edit a draft, a use case sent back, or an approved one.

    An approved use case that changes in any field its deciders read goes back for a decision (to the
    managers of its department, the new one if it moved), with an event recording each change, before
    and after. A submitted or re-reviewed use case cannot be edited while its deciders look at it.
    """
    if actor.pk != use_case.owner_id:
        raise PermissionDenied(_("Only the owner edits a use case."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise TransitionConflict(
            _("A %(status)s use case cannot be edited.") % {"status": locked.get_status_display()}
        )
    changed = {
        name: [_audit_value(getattr(locked, name)), _audit_value(value)]
        for name, value in changes.items()
        if value != getattr(locked, name)
    }
    if "department" in changed:
        _check_department(actor, changes["department"])
    for name, value in changes.items():
        setattr(locked, name, value)
    fields = {name: getattr(locked, name) for name in ("task_type", *EDITABLE_FIELDS)}
    _check_profile(fields)
    footprint = yearly_footprint(fields).as_dict()
    locked.full_clean(exclude=["footprint"])
    decided = {name: change for name, change in changed.items() if name in DECISION_FIELDS}
    if locked.status == Status.APPROVED and decided:
        locked.status = Status.SUBMITTED
        locked.footprint = footprint
        locked.estimator_version = footprint["estimator_version"]
        locked.submitted_at = timezone.now()
        locked.reminded_at = None
        locked.save()
        event = _record(
            locked,
            actor=actor,
            from_status=Status.APPROVED,
            to_status=Status.SUBMITTED,
            comment=_("Changed after approval: the use case needs a new decision."),
            changes=decided,
            cause={"code": CAUSE_CHANGED_AFTER_APPROVAL},
        )
        notifications.notify_on_commit("submitted", event)
    else:
        locked.save()
    return locked


@transaction.atomic
def usecase_join(*, use_case: UseCase, user: User) -> None:
    """Join an existing use case instead of registering a duplicate."""
    if user.pk != use_case.owner_id:
        use_case.members.add(user)


# --- Transitions ---------------------------------------------------------------------------------


def _transition(
    use_case: UseCase,
    *,
    actor: User | None,
    allowed_from: tuple[str, ...],
    to_status: str,
    comment: str = "",
    event_conditions: str = "",
    decide: Callable[[UseCase], dict[str, Any]] | None = None,
    cause: dict[str, Any] | None = None,
    **changes: Any,
) -> tuple[UseCase, UseCaseEvent]:
    """Move the locked use case to `to_status` with `changes`, and record the event.

    `decide`, if given, reads the locked use case (after the status check) and returns more field
    changes, which the event records as {field: [before, after]} (the approval's budget)."""
    with transaction.atomic():
        locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
        if locked.status not in allowed_from:
            raise TransitionConflict(
                _("This use case is %(status)s: the action no longer applies (someone may have acted first).")
                % {"status": locked.get_status_display()}
            )
        decided = decide(locked) if decide is not None else {}
        recorded = {
            name: [_audit_value(getattr(locked, name)), _audit_value(value)]
            for name, value in decided.items()
            if value != getattr(locked, name)
        }
        from_status = locked.status
        locked.status = to_status
        for name, value in {**changes, **decided}.items():
            setattr(locked, name, value)
        locked.save()
        event = _record(
            locked,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            conditions=event_conditions,
            changes=recorded,
            cause=cause,
        )
    return locked, event


def usecase_submit(*, use_case: UseCase, actor: User) -> UseCase:
    """Send for decision, with its yearly footprint computed now and kept with the estimator version."""
    if actor.pk != use_case.owner_id:
        raise PermissionDenied(_("Only the owner submits a use case."))
    footprint = yearly_footprint(
        {name: getattr(use_case, name) for name in ("task_type", *PROFILE_FIELDS)}
    ).as_dict()
    with transaction.atomic():
        use_case, event = _transition(
            use_case,
            actor=actor,
            allowed_from=(Status.DRAFT, Status.CHANGES_REQUESTED),
            to_status=Status.SUBMITTED,
            footprint=footprint,
            estimator_version=footprint["estimator_version"],
            submitted_at=timezone.now(),
            reminded_at=None,
        )
        notifications.notify_on_commit("submitted", event)
    return use_case


def _decide(
    use_case: UseCase,
    actor: User,
    to_status: str,
    comment: str,
    decide: Callable[[UseCase], dict[str, Any]] | None = None,
    **changes: Any,
) -> UseCase:
    if not is_decider(actor, use_case):
        raise PermissionDenied(
            _("You cannot decide on your own use case.")
            if actor.pk == use_case.owner_id
            else _("Only the managers of its department and admins decide on a use case.")
        )
    with transaction.atomic():
        use_case, event = _transition(
            use_case,
            actor=actor,
            allowed_from=DECIDABLE_STATUSES,
            to_status=to_status,
            comment=comment,
            event_conditions=changes.get("conditions", ""),
            decide=decide,
            decided_at=timezone.now(),
            **changes,
        )
        notifications.notify_on_commit("decided", event)
    return use_case


def _note(text: str, field: str = "comment") -> str:
    """A decision's comment or conditions, stripped, at most NOTE_MAX_CHARS characters."""
    text = (text or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters (this text has %(length)d).")
                % {"limit": NOTE_MAX_CHARS, "length": len(text)}
            }
        )
    return text


def _required(comment: str) -> str:
    comment = _note(comment)
    if not comment:
        raise ValidationError({"comment": _("Say why: the owner needs a reason.")})
    return comment


def review_due_date(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    months = today.month - 1 + settings.GOVERNANCE_REVIEW_MONTHS
    year, month = today.year + months // 12, months % 12 + 1
    return today.replace(year=year, month=month, day=min(today.day, 28))


def _check_budget(budget_kgco2e_per_year: float | None) -> float | None:
    """A budget the decider gives: a finite number of kgCO2e above zero (None: the default)."""
    if budget_kgco2e_per_year is None:
        return None
    try:
        budget = float(budget_kgco2e_per_year)
    except (TypeError, ValueError):
        budget = math.nan
    if not math.isfinite(budget) or budget <= 0:
        raise ValidationError(
            {"budget_kgco2e_per_year": _("A budget is a number of kgCO2e a year above zero.")}
        )
    return budget


def is_default_budget(budget_kgco2e_per_year: float, default: float) -> bool:
    """The same budget as the default, but for floating-point noise (a number sent back as it was shown)."""
    return math.isclose(budget_kgco2e_per_year, default, rel_tol=1e-9)


def _budget_setting(
    budget: float | None, reason: str, *, keep_custom: bool
) -> Callable[[UseCase], dict[str, Any]]:
    """The one way a use case's budget is set (approval and budget change): the figure given, or, with
    none, a budget a decider set with a reason if there is one and `keep_custom` (a re-approval carries it
    over), else the approved estimate's high bound. A budget other than that default needs a reason, kept
    with it; the default keeps none (so a reason always marks a decider's own figure)."""

    def decide(locked: UseCase) -> dict[str, Any]:
        default = locked.default_budget_kgco2e_per_year
        if budget is None and keep_custom and locked.budget_reason and locked.budget_kgco2e_per_year:
            return {
                "budget_kgco2e_per_year": locked.budget_kgco2e_per_year,
                "budget_reason": reason or locked.budget_reason,
            }
        if budget is None or (default is not None and is_default_budget(budget, default)):
            if default is None:  # approving needs a footprint, which submission stores
                raise ValidationError(
                    {"budget_kgco2e_per_year": _("This use case has no estimate to take a budget from.")}
                )
            return {"budget_kgco2e_per_year": default, "budget_reason": ""}
        if not reason:
            raise ValidationError(
                {"budget_reason": _("Say why the budget differs from the approved estimate's high bound.")}
            )
        return {"budget_kgco2e_per_year": budget, "budget_reason": reason}

    return decide


def usecase_approve(
    *,
    use_case: UseCase,
    actor: User,
    comment: str = "",
    conditions: str = "",
    budget_kgco2e_per_year: float | None = None,
    budget_reason: str = "",
) -> UseCase:
    """Approve, optionally with conditions (e.g. "EU regions only", "no more than 500 output tokens"),
    and set the use case's yearly footprint budget: the figure given (another than the approved
    estimate's high bound needs a reason); none given, the budget a decider set earlier with a reason
    (a re-approval carries it over) or else that high bound. The decision's event records the budget
    (before and after)."""
    return _decide(
        use_case,
        actor,
        Status.APPROVED,
        _note(comment),
        decide=_budget_setting(
            _check_budget(budget_kgco2e_per_year), _note(budget_reason, "budget_reason"), keep_custom=True
        ),
        conditions=_note(conditions, "conditions"),
        review_due_on=review_due_date(),
    )


def usecase_budget_change(
    *, use_case: UseCase, actor: User, budget_kgco2e_per_year: float | None, reason: str
) -> UseCase:
    """Change the yearly budget of a use case in force (approved, or under re-review) without a new
    decision: its deciders only (managers of its department and admins, never its owner), always with a
    reason. None: back to the approved estimate's high bound. Recorded as a use-case event (the status
    unchanged, the reason as its comment, the budget before and after)."""
    if not is_decider(actor, use_case):
        raise PermissionDenied(
            _("Only the managers of its department and admins change a use case's budget.")
        )
    reason = _note(reason, "budget_reason")
    if not reason:
        raise ValidationError({"budget_reason": _("Say why the budget changes.")})
    budget = _check_budget(budget_kgco2e_per_year)
    status = use_case.status
    use_case, _event = _transition(
        use_case,
        actor=actor,
        allowed_from=(status,) if status in selectors.BUDGETED_STATUSES else (),
        to_status=status,
        comment=reason,
        decide=_budget_setting(budget, reason, keep_custom=False),
    )
    return use_case


def usecase_request_changes(*, use_case: UseCase, actor: User, comment: str) -> UseCase:
    return _decide(use_case, actor, Status.CHANGES_REQUESTED, _required(comment))


def usecase_reject(*, use_case: UseCase, actor: User, comment: str) -> UseCase:
    return _decide(use_case, actor, Status.REJECTED, _required(comment))


def usecase_retire(*, use_case: UseCase, actor: User, comment: str = "") -> UseCase:
    if not (actor.pk == use_case.owner_id or is_decider(actor, use_case)):
        raise PermissionDenied(
            _("Only its owner, the managers of its department and admins retire a use case.")
        )
    use_case, _event = _transition(
        use_case,
        actor=actor,
        allowed_from=(Status.APPROVED, Status.UNDER_REVIEW),
        to_status=Status.RETIRED,
        comment=_note(comment),
    )
    return use_case


def usecase_start_review(*, use_case: UseCase, reason: str, cause: dict[str, Any] | None = None) -> UseCase:
    """An approved use case goes back to its deciders (scheduled re-review, or usage drift). `reason`
    is kept as the event's comment; `cause` ({"code": CAUSE_…, figures}) lets pages and e-mails word it
    in their reader's language."""
    with transaction.atomic():
        use_case, event = _transition(
            use_case,
            actor=None,
            allowed_from=(Status.APPROVED,),
            to_status=Status.UNDER_REVIEW,
            comment=reason,
            cause=cause,
            # The decision is asked for again now: its delay, reminders and place in the queue count from
            # here (as for a change after approval), not from the first submission.
            submitted_at=timezone.now(),
            reminded_at=None,
        )
        notifications.notify_on_commit("review", event)
    return use_case


def usecase_start_due_reviews(*, today: datetime.date | None = None) -> int:
    """Start every re-review that is due. Safe to run twice: a started review is no longer approved."""
    today = today or timezone.localdate()
    started = 0
    for use_case in UseCase.objects.filter(status=Status.APPROVED, review_due_on__lte=today):
        try:
            usecase_start_review(
                use_case=use_case, reason=_("Scheduled re-review."), cause={"code": CAUSE_SCHEDULED}
            )
            started += 1
        except TransitionConflict:
            continue
    return started


def drifts(*, budget_kgco2e: float, actual_kgco2e: float) -> bool:
    """Actual usage, a year's worth, runs above the use case's yearly budget."""
    return actual_kgco2e > budget_kgco2e


def usecase_check_drift(*, use_case: UseCase, actual_yearly_kgco2e: float) -> bool:
    """Start a re-review when actual usage, annualised, runs above the use case's yearly budget."""
    budget = use_case.budget_kgco2e_per_year
    if use_case.status != Status.APPROVED or budget is None:
        return False
    if not drifts(budget_kgco2e=budget, actual_kgco2e=actual_yearly_kgco2e):
        return False
    reason = _(
        "Actual usage (%(actual).0f kgCO2e a year) runs above the use case's budget (%(budget).0f kgCO2e a year)."
    ) % {
        "actual": actual_yearly_kgco2e,
        "budget": budget,
    }
    cause = {"code": CAUSE_DRIFT, "actual_kgco2e": actual_yearly_kgco2e, "budget_kgco2e": budget}
    try:
        usecase_start_review(use_case=use_case, reason=reason, cause=cause)
    except TransitionConflict:
        return False
    return True
