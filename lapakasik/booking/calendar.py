"""Pure calendar rules: when a branch is open, when a day's booking window opens and closes.

No database: callers pass the branch's facts in, so the edges (a WITA branch, 23:30 the day before,
collective leave) are tested without fixtures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from lapakasik.lib.dates import at_local
from lapakasik.lib.workdays import indonesian_holidays


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


def lottery_window(
    day: dt.date, *, days_ahead: int, opens_at: dt.time, time_zone: str, minutes: int
) -> tuple[dt.datetime, dt.datetime] | None:
    """The first `minutes` after a day's quota opens, when requests are collected for the draw instead of
    being served in the order they arrive (a burst at 08:00:00 is a race of connections, not of need)."""
    if minutes <= 0:
        return None
    opens = window_opens_at(day, days_ahead=days_ahead, opens_at=opens_at, time_zone=time_zone)
    return opens, opens + dt.timedelta(minutes=minutes)


def window_closes_at(day: dt.date, starts_at: dt.datetime, *, channel: str, time_zone: str) -> dt.datetime:
    """Online: at the branch's midnight starting the day (documents are due by H-1).
    At the branch (offline): when the session starts; later arrivals are walk-ins."""
    if channel == "online":
        return at_local(day, dt.time(0, 0), time_zone)
    return starts_at


def is_bookable(
    now: dt.datetime,
    day: dt.date,
    starts_at: dt.datetime,
    *,
    channel: str,
    days_ahead: int,
    opens_at: dt.time,
    time_zone: str,
) -> bool:
    opens = window_opens_at(day, days_ahead=days_ahead, opens_at=opens_at, time_zone=time_zone)
    return opens <= now < window_closes_at(day, starts_at, channel=channel, time_zone=time_zone)


def change_deadline(starts_at: dt.datetime, min_notice_hours: int) -> dt.datetime:
    """The last instant a booking may still be moved or cancelled by the participant."""
    return starts_at - dt.timedelta(hours=min_notice_hours)


# The service's two shapes (DOMAIN.md): one officer with one person, or one officer with a group of 4–6.
ONE_TO_ONE_SEATS = 1
GROUP_SEATS = range(4, 7)


def seats_allowed(seats: int) -> bool:
    return seats == ONE_TO_ONE_SEATS or seats in GROUP_SEATS


def slot_problem(
    weekday: int, start: dt.time, minutes: int, opening: Mapping[int, tuple[dt.time, dt.time]]
) -> str | None:
    """Why a weekly slot cannot be served: "closed_day" (the branch does not open that weekday) or
    "outside_hours" (it starts before opening or ends after closing, or runs past midnight); None if it fits."""
    if weekday not in opening:
        return "closed_day"
    opens, closes = opening[weekday]
    end = dt.datetime.combine(dt.date(2000, 1, 3), start) + dt.timedelta(minutes=minutes)
    if start < opens or end.date() != dt.date(2000, 1, 3) or end.time() > closes:
        return "outside_hours"
    return None
