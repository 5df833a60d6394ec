import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from demo.core import DEMO_PASSWORD, SIGN_INS, seed_core
from pilot.summaries import paused_for_bulk_load

# Each app's demo data: a module of this package with ``seed(world)``; order matters.
APP_SEEDS = ["demo.mentoring", "demo.coursework", "demo.observations", "demo.pathways"]
# Seeds that only insert rows in bulk load without the summary triggers (and so without the
# database's cascades and rule triggers). The pathways seed changes people's roles through
# the staff service, which relies on the pairing key's ON UPDATE CASCADE: it runs after.
BULK_SEEDS = APP_SEEDS[:3]


class Command(BaseCommand):
    help = "Build the fictional demo pilot (idempotent). Refuses with DEBUG off unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--scale", default="1", help="Multiply the demo data (a whole number), or 'state'."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data with DEBUG off (this may be production). "
                "Use --force if you are sure."
            )
        scale = str(options["scale"])
        if scale != "state" and (not scale.isdigit() or int(scale) < 1):
            raise CommandError("--scale takes a whole number of at least 1, or 'state'.")
        with paused_for_bulk_load():
            world = seed_core(scale=scale)
            for module in BULK_SEEDS:
                importlib.import_module(module).seed(world)
        for module in APP_SEEDS[len(BULK_SEEDS) :]:
            importlib.import_module(module).seed(world)
        if connection.vendor == "postgresql":
            # Fresh planner statistics: right after a bulk load PostgreSQL still believes the
            # tables are nearly empty and picks plans (nested-loop anti-joins over every row)
            # that take seconds until autovacuum catches up. VACUUM also marks the pages
            # all-visible, so counts can be read from indexes; it cannot run inside a
            # transaction (as under a test), where ANALYZE alone does.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if int(options.get("verbosity", 1)) < 1:
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these:"))
        for email, role in SIGN_INS:
            self.stdout.write(f"  {email:<24} {role}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
        if settings.MFA_REQUIRED:
            self.stdout.write("  coordinators and liaisons set up an authenticator app at sign-in")
        else:
            self.stdout.write("  no second factor asked (MFA_REQUIRED is off, as make run sets it)")
