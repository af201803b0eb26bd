"""Insert many trusted rows at the database's speed: one writer for every bulk load that skips the ORM.

`insert(model, fields, rows)` writes tuples whose values are already what the columns store: on
PostgreSQL with `COPY … FROM STDIN` (psycopg's `cursor.copy`), elsewhere with one `executemany` INSERT,
inside the caller's transaction. It refuses a column list that leaves out a NOT NULL column, so a field
added to a model later cannot silently break an import. The collective import and the findings call it
through claims/bulk.py.

`insert_rows(model, rows)` is the same writer for rows given as mappings (the history import, the demo):
`bulk_create` builds a model instance and an SQL expression for every value (11,729 history claims cost
4 s of CPU in it, the rows themselves milliseconds); these rows are already validated, so it prepares each
column once — a value the rows give, a field default (a callable one per row), or the time now for
`auto_now` fields — and hands the tuples to `insert`. Save signals do not fire (as with bulk_create).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

# Fields whose database value is the Python value itself for the str/int/bool/None the callers pass, so a
# column of them needs no per-value preparation; every other field goes through get_db_prep_save.
_PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Write `rows` (tuples in `fields` order, values as the columns store them) into `model`'s table."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in column_names(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


def column_names(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    """The columns of `fields` (field names); ValueError for an unknown one or a NOT NULL one left out."""
    meta = model._meta
    by_name = {f.name: str(f.column) for f in meta.concrete_fields}
    unknown = [name for name in fields if name not in by_name]
    if unknown:
        raise ValueError(f"{meta.label}: no such columns: {', '.join(unknown)}")
    named = set(fields)
    missing = [
        f.name
        for f in meta.concrete_fields
        if not f.primary_key and not f.null and f.name not in named and not f.has_db_default()
    ]
    if missing:
        raise ValueError(f"{meta.label}: NOT NULL columns left out of a bulk insert: {', '.join(missing)}")
    return [by_name[name] for name in fields]


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    chunk: int = 2000,
) -> int:
    """Insert `rows` (field name or attname → value) into `model`'s table; returns the number inserted."""
    if not rows:
        return 0
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not _is_auto_pk(field)]
    names = [field.name for field in fields]
    with transaction.atomic(using=using):
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            # Column by column: one list comprehension per column, not a function call per value.
            columns = [_column(field, part, connection) for field in fields]
            insert(model, names, zip(*columns, strict=True), using=using)
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


def ids_by(
    model: type[models.Model],
    field_name: str,
    values: Iterable[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
    chunk: int = 2000,
) -> dict:
    """The primary keys of rows just inserted, by a unique field (neither COPY nor executemany returns them)."""
    values = sorted(set(values))
    found: dict = {}
    for start in range(0, len(values), chunk):
        found.update(
            model._default_manager.using(using)
            .filter(**{f"{field_name}__in": values[start : start + chunk]})
            .values_list(field_name, "pk")
        )
    return found
