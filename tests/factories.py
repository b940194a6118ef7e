import factory

from estimator.models import AIModel
from governance import services
from portal.models import Department, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = User.Role.EMPLOYEE
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def manages(self, create: bool, extracted: list[Department] | None, **kwargs: object) -> None:
        if create and extracted:
            self.managed_departments.set(extracted)


def use_case_fields(**overrides: object) -> dict[str, object]:
    """A valid text use case's fields, for governance.services.usecase_create."""
    fields: dict[str, object] = {
        "title": "Summarise customer feedback",
        "description": "Weekly summary of the feedback forms.",
        "task_type": "summarisation",
        "model": AIModel.objects.get(slug="gpt-4o-mini"),
        "region": "europe-west9",
        "requests_per_month": 400,
        "input_tokens": 2000,
        "output_tokens": 400,
        "iterations_per_task": 2,
        "users": 3,
        "value_environmental": 1,
        "value_social": 3,
        "value_economic": 4,
        "value_justification": "Saves half a day a week.",
        "alternatives": "Reading the forms; no AI.",
        "ai_act_tier": "minimal",
    }
    fields.update(overrides)
    return fields


def use_case(owner, status: str = "draft", decider=None, **overrides: object):
    """A use case brought to `status` through the real workflow."""
    case = services.usecase_create(owner=owner, **use_case_fields(**overrides))
    if status == "draft":
        return case
    case = services.usecase_submit(use_case=case, actor=owner)
    steps = {
        "submitted": [],
        "approved": [("approve", {})],
        "changes_requested": [("request_changes", {"comment": "More detail."})],
        "rejected": [("reject", {"comment": "Not worth it."})],
        "under_review": [("approve", {}), ("review", {})],
        "retired": [("approve", {}), ("retire", {})],
    }[status]
    for step, params in steps:
        if step == "review":
            case = services.usecase_start_review(
                use_case=case, reason="Scheduled re-review.", cause={"code": services.CAUSE_SCHEDULED}
            )
        else:
            case = getattr(services, f"usecase_{step}")(use_case=case, actor=decider, **params)
    return case
