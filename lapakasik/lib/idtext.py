"""Indonesian text formats: rupiah, counts in words, lists joined the way the press writes them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words


def format_thousands(number: int) -> str:
    """58286871540 → "58.286.871.540" (dot thousands, the id_ID convention)."""
    return format_decimal(number, locale="id_ID", group_separator=True)


def format_rupiah(amount: int) -> str:
    """58286871540 → "Rp58.286.871.540": no space, no decimals, as on the agency's letters."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_thousands(abs(amount))}"


# Whole rupiah as people type it: digits in groups of three split by one kind of separator (space, dot or
# comma), optionally "Rp"/"IDR" before and ",-" or zero sen (",00") after.
_RUPIAH_PREFIX = re.compile(r"^(rp|idr)\.?\s*", re.IGNORECASE)
_RUPIAH_SUFFIX = re.compile(r"([.,]-|[.,]00?)$")
_RUPIAH_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[ .,])\d{3}((?P=sep)\d{3})*$")


def parse_rupiah(text: str) -> int:
    """ "46 250 000", "46.250.000", "46,250,000", "Rp46.250.000", "Rp 46.250.000,-" → 46250000.

    Raises ``ValueError`` for anything else: sen other than zero ("46.250.000,50"), mixed separators
    ("46.250,000"), groups not of three ("4.62.500") or words. A lone ".00"/",00" after plain digits or
    consistent groups is zero sen, not a thousands group, because a thousands group has three digits.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()
    cleaned = _RUPIAH_PREFIX.sub("", cleaned).strip()
    body = _RUPIAH_SUFFIX.sub("", cleaned)
    if body.isdigit() or _RUPIAH_GROUPED.match(body):
        if body != cleaned and body[-4:-3] == cleaned[len(body)]:
            raise ValueError(f"not whole rupiah: {text!r}")  # "46.250.000.00": the separator is both
        return int(re.sub(r"\D", "", body))
    raise ValueError(f"not whole rupiah: {text!r}")


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


_HEADLINE_UNITS = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def format_rupiah_headline(amount: int) -> str:
    """96091106200 → "Rp96 miliar"; 1338587190 → "Rp1,3 miliar"; 1985343400 → "Rp2 miliar".

    The press rounds (half up) to a whole number of the largest unit from ten units up and keeps one
    decimal below ten ("Rp1,3 miliar"); amounts under a million are written out in full.
    """
    if amount < 0:
        return "-" + format_rupiah_headline(-amount)
    for index, (unit, word) in enumerate(_HEADLINE_UNITS):
        if amount < unit:
            continue
        value = Decimal(amount) / unit
        rounded = value.quantize(Decimal(1) if value >= 10 else Decimal("0.1"), rounding=ROUND_HALF_UP)
        if rounded >= 1000 and index > 0:
            return format_rupiah_headline(_HEADLINE_UNITS[index - 1][0])
        return f"Rp{format_decimal(rounded.normalize(), locale='id_ID')} {word}"
    return format_rupiah(amount)


def format_date_long(day: dt.date) -> str:
    """2020-07-23 → "23 Juli 2020", as letters and the press write dates."""
    return format_date(day, format="d MMMM y", locale="id_ID")


def _babel_locale(language: str) -> str:
    return "en_GB" if language.startswith("en") else "id_ID"


def format_day(day: dt.date, language: str = "id") -> str:
    """The one date format of the participant's pages: "Selasa, 1 Desember 2026" (babel's long form with the
    weekday, so nobody has to work out which day a date falls on)."""
    return format_date(day, format="EEEE, d MMMM y", locale=_babel_locale(language))


def format_clock(local: dt.datetime | dt.time, language: str = "id") -> str:
    """A wall-clock time as Indonesian spells it, "09.00" (English: "09:00")."""
    return f"{local:%H.%M}" if not language.startswith("en") else f"{local:%H:%M}"
