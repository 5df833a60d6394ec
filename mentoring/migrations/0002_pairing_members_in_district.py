"""Teacher and paraprofessional belong to the pairing's district, with the right roles.

PostgreSQL checks this with composite foreign keys onto staff (id, district_id, role)
(the unique constraint ``staff_id_district_role``); the pairing's constant role columns
make the role part of the key. SQLite, the demo database, relies on the form and
``Pairing.clean()`` instead. The keys are checked immediately (not deferred), so a bad
row fails at the statement that writes it; moving a paired staff member to another
district, or changing their role, is refused while the pairing names them.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE mentoring_pairing ADD CONSTRAINT pairing_teacher_in_district
    FOREIGN KEY (teacher_id, district_id, teacher_role)
    REFERENCES pilot_staff (id, district_id, role);
ALTER TABLE mentoring_pairing ADD CONSTRAINT pairing_para_in_district
    FOREIGN KEY (paraprofessional_id, district_id, paraprofessional_role)
    REFERENCES pilot_staff (id, district_id, role);
"""
BACKWARD = """
ALTER TABLE mentoring_pairing DROP CONSTRAINT pairing_teacher_in_district;
ALTER TABLE mentoring_pairing DROP CONSTRAINT pairing_para_in_district;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial"), ("pilot", "0002_staff_school_in_district")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
