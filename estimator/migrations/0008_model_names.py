from django.db import migrations


def load_reference_data(apps, schema_editor):
    from estimator import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    """Reference data again: five open-weight models are named as their publishers name them ("Llama 4
    Scout 17B-16E", "Qwen3 32B", "Qwen3 30B-A3B"…), no longer with an English description of their
    architecture in every language ("(17B active, 16 experts)", "(dense)", "(mixture of
    experts)"): the catalogue gives the active and total parameters in their own columns.
    reference_data.load updates rows in place."""

    dependencies = [("estimator", "0007_reference_point_wording")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
