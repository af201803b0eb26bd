from django.db import migrations


def fill(apps, schema_editor):
    # Installs that already hold paid claims get their rollups once; later payments keep them current.
    from lapakasik.reporting.rollup import rebuild_rollups

    # The claims alone: payments' instalment columns come later (reporting 0004 counts them).
    rebuild_rollups(using=schema_editor.connection.alias, instalments=False)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_rollups"),
        ("claims", "0001_initial"),
        ("registry", "0003_branch_regional_office"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
