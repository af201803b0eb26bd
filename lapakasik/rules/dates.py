"""Calendar arithmetic the regulations use (months, ages, birthdays), kept pure and tiny."""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later; a missing day (31 Jan + 1 month) becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= 28:  # every month has it: no calendar look-up (most calls, e.g. a schedule's due dates)
        return date(year, month, day.day)
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on ``on`` (a person born 29 Feb ages on 28 Feb in common years)."""
    years = on.year - birth_date.year
    if on < add_years(birth_date, years):
        years -= 1
    return years


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end != add_months(start, months):
        months -= 1
    return months


@lru_cache(maxsize=4096)
def parse_month(text: str) -> date:
    """``"2020-03"`` → 1 Mar 2020 (a wage or contribution month is represented by its first day)."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)
