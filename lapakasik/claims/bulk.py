"""Plain multi-row writes for the claims' hot tables (the collective import, findings), without model instances.

Rows are written by lapakasik/lib/bulk.py's one writer, `insert(model, fields, rows)` (COPY on PostgreSQL,
executemany elsewhere, inside the caller's transaction; it refuses a column list that leaves out a NOT NULL
column). Its tuples hold values already as the column stores them: JSON as text from `as_json`, dates and
datetimes through `date_value` / `datetime_value`. `next_ids` draws ids to COPY rows with; `fill_null`
sets one column for many rows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, models

from lapakasik.lib.bulk import insert as insert  # the one writer, re-exported for the claims' callers


def as_json(value: Any) -> str:
    # What JSONField stores (json.dumps, no custom encoder): jsonb on PostgreSQL parses it back.
    return json.dumps(value)


def date_value(value: dt.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def datetime_value(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


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
