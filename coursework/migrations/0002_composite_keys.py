"""Rules PostgreSQL keeps beyond what Django declares.

- A module completion's module belongs to the offering of its enrollment: composite
  foreign keys onto enrollment (id, offering_id) and module (id, offering_id).
- A block's eligible course row names the block's own plan, so the unique (plan, course)
  keeps a course to one block per plan: composite key onto block (id, plan_id).
- Enrollments and transfer credit are for paraprofessionals: a trigger checks the role.

SQLite, the demo database, relies on the forms and services instead.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE coursework_modulecompletion ADD CONSTRAINT completion_enrollment_offering
    FOREIGN KEY (enrollment_id, offering_id)
    REFERENCES coursework_enrollment (id, offering_id)
    ON DELETE CASCADE;
ALTER TABLE coursework_modulecompletion ADD CONSTRAINT completion_module_offering
    FOREIGN KEY (module_id, offering_id)
    REFERENCES coursework_module (id, offering_id)
    ON DELETE CASCADE;
ALTER TABLE coursework_blockcourse ADD CONSTRAINT blockcourse_block_plan
    FOREIGN KEY (block_id, plan_id)
    REFERENCES coursework_requirementblock (id, plan_id)
    ON DELETE CASCADE;

CREATE FUNCTION coursework_para_only() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pilot_staff WHERE id = NEW.para_id AND role = 'paraprofessional'
    ) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'only paraprofessionals take courses (staff ' || NEW.para_id || ')',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enrollment_para_only BEFORE INSERT OR UPDATE OF para_id
    ON coursework_enrollment FOR EACH ROW EXECUTE FUNCTION coursework_para_only();
CREATE TRIGGER transfercredit_para_only BEFORE INSERT OR UPDATE OF para_id
    ON coursework_transfercredit FOR EACH ROW EXECUTE FUNCTION coursework_para_only();
"""
BACKWARD = """
DROP TRIGGER transfercredit_para_only ON coursework_transfercredit;
DROP TRIGGER enrollment_para_only ON coursework_enrollment;
DROP FUNCTION coursework_para_only();
ALTER TABLE coursework_blockcourse DROP CONSTRAINT blockcourse_block_plan;
ALTER TABLE coursework_modulecompletion DROP CONSTRAINT completion_module_offering;
ALTER TABLE coursework_modulecompletion DROP CONSTRAINT completion_enrollment_offering;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("coursework", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
