from django.db import migrations


def load_reference_data(apps, schema_editor):
    from estimator import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("estimator", "0001_initial")]

    # Reversing drops nothing by itself: 0001's reversal drops the tables.
    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
