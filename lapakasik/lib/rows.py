"""Model instances from plain SQL, for the few reads on a hot path (issue 19: the booking burst).

The ORM spends far more CPU building a SELECT than the database spends answering it (profiled: ~1 ms of
compiling per query against ~0.1 ms for the same statement sent as text). These helpers give a hot read the
same instance the ORM would — every concrete field, converted by the same converters, ``_state`` as loaded —
from a statement written once: ``columns(Model, "alias")`` is the select list (derived from the model, so a
new field is never forgotten), ``build(Model, row, start)`` the instance from a slice of a fetched row.
Filters stay in the caller's SQL, with parameters; use this only where a profile says the ORM is the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections, models

M = TypeVar("M", bound=models.Model)


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    """How many columns ``columns(model, …)`` selects."""
    return len(_fields(model))


@cache
def columns(model: type[models.Model], alias: str, using: str = "default") -> str:
    """``"alias"."col", …`` for every concrete field, in ``build``'s order."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(str(field.column))}" for field in _fields(model))


@cache
def _converters(model: type[models.Model], using: str) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    """Per column that needs one, the backend's and the field's converters (as the ORM's compiler applies)."""
    connection = connections[using]
    found = []
    for i, field in enumerate(_fields(model)):
        col = field.get_col(model._meta.db_table)
        chain = tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))
        if chain:
            found.append((i, chain, col))
    return tuple(found)


def build(model: type[M], row: Sequence[Any], start: int = 0, using: str = "default") -> M:
    """The instance whose columns begin at ``row[start]`` (as selected by ``columns``)."""
    values = list(row[start : start + width(model)])
    connection = connections[using]
    for i, chain, col in _converters(model, using):
        value = values[i]
        for convert in chain:
            value = convert(value, col, connection)
        values[i] = value
    return model.from_db(using, None, values)  # type: ignore[arg-type,return-value]  # None: every field, in order


def _insert_values(obj: models.Model, connection) -> tuple[list[str], list[Any]]:
    """Columns and prepared values of a new object, as the ORM's INSERT prepares them (defaults, auto_now)."""
    names, values = [], []
    for field in _fields(type(obj)):
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        names.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    return names, values


def insert_with_child(parent: models.Model, child: models.Model, link: str, using: str = "default") -> None:
    """INSERT ``parent`` and ``child`` (whose ``link`` foreign key points at the parent) in one statement on
    PostgreSQL — a data-modifying WITH — and give both their new primary keys. Saves no signals, as
    ``bulk_create`` does not; elsewhere, two ORM saves."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        parent.save(force_insert=True, using=using)
        setattr(child, link, parent)
        child.save(force_insert=True, using=using)
        return
    link_column = str(child._meta.get_field(link).column)  # type: ignore[union-attr]
    parent_table, child_table = str(parent._meta.db_table), str(child._meta.db_table)
    parent_pk, child_pk = str(parent._meta.pk.column), str(child._meta.pk.column)  # type: ignore[union-attr]
    parent_columns, parent_values = _insert_values(parent, connection)
    child_columns, child_values = [], []
    for column, value in zip(*_insert_values(child, connection), strict=True):
        if column != connection.ops.quote_name(link_column):
            child_columns.append(column)
            child_values.append(value)
    quote = connection.ops.quote_name
    sql = (
        f"WITH parent AS (INSERT INTO {quote(parent_table)} ({', '.join(parent_columns)}) "  # noqa: S608 (names from the models)
        f"VALUES ({', '.join(['%s'] * len(parent_values))}) RETURNING {quote(parent_pk)}) "
        f"INSERT INTO {quote(child_table)} ({', '.join(child_columns)}, {quote(link_column)}) "
        f"VALUES ({', '.join(['%s'] * len(child_values))}, (SELECT {quote(parent_pk)} FROM parent)) "
        f"RETURNING {quote(link_column)}, {quote(child_pk)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parent_values, *child_values])
        parent.pk, child.pk = cursor.fetchone()
    for obj in (parent, child):
        obj._state.adding, obj._state.db = False, using
    setattr(child, link, parent)
