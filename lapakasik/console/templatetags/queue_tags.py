from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def query_with(f, key: str, value: str) -> str:
    """The queue's query string with one filter changed (and so back on page 1)."""
    from lapakasik.console.claims_views import _query

    return _query(f, **{key: value})


@register.simple_tag
def query_without(f, *keys: str) -> str:
    """The queue's query string with these filters taken off."""
    from lapakasik.console.claims_views import _query

    return _query(f, **dict.fromkeys(keys, ""))
