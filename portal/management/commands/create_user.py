from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.models import User
from portal.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role and a department (departments are created as needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, help=f"one of {', '.join(User.Role.values)}")
        parser.add_argument("--department", required=True, help="the department the user belongs to")
        parser.add_argument(
            "--manages", nargs="+", default=[], metavar="NAME", help="departments a manager manages"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_create(
                username=str(options["username"]),
                email=str(options["email"]),
                password=str(options["password"]),
                role=str(options["role"]),
                department_name=str(options["department"]),
                managed_department_names=list(options["manages"]),
            )
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("; ".join(lines)) from None
        self.stdout.write(f"Created {user.username} ({user.role}, {user.department}).")
