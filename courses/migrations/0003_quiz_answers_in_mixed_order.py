"""The course content again (courses.content): each quiz's right answer no longer comes first (nor is it
the longest), and the image lesson and its question say what the measurements say (a quarter of the
pixels takes 1.3 to 4.7 times less energy, not a quarter of it).

Like 0002 it loads the content shipped in code: modules and tasks updated in place, each module's
questions and answers recreated (quiz results refer to modules, so learners keep them). Edits made to the
course in the administration since are replaced by the content in code.
"""

from django.db import migrations


def reload_course(apps, schema_editor):
    from courses import content

    content.load(apps)


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_frugal_prompting_course")]

    operations = [migrations.RunPython(reload_course, migrations.RunPython.noop)]
