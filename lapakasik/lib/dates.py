"""Dates and times at a branch: every branch lives in its own IANA time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def today_at(time_zone: str, *, now: dt.datetime | None = None) -> dt.date:
    """The calendar date at a branch right now (a WITA branch is an hour ahead of Jakarta)."""
    return (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()


def at_local(day: dt.date, time: dt.time, time_zone: str) -> dt.datetime:
    """The instant of a wall-clock time on a date at a branch (Indonesia has no DST: never ambiguous)."""
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(time_zone)).astimezone(dt.UTC)


def as_local(instant: dt.datetime, time_zone: str) -> dt.datetime:
    """An instant as the branch's clock shows it."""
    return instant.astimezone(ZoneInfo(time_zone))
