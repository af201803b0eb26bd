"""A trigram index on the heir's name for the console's claim search (claims.queries.search_condition finds a
claim by the name of the heir who claims it, as it does by the participant's; see 0005 for the participant's
index and why it is PostgreSQL only)."""

from django.db import migrations

TRIGRAM_INDEX = "heir_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_heir "
        "USING gin (UPPER(full_name::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_employment_reported_wage"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
