from django.db import migrations


def load_regions(apps, schema_editor):
    from lapakasik.registry.regions import ensure_regions

    ensure_regions(apps.get_model("registry", "Region"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
