"""Indexes for the console's claim search (claims.queries.search_condition).

On PostgreSQL a trigram index on the upper-cased name serves ``full_name__icontains`` (Django writes
``UPPER("full_name"::text) LIKE UPPER(%s)``), so a name search reads the index instead of every
participant. It needs the pg_trgm extension (trusted since PostgreSQL 13: a database owner may create it).
SQLite has no such index; it scans, which is what SQLite is for.
"""

from django.db import migrations, models

TRIGRAM_INDEX = "participant_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_participant "
        "USING gin (UPPER(full_name::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_end_reason_vocabulary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="heir",
            index=models.Index(fields=["nik"], name="heir_nik_idx"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
