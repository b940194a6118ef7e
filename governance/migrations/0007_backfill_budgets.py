from django.db import migrations

# The statuses of use cases approved before budgets existed (approved now, under re-review, retired).
APPROVED_ONCE = ("approved", "under_review", "retired")


def backfill_budgets(apps, schema_editor):
    """Use cases approved before budgets existed get the default one: the approved estimate's high bound
    (the footprint kept at submission, which their approval was given on)."""
    UseCase = apps.get_model("governance", "UseCase")
    for use_case in UseCase.objects.filter(
        status__in=APPROVED_ONCE, footprint__isnull=False, budget_kgco2e_per_year__isnull=True
    ).only("pk", "footprint"):
        high = float(use_case.footprint["emissions_kgco2e"]["high"])
        if high > 0:
            UseCase.objects.filter(pk=use_case.pk).update(budget_kgco2e_per_year=high)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_usecase_budget"),
    ]

    operations = [
        # Backwards, 0006 removes the fields: nothing to undo here.
        migrations.RunPython(backfill_budgets, migrations.RunPython.noop, elidable=True),
    ]
