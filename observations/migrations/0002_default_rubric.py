"""The default rubric (version 1), written from ``observations.default_rubric``."""

from django.db import migrations

from observations.default_rubric import create_default_rubric


def remove_default_rubric(apps, schema_editor):
    Rubric = apps.get_model("observations", "Rubric")
    Observation = apps.get_model("observations", "Observation")
    if not Observation.objects.filter(rubric__version=1).exists():
        Rubric.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("observations", "0001_initial")]

    operations = [migrations.RunPython(create_default_rubric, remove_default_rubric)]
