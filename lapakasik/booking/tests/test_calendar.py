"""The pure calendar rules: holidays, collective leave, booking windows across time zones."""

import datetime as dt

from lapakasik.booking import calendar

WEEKDAYS = {d: (dt.time(8), dt.time(15)) for d in range(5)}
UTC = dt.UTC


def test_a_branch_is_closed_on_independence_day_and_on_collective_leave():
    assert calendar.closed_reason(dt.date(2026, 8, 17), WEEKDAYS, {}) == "Independence Day"
    assert calendar.closed_reason(dt.date(2026, 12, 24), WEEKDAYS, {})  # cuti bersama Natal


def test_a_branch_is_closed_on_its_own_closures_and_on_days_without_opening_hours():
    assert (
        calendar.closed_reason(dt.date(2026, 11, 25), WEEKDAYS, {dt.date(2026, 11, 25): "banjir"}) == "banjir"
    )
    assert calendar.closed_reason(dt.date(2026, 11, 28), WEEKDAYS, {}) == "weekday"  # a Saturday
    assert calendar.closed_reason(dt.date(2026, 11, 26), WEEKDAYS, {}) is None


def test_the_window_opens_days_ahead_at_the_branch_local_time():
    opens = calendar.window_opens_at(
        dt.date(2026, 12, 7), days_ahead=7, opens_at=dt.time(8), time_zone="Asia/Makassar"
    )
    assert opens == dt.datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 08:00 WITA


def test_online_booking_at_2330_the_day_before_is_still_open_in_jakarta_but_closed_in_makassar():
    now = dt.datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 23:30 WIB = 00:30 WITA on 1 December
    day = dt.date(2026, 12, 1)
    starts = dt.datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    rules = {"channel": "online", "days_ahead": 7, "opens_at": dt.time(8)}
    assert calendar.is_bookable(now, day, starts, time_zone="Asia/Jakarta", **rules)
    assert not calendar.is_bookable(now, day, starts, time_zone="Asia/Makassar", **rules)


def test_an_offline_session_can_be_booked_until_it_starts():
    day = dt.date(2026, 12, 1)
    starts = dt.datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    rules = {"channel": "offline", "days_ahead": 7, "opens_at": dt.time(8), "time_zone": "Asia/Jakarta"}
    assert calendar.is_bookable(starts - dt.timedelta(minutes=1), day, starts, **rules)
    assert not calendar.is_bookable(starts, day, starts, **rules)


def test_a_day_is_not_bookable_before_its_window_opens():
    day = dt.date(2026, 12, 8)
    starts = dt.datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
    rules = {"channel": "offline", "days_ahead": 7, "opens_at": dt.time(8), "time_zone": "Asia/Jakarta"}
    assert not calendar.is_bookable(dt.datetime(2026, 12, 1, 0, 59, tzinfo=UTC), day, starts, **rules)
    assert calendar.is_bookable(dt.datetime(2026, 12, 1, 1, 0, tzinfo=UTC), day, starts, **rules)
