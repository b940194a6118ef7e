"""An index on usage dates: BRIN on PostgreSQL (as fast as a B-tree for date ranges at a fraction of the
size, rows arriving roughly in date order), a B-tree elsewhere."""

from django.db import migrations


def create(apps, schema_editor):
    method = "USING brin" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX usage_usagerecord_date_idx ON usage_usagerecord {method} (date)")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX usage_usagerecord_date_idx")


class Migration(migrations.Migration):
    dependencies = [("usage", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
