"""Plain multi-row writes for the claims' hot tables (the collective import, findings), without model instances.

`insert(model, fields, rows)` writes tuples whose values are already what the column stores (JSON as
text from `as_json`, dates and datetimes through `date_value` / `datetime_value`): on PostgreSQL
with `COPY … FROM STDIN` (psycopg's `cursor.copy`), elsewhere with one `executemany` INSERT. Both run
inside the caller's transaction, so a chunk stays all or nothing. It refuses a column list that
leaves out a NOT NULL column, so a field added to a model later cannot silently break the import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def as_json(value: Any) -> str:
    # What JSONField stores (json.dumps, no custom encoder): jsonb on PostgreSQL parses it back.
    return json.dumps(value)


def date_value(value: dt.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def datetime_value(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
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


def _field_of(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field


def next_ids(model: type[models.Model], n: int) -> list[int] | None:
    """On PostgreSQL, n ids drawn from the table's sequence (to COPY rows with their ids); else None."""
    if connection.vendor != "postgresql" or n == 0:
        return None
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, n],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    columns = _columns(model, fields)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


def fill_null(model: type[models.Model], field: str, values: dict[int, Any]) -> None:
    """Set ``field`` by primary key where it is still NULL (a value someone set meanwhile stays).

    PostgreSQL: one UPDATE joined to the values as two arrays (cast to the columns' own types);
    elsewhere one executemany UPDATE. Django's ``Case(When(pk=…))`` for thousands of rows spent
    seconds building the SQL alone.
    """
    if not values:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    target, key = _field_of(model, field), _field_of(model, "pk")
    column, pk = quote(str(target.column)), quote(str(key.column))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            value_type, key_type = target.db_type(connection), key.db_type(connection)
            cursor.execute(
                f"UPDATE {table} SET {column} = v.value "  # noqa: S608
                f"FROM unnest(%s::{key_type}[], %s::{value_type}[]) AS v(id, value) "
                f"WHERE {table}.{pk} = v.id AND {table}.{column} IS NULL",
                [list(values), list(values.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} IS NULL",  # noqa: S608
                [(value, key) for key, value in values.items()],
            )
