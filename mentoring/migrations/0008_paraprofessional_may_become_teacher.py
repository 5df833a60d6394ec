"""A paraprofessional of pairings that are over may become a teacher (the same record).

The pairing's key onto the paraprofessional's (id, district, role) now cascades on
update: when the staff service changes their role, their past pairings follow (their
role column says teacher). The check keeps an active pairing's paraprofessional a
paraprofessional, and a new pairing is made with one (the column's default), so a
teacher is still never paired as the paraprofessional and a paired person still never
moves district (the cascaded district breaks the teacher's key).
"""

from django.db import migrations, models

FORWARD = """
ALTER TABLE mentoring_pairing DROP CONSTRAINT pairing_para_in_district;
ALTER TABLE mentoring_pairing ADD CONSTRAINT pairing_para_in_district
    FOREIGN KEY (paraprofessional_id, district_id, paraprofessional_role)
    REFERENCES pilot_staff (id, district_id, role) ON UPDATE CASCADE;
"""
BACKWARD = """
ALTER TABLE mentoring_pairing DROP CONSTRAINT pairing_para_in_district;
ALTER TABLE mentoring_pairing ADD CONSTRAINT pairing_para_in_district
    FOREIGN KEY (paraprofessional_id, district_id, paraprofessional_role)
    REFERENCES pilot_staff (id, district_id, role);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0007_monthly_mentoring_bounded_locks")]

    operations = [
        migrations.RemoveConstraint(model_name="pairing", name="pairing_para_role_constant"),
        migrations.AddConstraint(
            model_name="pairing",
            constraint=models.CheckConstraint(
                condition=models.Q(paraprofessional_role="paraprofessional")
                | (models.Q(paraprofessional_role="teacher") & ~models.Q(status="active")),
                name="pairing_para_role_while_active",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
