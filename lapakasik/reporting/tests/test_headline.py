"""Headline figures: the periods they are compared with, the median, the default period, the words of a change."""

import datetime as dt

import pytest
from django.utils import translation

from lapakasik.claims.models import Claim
from lapakasik.reporting import exports
from lapakasik.reporting.dashboard import Filters
from lapakasik.reporting.headline import (
    Period,
    branch_figures,
    branch_headline,
    default_period,
    median_of,
    previous_period,
    same_period_last_year,
)


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert previous_period(Period(dt.date(2020, 4, 1), dt.date(2020, 4, 30))) == Period(
        dt.date(2020, 3, 2), dt.date(2020, 3, 31)
    )
    assert previous_period(Period(dt.date(2020, 1, 1), dt.date(2020, 1, 1))) == Period(
        dt.date(2019, 12, 31), dt.date(2019, 12, 31)
    )


def test_the_same_period_last_year_moves_29_february_to_the_28th():
    assert same_period_last_year(Period(dt.date(2020, 2, 29), dt.date(2020, 7, 23))) == Period(
        dt.date(2019, 2, 28), dt.date(2019, 7, 23)
    )


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ({}, None),
        ({5: 1}, 5),
        ({1: 1, 3: 1}, 2),
        ({1: 2, 9: 1}, 1),
        ({2: 1, 4: 2, 10: 1}, 4),
        ({0: 3, 7: 3}, 3.5),
    ],
)
def test_the_median_of_a_histogram(histogram, median):
    assert median_of(histogram) == median


def test_the_default_period_is_this_year_unless_nothing_was_paid_in_it():
    today = dt.date(2026, 12, 3)
    assert default_period(today, dt.date(2026, 11, 30)) == (Period(dt.date(2026, 1, 1), today), False)
    assert default_period(today, None) == (Period(dt.date(2026, 1, 1), today), False)
    assert default_period(today, dt.date(2020, 7, 23)) == (
        Period(dt.date(2020, 1, 1), dt.date(2020, 7, 23)),
        True,
    )


def test_the_figures_agree_with_the_claims_table(madiun):
    filters = Filters(dt.date(2020, 4, 1), dt.date(2020, 4, 30), program="JHT")
    paid = Claim.objects.filter(
        branch=madiun, status="paid", program="JHT", paid_on__range=(filters.date_from, filters.date_to)
    )
    waits = sorted((c.paid_on - c.submitted_on).days for c in paid if c.submitted_on)
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    figures = branch_figures(madiun, filters)
    assert figures.cases == paid.count() > 0
    assert figures.amount == sum(c.amount_paid for c in paid)
    assert figures.median_days == median
    assert figures.online_share == round(100 * paid.filter(channel="online").count() / paid.count(), 1)


def test_the_headline_compares_with_the_period_before_and_the_year_before(madiun):
    figures = branch_headline(madiun, Filters(dt.date(2020, 4, 1), dt.date(2020, 4, 30)))
    march = Claim.objects.filter(
        branch=madiun, status="paid", paid_on__range=(dt.date(2020, 3, 2), dt.date(2020, 3, 31))
    )
    assert figures["previous"].cases == march.count() > 0
    assert figures["last_year"].cases == 0 and figures["last_year"].median_days is None


@pytest.mark.parametrize(
    ("kind", "value", "before", "words"),
    [
        (exports.COUNT, 150, 100, ("▲", "naik 50,0%")),
        (exports.MONEY, 75, 100, ("▼", "turun 25,0%")),
        (exports.COUNT, 100, 100, ("=", "tetap")),
        (exports.COUNT, 5, 0, ("▲", "naik dari nihil")),
        (exports.DAYS, 6.0, 7.5, ("▼", "turun 1,5 hari")),
        (exports.PERCENT, 44.5, 40.0, ("▲", "naik 4,5 poin persen")),
        (exports.DAYS, 6.0, None, ("", "tidak ada pembanding")),
    ],
)
def test_a_change_is_said_in_words_beside_its_arrow(kind, value, before, words):
    with translation.override("id"):
        assert exports.change(kind, value, before) == words


def test_the_words_of_a_change_are_translated():
    with translation.override("en"):
        assert exports.change(exports.COUNT, 150, 100) == ("▲", "up 50.0%")
