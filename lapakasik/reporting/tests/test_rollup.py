"""The rollups always say what a direct aggregate over the claims table says."""

import datetime as dt

from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapakasik.claims.models import Claim
from lapakasik.registry.models import Participant
from lapakasik.reporting.models import PaidCell, PaidDaily, PaidOffice
from lapakasik.reporting.queries import (
    claims_paid_report,
    claims_paid_report_direct,
    national_report,
    national_report_direct,
    split_period,
)
from lapakasik.reporting.rollup import rebuild_rollups, record_paid, wait_band

DAYS = st.dates(dt.date(2020, 1, 1), dt.date(2021, 3, 31))
PAYMENT = st.fixed_dictionaries(
    {
        "program_reason": st.sampled_from(
            [
                ("JHT", "phk"),
                ("JHT", "resign"),
                ("JKM", "death"),
                ("JKK", "accident"),
                ("JP", "old_age_lump_sum"),
            ]
        ),
        "channel": st.sampled_from(["online", "offline", "collective"]),
        "area": st.integers(0, 3),
        "paid_on": DAYS,
        "wait": st.one_of(st.none(), st.integers(0, 90)),
        "amount": st.integers(0, 200_000_000),
    }
)


def pay(madiun, payments):
    areas = list(madiun.areas.order_by("position"))
    participant = Participant.objects.first()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                program=p["program_reason"][0],
                reason=p["program_reason"][1],
                channel=p["channel"],
                status="paid",
                participant=participant,
                branch=madiun,
                area=areas[p["area"]],
                paid_on=p["paid_on"],
                amount_paid=p["amount"],
                submitted_on=None if p["wait"] is None else p["paid_on"] - dt.timedelta(days=p["wait"]),
            )
            for p in payments
        ]
    )
    record_paid(claims)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payments=st.lists(PAYMENT, min_size=1, max_size=30), period=st.lists(DAYS, min_size=2, max_size=2))
def test_reports_from_the_rollup_equal_the_direct_aggregate_after_random_payments(madiun, payments, period):
    pay(madiun, payments)
    start, end = sorted(period)
    assert claims_paid_report(madiun, start, end) == claims_paid_report_direct(madiun, start, end)
    assert national_report(start, end) == national_report_direct(start, end)


def test_every_dimension_of_the_daily_rollup_matches_the_claims(madiun):
    pay(
        madiun,
        [
            {
                "program_reason": ("JHT", "phk"),
                "channel": "collective",
                "area": 3,
                "paid_on": dt.date(2021, 2, 1),
                "wait": 12,
                "amount": 5_000_000,
            }
        ],
    )
    direct = {
        (r["channel"], r["reason"]): (r["n"], r["rp"])
        for r in Claim.objects.filter(status="paid")
        .values("channel", "reason")
        .annotate(n=Count("id"), rp=Sum("amount_paid"))
        .order_by()
    }
    rolled = {
        (r["channel"], r["reason"]): (r["n"], r["rp"])
        for r in PaidDaily.objects.values("channel", "reason")
        .annotate(n=Sum("cases"), rp=Sum("amount"))
        .order_by()
    }
    assert rolled == direct


def test_rebuilding_from_the_claims_gives_the_same_rollups(madiun):
    pay(
        madiun,
        [
            {
                "program_reason": ("JKM", "death"),
                "channel": "online",
                "area": 1,
                "paid_on": dt.date(2020, 12, 31),
                "wait": None,
                "amount": 42_000_000,
            }
        ],
    )

    def snapshot():
        return (
            sorted(
                PaidDaily.objects.values_list(
                    "branch",
                    "paid_on",
                    "area",
                    "program",
                    "channel",
                    "reason",
                    "cases",
                    "amount",
                    "wait_cases",
                    "wait_days",
                    "wait_0_5",
                    "wait_31_up",
                )
            ),
            sorted(
                PaidCell.objects.values_list(
                    "branch", "grain", "period_start", "area", "program", "cases", "amount"
                )
            ),
            sorted(
                PaidOffice.objects.values_list(
                    "grain", "period_start", "regional_office", "program", "cases", "amount"
                )
            ),
        )

    incremental = snapshot()
    rebuild_rollups()
    assert snapshot() == incremental


def test_a_period_splits_into_whole_months_and_edge_days():
    months, days = split_period(dt.date(2020, 1, 1), dt.date(2020, 7, 23))
    assert months == [dt.date(2020, m, 1) for m in range(1, 7)]
    assert days == [(dt.date(2020, 7, 1), dt.date(2020, 7, 23))]
    months, days = split_period(dt.date(2020, 1, 15), dt.date(2020, 3, 31))
    assert months == [dt.date(2020, 2, 1), dt.date(2020, 3, 1)]
    assert days == [(dt.date(2020, 1, 15), dt.date(2020, 1, 31))]
    assert split_period(dt.date(2020, 2, 3), dt.date(2020, 2, 10)) == (
        [],
        [(dt.date(2020, 2, 3), dt.date(2020, 2, 10))],
    )


def test_waiting_time_falls_in_the_five_day_band_up_to_five_days():
    assert [wait_band(d) for d in (0, 5, 6, 30, 31, 400)] == [
        "wait_0_5",
        "wait_0_5",
        "wait_6_10",
        "wait_21_30",
        "wait_31_up",
        "wait_31_up",
    ]
