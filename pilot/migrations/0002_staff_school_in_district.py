"""A staff member's school must be in the staff member's district.

PostgreSQL checks this with a composite foreign key onto school (id, district_id);
SQLite, the demo database, relies on the form and model validation instead.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE pilot_staff ADD CONSTRAINT staff_school_in_district
    FOREIGN KEY (school_id, district_id) REFERENCES pilot_school (id, district_id)
    DEFERRABLE INITIALLY DEFERRED;
"""
BACKWARD = "ALTER TABLE pilot_staff DROP CONSTRAINT staff_school_in_district;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("pilot", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
