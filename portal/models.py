"""The organisation: departments, and users with a role and a department."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        MANAGER = "manager", _("Manager")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    # Nullable only so that Django's own `createsuperuser` keeps working; `create_user` and the
    # admin form always set it.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=False,
    )
    managed_departments = models.ManyToManyField(
        Department,
        verbose_name=_("managed departments"),
        related_name="managers",
        blank=True,
        help_text=_("Departments whose use cases and training results this user can see and decide on."),
    )

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the e-mails this user receives; set when they switch language."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        """How pages name people: their full name, else their username (accounts made before single
        sign-on, or without a name)."""
        return self.get_full_name() or self.get_username()

    @property
    def is_org_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def oversees_departments(self) -> bool:
        """Admins and managers look at other people's work (see portal.scope)."""
        return self.is_org_admin or self.is_manager


class OutboxMessage(models.Model):
    """A task to run, recorded in the transaction that asked for it and sent to the broker after the
    commit (portal/outbox.py). Pending while `dispatched_at` is empty."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Run the task this many seconds after it is sent (0: at once): a debounce, e.g. the OTLP receiver's
    # rollup, queued by the first export of a minute to take in the spans of that minute.
    countdown_s = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_pending", condition=models.Q(dispatched_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
