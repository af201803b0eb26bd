"""Show the rules' own bilingual texts (``message_id``/``message_en``, ``label_id``/``label_en``)
in the page's language: they come from the pure rules package, not from gettext."""

from __future__ import annotations

from typing import Any

from django import template

from lapakasik.portal.forms_estimate import LEVELS, english

register = template.Library()


@register.filter
def in_language(obj: Any, stem: str) -> str:
    """``{{ reason|in_language:"message" }}`` → ``reason.message_en`` in English, else ``message_id``."""
    suffix = "en" if english() else "id"
    value = obj.get(f"{stem}_{suffix}") if isinstance(obj, dict) else getattr(obj, f"{stem}_{suffix}")
    return str(value)


@register.filter
def level_label(code: str) -> str:
    return str(dict(LEVELS).get(code, code))
