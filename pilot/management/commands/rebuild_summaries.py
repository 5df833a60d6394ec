"""Recompute every summary table the apps keep (``pilot.registry.SUMMARIES``) from
scratch: after restoring a backup taken without them, or to check the triggers."""

from django.core.management.base import BaseCommand

from pilot.registry import SUMMARIES


class Command(BaseCommand):
    help = "Rebuild the summary tables (observation growth, mentoring by month) from scratch."

    def handle(self, *args: object, **options: object) -> None:
        for summary in SUMMARIES:
            rows = summary.rebuild()
            self.stdout.write(f"{summary.key}: {rows:,} rows")
