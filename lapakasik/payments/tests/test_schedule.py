import datetime as dt
from zoneinfo import ZoneInfo

from lapakasik.payments.schedule import batch_date, is_working_day

WIB = ZoneInfo("Asia/Jakarta")


def test_a_payment_before_the_cut_off_goes_into_today_s_batch():
    assert batch_date("Asia/Jakarta", now=dt.datetime(2026, 11, 25, 13, 59, tzinfo=WIB)) == dt.date(
        2026, 11, 25
    )


def test_a_payment_after_the_cut_off_goes_into_the_next_working_day_s_batch():
    assert batch_date("Asia/Jakarta", now=dt.datetime(2026, 11, 25, 14, 0, tzinfo=WIB)) == dt.date(
        2026, 11, 26
    )
    assert batch_date("Asia/Jakarta", now=dt.datetime(2026, 11, 27, 15, 0, tzinfo=WIB)) == dt.date(
        2026, 11, 30
    )


def test_the_cut_off_is_read_in_the_branch_s_time_zone():
    # 13:30 in Jakarta is 14:30 in Makassar: past the cut-off there.
    now = dt.datetime(2026, 11, 25, 13, 30, tzinfo=WIB)
    assert batch_date("Asia/Jakarta", now=now) == dt.date(2026, 11, 25)
    assert batch_date("Asia/Makassar", now=now) == dt.date(2026, 11, 26)


def test_cuti_bersama_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 12, 24))  # Christmas collective leave
    eve = dt.datetime(2026, 12, 23, 15, 0, tzinfo=WIB)
    assert batch_date("Asia/Jakarta", now=eve) == dt.date(2026, 12, 28)


def test_the_cut_off_is_a_setting(settings):
    settings.PAYMENT_CUTOFF = "16:00"
    assert batch_date("Asia/Jakarta", now=dt.datetime(2026, 11, 25, 15, 0, tzinfo=WIB)) == dt.date(
        2026, 11, 25
    )
