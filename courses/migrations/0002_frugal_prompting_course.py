from django.db import migrations


def load_course(apps, schema_editor):
    from courses import content

    content.load(apps)


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    # Reversing drops nothing by itself: 0001's reversal drops the tables.
    operations = [migrations.RunPython(load_course, migrations.RunPython.noop)]
