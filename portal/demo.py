"""The demo organisation loaded by `manage.py load_demo`. Demo data only: never use in production."""

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from courses import services as courses
from courses.models import Course, Enrollment, Iteration, QuizResult, TaskAttempt, TrainingSettings
from estimator import services as estimator
from estimator.models import AIModel, Estimate
from governance import services as governance
from governance.models import UseCase
from portal.models import Department, User
from usage.demo import demo_usage_load

DEMO_PASSWORD = "frugal-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    department: str
    manages: tuple[str, ...] = ()
    first_name: str = ""
    last_name: str = ""


# People sign in with their username and are shown by their name (User.__str__); the admin account has none.
DEMO_USERS = (
    DemoUser("alice", User.Role.EMPLOYEE, "Marketing", first_name="Alice", last_name="Martin"),
    DemoUser("bruno", User.Role.MANAGER, "Marketing", ("Marketing",), "Bruno", "Lefèvre"),
    DemoUser("chloe", User.Role.EMPLOYEE, "Finance", first_name="Chloé", last_name="Dubois"),
    DemoUser("david", User.Role.MANAGER, "Finance", ("Finance",), "David", "Moreau"),
    DemoUser("emma", User.Role.EMPLOYEE, "Customer service", first_name="Emma", last_name="Laurent"),
    DemoUser("farid", User.Role.MANAGER, "Customer service", ("Customer service",), "Farid", "Benali"),
    DemoUser("admin", User.Role.ADMIN, "Finance"),
)


# Saved estimates each demo user finds in the estimator: (username, name, kind, inputs).
DEMO_ESTIMATES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "alice",
        "Weekly newsletter draft: GPT-4o in Iowa",
        "text",
        {
            "model": "gpt-4o",
            "output_tokens": 800,
            "input_tokens": 1500,
            "requests": 52,
            "iterations": 4,
            "region": "us-central1",
        },
    ),
    (
        "alice",
        "Weekly newsletter draft: GPT-4o mini in Paris, briefed",
        "text",
        {
            "model": "gpt-4o-mini",
            "output_tokens": 600,
            "input_tokens": 1500,
            "requests": 52,
            "iterations": 2,
            "region": "europe-west9",
        },
    ),
    (
        "alice",
        "Campaign visuals: 200 SDXL images",
        "image",
        {"model": "sdxl", "images": 200, "iterations": 5, "region": "europe-west4"},
    ),
    (
        "bruno",
        "Fine-tune on support tickets: 200 A100-hours in Finland",
        "training",
        {"gpu_hours": 200, "gpu_type": "a100", "region": "europe-north1", "include_embodied": True},
    ),
    ("david", "The study's example: Llama 3 for a year", "scenario", {"preset": "llama3-year"}),
]


# Use cases in every status and every quadrant of the value × impact matrix, created through the real
# workflow (so their audit trails are real). Each: owner, fields, then the steps (actor, action, text).
DEMO_USE_CASES = [
    (
        "alice",
        {
            "title": "Translate product documentation into five languages",
            "description": "Translate each release's user guide (about 40 pages) into DE, ES, IT, NL and PL.",
            "task_type": "translation",
            "model": "llama-3.1-70b",
            "region": "europe-west9",
            "requests_per_month": 2000,
            "input_tokens": 1500,
            "output_tokens": 1500,
            "iterations_per_task": 1.5,
            "users": 10,
            "value_environmental": 2,
            "value_social": 4,
            "value_economic": 4,
            "value_justification": "Customers read the guide in their language; agencies take three weeks.",
            "alternatives": "Translation agency (3 weeks, 12 k€ a release); no translation (support tickets).",
            "ai_act_tier": "minimal",
        },
        [
            ("alice", "submit", "", ""),
            (
                "bruno",
                "approve",
                "Glossary reviewed by a native speaker for each language.",
                "EU regions only.",
            ),
        ],
    ),
    (
        "chloe",
        {
            "title": "Transcribe and summarise every meeting",
            "description": "Record, transcribe and summarise every internal meeting of the department.",
            "task_type": "summarisation",
            "model": "gpt-4o",
            "region": "us-central1",
            "requests_per_month": 30000,
            "input_tokens": 8000,
            "output_tokens": 800,
            "iterations_per_task": 1,
            "users": 200,
            "value_environmental": 1,
            "value_social": 2,
            "value_economic": 2,
            "value_justification": "Saves note-taking, but most summaries are never read.",
            "alternatives": "Notes by the organiser for the meetings that need them; no AI.",
            "personal_data": True,
            "ai_act_tier": "limited",
        },
        [("chloe", "submit", "", "")],
    ),
    (
        "alice",
        {
            "title": "Starter pack for new hires: illustrated welcome kit",
            "description": "Illustrations for each newcomer's welcome kit, in the brand's style.",
            "task_type": "image_generation",
            "model": "sdxl",
            "region": "us-central1",
            "requests_per_month": 300,
            "images_per_request": 4,
            "iterations_per_task": 6,
            "users": 5,
            "value_environmental": 1,
            "value_social": 3,
            "value_economic": 2,
            "value_justification": "A warmer welcome; the kit is printed once per hire.",
            "alternatives": "The brand's existing image bank; a designer once a year.",
            "ai_act_tier": "minimal",
        },
        [
            ("alice", "submit", "", ""),
            (
                "bruno",
                "request-changes",
                "Six tries per image is a lot: brief the style once and keep two images at most.",
                "",
            ),
        ],
    ),
    (
        "emma",
        {
            "title": "Draft replies for customer-service tickets",
            "description": "Draft a reply to each incoming ticket; an agent edits and sends it.",
            "task_type": "text_generation",
            "model": "llama-3-70b",
            "region": "europe-north1",
            "requests_per_month": 50000,
            "input_tokens": 800,
            "output_tokens": 300,
            "iterations_per_task": 2,
            "users": 40,
            "value_environmental": 2,
            "value_social": 4,
            "value_economic": 5,
            "value_justification": "Answers in hours instead of days; agents keep the final word.",
            "alternatives": "Templates only (slower, less precise); more agents.",
            "personal_data": True,
            "ai_act_tier": "limited",
        },
        [("emma", "submit", "", ""), ("farid", "approve", "Agents must review every draft.", "")],
    ),
    (
        "chloe",
        {
            "title": "Code assistant for the finance data team",
            "description": "A coding assistant in the data team's editor for SQL and Python.",
            "task_type": "code",
            "model": "gpt-4o",
            "region": "us-east4",
            "requests_per_month": 100000,
            "input_tokens": 4000,
            "output_tokens": 600,
            "iterations_per_task": 3,
            "users": 25,
            "value_environmental": 1,
            "value_social": 3,
            "value_economic": 5,
            "value_justification": "Faster month-end closing; fewer errors in the reporting scripts.",
            "alternatives": "No assistant; a smaller model for completion only.",
            "ai_act_tier": "minimal",
        },
        [
            ("chloe", "submit", "", ""),
            ("david", "approve", "", "Review the model choice after six months."),
            ("system", "review", "Scheduled re-review.", ""),
        ],
    ),
    (
        "alice",
        {
            "title": "Daily social-media visuals",
            "description": "Generate fresh visuals for every social-media post, every day.",
            "task_type": "image_generation",
            "model": "sdxl",
            "region": "asia-south1",
            "requests_per_month": 3000,
            "images_per_request": 4,
            "iterations_per_task": 8,
            "users": 3,
            "value_environmental": 0,
            "value_social": 1,
            "value_economic": 2,
            "value_justification": "More posts, but engagement does not depend on new visuals.",
            "alternatives": "The brand image bank; photos from events.",
            "public_facing": True,
            "ai_act_tier": "limited",
        },
        [
            ("alice", "submit", "", ""),
            ("bruno", "reject", "Low value for a high footprint: reuse the image bank.", ""),
        ],
    ),
    (
        "emma",
        {
            "title": "Summaries of monthly reports",
            "description": "One-page summaries of the monthly activity reports for the board.",
            "task_type": "summarisation",
            "model": "mistral-small",
            "region": "europe-west9",
            "requests_per_month": 20,
            "input_tokens": 12000,
            "output_tokens": 500,
            "iterations_per_task": 2,
            "users": 2,
            "value_environmental": 1,
            "value_social": 2,
            "value_economic": 3,
            "value_justification": "Saves a day of work a month.",
            "alternatives": "The analyst writes them.",
            "ai_act_tier": "minimal",
        },
        [],
    ),
    (
        "emma",
        {
            "title": "FAQ chatbot on the old website",
            "description": "A chatbot answering questions from the old website's FAQ.",
            "task_type": "text_generation",
            "model": "gpt-4o-mini",
            "region": "europe-west1",
            "requests_per_month": 5000,
            "input_tokens": 2000,
            "output_tokens": 200,
            "iterations_per_task": 1,
            "users": 1,
            "value_environmental": 1,
            "value_social": 3,
            "value_economic": 3,
            "value_justification": "Answers visitors at night.",
            "alternatives": "A searchable FAQ page.",
            "public_facing": True,
            "ai_act_tier": "limited",
        },
        [
            ("emma", "submit", "", ""),
            ("farid", "approve", "", ""),
            ("emma", "retire", "The old website closes.", ""),
        ],
    ),
]


def demo_use_cases_load(users: dict[str, User]) -> None:
    for owner, fields, steps in DEMO_USE_CASES:
        if UseCase.objects.filter(title=fields["title"]).exists():
            continue
        values = {**fields, "model": AIModel.objects.get(slug=fields["model"])}
        use_case = governance.usecase_create(owner=users[owner], **values)
        for actor, action, comment, conditions in steps:
            if action == "submit":
                use_case = governance.usecase_submit(use_case=use_case, actor=users[actor])
            elif action == "approve":
                use_case = governance.usecase_approve(
                    use_case=use_case, actor=users[actor], comment=comment, conditions=conditions
                )
            elif action == "request-changes":
                use_case = governance.usecase_request_changes(
                    use_case=use_case, actor=users[actor], comment=comment
                )
            elif action == "reject":
                use_case = governance.usecase_reject(use_case=use_case, actor=users[actor], comment=comment)
            elif action == "review":
                use_case = governance.usecase_start_review(
                    use_case=use_case, reason=comment, cause={"code": governance.CAUSE_SCHEDULED}
                )
            elif action == "retire":
                use_case = governance.usecase_retire(use_case=use_case, actor=users[actor], comment=comment)


DEMO_LEARNERS = 12  # demo-learner-01 … 12, spread over the three departments


def _demo_iterations(
    rng: random.Random, kind: str, trained: bool, config: TrainingSettings
) -> tuple[int, dict[str, Any]]:
    """How many prompts a demo learner sent for a task, and the size of each output."""
    if kind == "text":
        count = rng.randint(1, 3) if trained else rng.randint(2, 5)
        tokens = rng.randint(90, 220) if trained else rng.randint(220, 480)
        return count, {"output_tokens": tokens, "model": config.text_model}
    count = rng.randint(1, 4) if trained else rng.randint(4, 9)
    width, height = (1024, 576) if trained else (1024, 1024)
    images = 1 if trained else 4
    return count, {
        "images": images,
        "image_width": width,
        "image_height": height,
        "model": config.image_model,
    }


def demo_training_cohort_load() -> None:
    """A cohort of demo learners who did the course, with plausible before/after practice data.

    Demo data only: the learners are called demo-learner-NN and every iteration is marked "demo".
    Trained, they send fewer prompts and ask for shorter outputs and smaller images, as the study found.
    """
    course = Course.objects.filter(slug="frugal-prompting").first()
    if course is None:
        return
    rng = random.Random(2026)
    departments = list(Department.objects.order_by("name"))
    config = courses.training_settings()
    for index in range(1, DEMO_LEARNERS + 1):
        department = departments[index % len(departments)]
        user, created = User.objects.get_or_create(
            username=f"demo-learner-{index:02d}",
            defaults={
                "email": f"demo-learner-{index:02d}@demo.example",
                "department": department,
                "role": User.Role.EMPLOYEE,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if Enrollment.objects.filter(user=user, course=course).exists():
            continue
        enrollment = courses.course_enroll(user=user, course=course)
        for phase, task_set in (
            (TaskAttempt.Phase.BEFORE, enrollment.first_set),
            (TaskAttempt.Phase.AFTER, enrollment.second_set),
        ):
            trained = phase == TaskAttempt.Phase.AFTER
            for task in course.tasks.filter(set=task_set):
                met = rng.random() < (0.95 if trained else 0.85)
                attempt = TaskAttempt.objects.create(
                    enrollment=enrollment,
                    task=task,
                    phase=phase,
                    outcome=TaskAttempt.Outcome.MET if met else TaskAttempt.Outcome.GAVE_UP,
                    ended_at=timezone.now(),
                )
                count, values = _demo_iterations(rng, task.kind, trained, config)
                for number in range(1, count + 1):
                    prompt = "[demo data] practice prompt"
                    Iteration.objects.create(
                        attempt=attempt,
                        number=number,
                        prompt=prompt,
                        prompt_tokens=rng.randint(40, 160) if trained else rng.randint(10, 60),
                        source=Iteration.Source.DEMO,
                        **values,
                    )
            if phase == TaskAttempt.Phase.BEFORE:
                for module in course.modules.all():
                    QuizResult.objects.create(
                        enrollment=enrollment, module=module, score_percent=100, passed=True
                    )
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())


@transaction.atomic
def demo_organisation_load() -> list[User]:
    """Create or reset the demo departments and users. Safe to run any number of times."""
    users = []
    for demo in DEMO_USERS:
        department, _ = Department.objects.get_or_create(name=demo.department)
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "email": f"{demo.username}@demo.example",
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "role": demo.role,
                "department": department,
                "is_staff": demo.role == User.Role.ADMIN,
                "is_superuser": demo.role == User.Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.managed_departments.set(
            [Department.objects.get_or_create(name=name)[0] for name in demo.manages]
        )
        users.append(user)
    by_name = {user.username: user for user in users}
    for username, name, kind, inputs in DEMO_ESTIMATES:
        if not Estimate.objects.filter(owner=by_name[username], name=name).exists():
            estimator.estimate_save(owner=by_name[username], name=name, kind=kind, inputs=inputs)
    demo_use_cases_load(by_name)
    demo_training_cohort_load()
    demo_usage_load()
    return users
