"""Indonesia's working days, one calendar for every rule that counts them: the service-level clock, the
queue's age, the payment batch date and the booking calendar.

A working day is Monday to Friday except public holidays and cuti bersama (collective leave, the holidays
package's "government" category): branches are closed and banks process no transfers on those days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def indonesian_holidays(year: int) -> dict[dt.date, str]:
    """Public holidays plus cuti bersama, with their names."""
    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government")))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in indonesian_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    return add_working_days(day, 1)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 on the same day)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_working_day(day)
    return days


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days after ``day`` (before it when ``count`` is negative;
    ``day`` itself when 0)."""
    step = dt.timedelta(days=1 if count > 0 else -1)
    while count != 0:
        day += step
        if is_working_day(day):
            count -= 1 if count > 0 else -1
    return day


def last_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day
