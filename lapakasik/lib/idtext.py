"""Indonesian text formats: rupiah, counts in words, lists joined the way the press writes them."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal
from num2words import num2words


def format_thousands(number: int) -> str:
    """58286871540 → "58.286.871.540" (dot thousands, the id_ID convention)."""
    return format_decimal(number, locale="id_ID", group_separator=True)


def format_rupiah(amount: int) -> str:
    """58286871540 → "Rp58.286.871.540": no space, no decimals, as on the agency's letters."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_thousands(abs(amount))}"


def count_in_words(count: int) -> str:
    """Newsroom style: one to nine in words ("tujuh"), larger numbers as digits ("9.767")."""
    if 1 <= count <= 9:
        return num2words(count, lang="id")
    return format_thousands(count)


def join_indonesian(items: Sequence[str]) -> str:
    """["a", "b", "c"] → "a, b, dan c" (a comma before "dan", as the press writes lists)."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]
