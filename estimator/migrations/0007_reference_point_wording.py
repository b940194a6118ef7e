from django.db import migrations


def load_reference_data(apps, schema_editor):
    from estimator import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    """Reference data again: a reference point's French boundary says 'méthode fondée sur le marché' (was
    'market-based'); reference_data.load updates rows in place, so existing databases get the new wording."""

    dependencies = [("estimator", "0006_family_context_windows")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
