"""The monthly summary's writers take turns per bucket of pairings, not per pairing
(``pilot.summaries.bucketed_locks`` says why)."""

from importlib import import_module

from django.db import migrations

from pilot.summaries import bucketed_locks, postgresql_only

NEW, OLD = bucketed_locks(
    import_module("mentoring.migrations.0006_monthly_mentoring").FUNCTIONS,
    until="CREATE FUNCTION mentoring_session_monthly",
)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_monthly_mentoring"),
    ]

    operations = [postgresql_only(NEW, OLD)]
