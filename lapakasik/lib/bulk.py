"""Insert many trusted rows at the database's speed: the history import's and the demo's bulk loads.

`bulk_create` builds a model instance and an SQL expression for every value (11,729 history claims cost
4 s of CPU in it, the rows themselves milliseconds); these rows are already validated, so `insert_rows`
prepares each column once — a value the rows give, a field default (a callable one per row), or the time
now for `auto_now` fields — and sends one `executemany`. Save signals do not fire (as with bulk_create).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, transaction

# Fields whose database value is the Python value itself for the str/int/bool/None the callers pass, so a
# column of them needs no per-value preparation; every other field goes through get_db_prep_save.
_PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def insert_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, using: str = "default", chunk: int = 2000
) -> int:
    """Insert `rows` (field name or attname → value) into `model`'s table; returns the number inserted."""
    if not rows:
        return 0
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not _is_auto_pk(field)]
    # Table and column names come from the model, quoted; the values travel as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            # Column by column: one list comprehension per column, not a function call per value.
            columns = [_column(field, part, connection) for field in fields]
            cursor.executemany(sql, list(zip(*columns, strict=True)))
    return len(rows)


def _is_auto_pk(field: models.Field) -> bool:
    return field.primary_key and isinstance(field, models.AutoField)


def _column(field: models.Field, rows: Sequence[Mapping[str, Any]], connection) -> list:
    """One column's database values for `rows`: given by the rows, or the field's default."""
    key = next((name for name in (field.attname, field.name) if name in rows[0]), None)
    if key is not None:
        stored = field.target_field if isinstance(field, models.ForeignKey) else field
        if isinstance(stored, _PASS_THROUGH):
            return [row[key] for row in rows]
        return [field.get_db_prep_save(row[key], connection) for row in rows]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return [field.get_db_prep_save(field.pre_save(field.model(), True), connection)] * len(rows)
    if field.has_default() and callable(field.default):
        return [field.get_db_prep_save(field.get_default(), connection) for _row in rows]
    return [field.get_db_prep_save(field.get_default(), connection)] * len(rows)


def ids_by(model: type[models.Model], field_name: str, values: Iterable[Any], *, chunk: int = 2000) -> dict:
    """The primary keys of rows just inserted, by a unique field (executemany returns none)."""
    values = sorted(set(values))
    found: dict = {}
    for start in range(0, len(values), chunk):
        found.update(
            model._default_manager.filter(**{f"{field_name}__in": values[start : start + chunk]}).values_list(
                field_name, "pk"
            )
        )
    return found
