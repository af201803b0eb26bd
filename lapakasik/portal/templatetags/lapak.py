"""Template filters for Indonesian formats (the formatting itself lives in lib/idtext.py)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapakasik.lib.idtext import format_day, format_rupiah, format_thousands

register = template.Library()


def _english() -> bool:
    return (get_language() or "id").startswith("en")


@register.filter
def rupiah(amount: int | None) -> str:
    text = format_rupiah(amount or 0)
    return text.replace(".", ",") if _english() else text


@register.filter
def thousands(number: int | None) -> str:
    text = format_thousands(number or 0)
    return text.replace(".", ",") if _english() else text


@register.filter
def rupiah_or_nil(amount: int | None) -> str:
    """The press and the branch write an empty cell as "nihil"."""
    return rupiah(amount) if amount else _("nihil")


@register.filter
def long_date(day) -> str:
    """The one date format of the participant's pages: "Selasa, 1 Desember 2026"."""
    return format_day(day, get_language() or "id") if day else ""
