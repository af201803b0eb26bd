"""Pure calendar rules: when a branch is open, when a day's booking window opens and closes.

No database: callers pass the branch's facts in, so the edges (a WITA branch, 23:30 the day before,
collective leave) are tested without fixtures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import holidays

from lapakasik.lib.dates import at_local


@lru_cache(maxsize=32)
def indonesian_holidays(year: int) -> dict[dt.date, str]:
    """Public holidays plus cuti bersama (collective leave: the package's "government" category)."""
    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government")))


def closed_reason(
    day: dt.date, opening: Mapping[int, tuple[dt.time, dt.time]], closures: Mapping[dt.date, str]
) -> str | None:
    """Why a branch is closed on `day`, or None when it is open."""
    if day in closures:
        return closures[day]
    holiday = indonesian_holidays(day.year).get(day)
    if holiday:
        return holiday
    if day.weekday() not in opening:
        return "weekday"
    return None


def window_opens_at(day: dt.date, *, days_ahead: int, opens_at: dt.time, time_zone: str) -> dt.datetime:
    """A day's sessions open for booking `days_ahead` days before, at the branch's local `opens_at`."""
    return at_local(day - dt.timedelta(days=days_ahead), opens_at, time_zone)


def window_closes_at(day: dt.date, starts_at: dt.datetime, *, channel: str, time_zone: str) -> dt.datetime:
    """Online: at the branch's midnight starting the day (documents are due by H-1).
    At the branch (offline): when the session starts; later arrivals are walk-ins."""
    if channel == "online":
        return at_local(day, dt.time(0, 0), time_zone)
    return starts_at


def is_bookable(
    now: dt.datetime, day: dt.date, starts_at: dt.datetime, *, channel: str, days_ahead: int, opens_at: dt.time,
    time_zone: str,
) -> bool:  # fmt: skip
    opens = window_opens_at(day, days_ahead=days_ahead, opens_at=opens_at, time_zone=time_zone)
    return opens <= now < window_closes_at(day, starts_at, channel=channel, time_zone=time_zone)


def change_deadline(starts_at: dt.datetime, min_notice_hours: int) -> dt.datetime:
    """The last instant a booking may still be moved or cancelled by the participant."""
    return starts_at - dt.timedelta(hours=min_notice_hours)
