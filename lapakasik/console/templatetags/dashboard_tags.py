"""Small filters for the dashboard tables (formats themselves live in lib/idtext.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell_kind(columns: list[tuple[str, str]], index: int) -> str:
    return columns[index][1]


@register.filter
def decimal1(value: float) -> str:
    return number_format(value, decimal_pos=1)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def row_link(table: Any, index: int) -> str:
    """The claims list behind a row's numbers (reporting.exports.Table.links), or ""."""
    return table.link(index)
