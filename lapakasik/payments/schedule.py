"""Which day's batch a payment goes into: the cut-off in the branch's time zone and working days."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def cutoff() -> dt.time:
    raw = settings.PAYMENT_CUTOFF
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"PAYMENT_CUTOFF must be HH:MM, not {raw!r}")


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    # "government" adds cuti bersama (collective leave): banks do not process transfers on those days.
    return holidays.country_holidays("ID", years=year, categories=("public", "government"))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def batch_date(time_zone: str, *, now: dt.datetime | None = None) -> dt.date:
    """Today at the branch if before the cut-off on a working day, else the next working day."""
    local = (now or timezone.now()).astimezone(ZoneInfo(time_zone))
    if is_working_day(local.date()) and local.time() < cutoff():
        return local.date()
    return next_working_day(local.date())
