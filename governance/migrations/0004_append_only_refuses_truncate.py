"""The audit table refuses TRUNCATE too (PostgreSQL), not only UPDATE and DELETE.

A statement-level trigger with the same function: `TRUNCATE governance_usecaseevent` and a
`TRUNCATE governance_usecase CASCADE` that would reach it both fail.
"""

from django.db import migrations

NO_TRUNCATE = """
CREATE TRIGGER governance_usecaseevent_no_truncate
    BEFORE TRUNCATE ON governance_usecaseevent
    FOR EACH STATEMENT EXECUTE FUNCTION governance_usecaseevent_append_only();
"""
DROP_NO_TRUNCATE = "DROP TRIGGER IF EXISTS governance_usecaseevent_no_truncate ON governance_usecaseevent;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_event_changes")]

    operations = [migrations.RunPython(on_postgresql(NO_TRUNCATE), on_postgresql(DROP_NO_TRUNCATE))]
