from django.db import migrations


def load_reference_data(apps, schema_editor):
    from estimator import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    """Published context windows of model families (reference_data.CONTEXT_WINDOW_FAMILIES)."""

    dependencies = [("estimator", "0005_image_campaigns")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
