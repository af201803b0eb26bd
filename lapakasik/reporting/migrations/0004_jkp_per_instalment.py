from django.db import migrations


def refill(apps, schema_editor):
    # JKP was counted once, when its last month was paid; it is now counted per monthly payment.
    from lapakasik.reporting.rollup import rebuild_rollups

    rebuild_rollups(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_program_jkp"),
        ("payments", "0004_payment_instalments"),
        ("claims", "0009_jkp_officer_wage"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
