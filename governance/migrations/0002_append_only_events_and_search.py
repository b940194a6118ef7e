"""The audit table refuses UPDATE and DELETE in the database itself (PostgreSQL), trigram search for
similar titles (PostgreSQL), and the matrix's default thresholds."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION governance_usecaseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'governance_usecaseevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER governance_usecaseevent_append_only
    BEFORE UPDATE OR DELETE ON governance_usecaseevent
    FOR EACH ROW EXECUTE FUNCTION governance_usecaseevent_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS governance_usecaseevent_append_only ON governance_usecaseevent;
DROP FUNCTION IF EXISTS governance_usecaseevent_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def default_thresholds(apps, schema_editor):
    apps.get_model("governance", "MatrixThresholds").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.RunPython(on_postgresql(APPEND_ONLY), on_postgresql(DROP_APPEND_ONLY)),
        TrigramExtension(),
        migrations.RunPython(default_thresholds, migrations.RunPython.noop),
    ]
