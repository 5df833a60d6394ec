"""The paired scores' writers take turns per bucket of pairings, not per pairing
(``pilot.summaries.bucketed_locks`` says why)."""

from importlib import import_module

from django.db import migrations

from pilot.summaries import bucketed_locks, postgresql_only

NEW, OLD = bucketed_locks(
    import_module("observations.migrations.0005_paired_scores").FUNCTIONS,
    until="CREATE FUNCTION observations_observation_paired_scores",
)


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0006_reminder_runs"),
    ]

    operations = [postgresql_only(NEW, OLD)]
