import datetime as dt

from lapakasik.claims.queries import overdue_since
from lapakasik.lib.workdays import add_working_days, last_working_day, working_days_between

# 2026-12-25 (Friday) is Christmas; 2026-12-24 is cuti bersama in the holidays package's government list.
WEDNESDAY = dt.date(2026, 12, 2)
SATURDAY = dt.date(2026, 12, 5)


def test_counting_back_is_the_inverse_of_counting_forward():
    for start in (WEDNESDAY, dt.date(2026, 12, 28), dt.date(2027, 1, 4)):
        for count in (1, 3, 5, 10):
            assert add_working_days(add_working_days(start, -count), count) == start


def test_counting_back_skips_weekends():
    assert add_working_days(WEDNESDAY, -5) == dt.date(2026, 11, 25)
    assert add_working_days(dt.date(2026, 12, 7), -1) == dt.date(2026, 12, 4)  # Monday → Friday


def test_the_last_working_day_of_a_weekend_is_its_friday():
    assert last_working_day(SATURDAY) == dt.date(2026, 12, 4)
    assert last_working_day(WEDNESDAY) == WEDNESDAY


def test_overdue_means_more_working_days_than_the_promise_on_any_day_of_the_week():
    for today in (WEDNESDAY + dt.timedelta(days=n) for n in range(7)):
        cut = overdue_since(today, 5)
        for back in range(1, 20):
            submitted = today - dt.timedelta(days=back)
            assert (submitted < cut) == (working_days_between(submitted, today) > 5), (today, submitted)
