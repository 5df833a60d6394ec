from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from observations.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email teachers whose end-of-pilot observations are due within 14 days or overdue. "
        "Safe to run daily: each due form is reminded once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD); default today."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(str(options["date"]))
            except ValueError as bad:
                raise CommandError("--date takes a date like 2027-06-16.") from bad
        result = send_reminders(today=today, dry_run=bool(options["dry_run"]))
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            f"{verb} {result.emails} reminder email{'s' if result.emails != 1 else ''} "
            f"about {result.forms} end-of-pilot form{'s' if result.forms != 1 else ''}."
        )
