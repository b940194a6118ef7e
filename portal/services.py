"""Organisation services: creating users with their role and departments."""

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Department, User


def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    department_name: str,
    managed_department_names: Sequence[str] = (),
) -> User:
    """Create a user in a department, creating departments as needed.

    Raises ValidationError (and creates nothing) on an unknown role, a missing department, a
    manager without managed departments, a taken username, a bad e-mail or a weak password.
    """
    errors: dict[str, list[str]] = {}
    department_name = department_name.strip()
    managed_names = sorted({name.strip() for name in managed_department_names if name.strip()})
    if role not in User.Role.values:
        errors["role"] = [
            _("Unknown role %(role)s: choose one of %(choices)s.")
            % {"role": role, "choices": ", ".join(User.Role.values)}
        ]
    if not department_name:
        errors["department"] = [_("Every user belongs to a department: give its name.")]
    if role == User.Role.MANAGER and not managed_names:
        errors["manages"] = [_("A manager manages at least one department.")]
    if role != User.Role.MANAGER and managed_names:
        errors["manages"] = [_("Only managers manage departments.")]
    if not username.strip():
        errors["username"] = [_("The username is required.")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("The username %(username)s is taken.") % {"username": username}]
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = list(error.messages)
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        department, _created = Department.objects.get_or_create(name=department_name)
        user = User(
            username=username,
            email=email,
            role=role,
            department=department,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        managed = [Department.objects.get_or_create(name=name)[0] for name in managed_names]
        user.managed_departments.set(managed)
    return user
