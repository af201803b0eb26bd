"""The model against a measured day: a demo day recorded through the booking actions, then simulated from
its own bookings and the service times measured from it, must give the day's measures back.

Tolerances (docs/capacity.md, "Validation"): over 40 replications, served people within 10%, the mean wait
within 3 minutes or 25% (whichever is larger: a day of ~50 people has a wide spread), people served per
officer-hour within 12%, the measured no-show rate within 0.1 of the recorded one.
"""

import datetime as dt

import pytest

from lapakasik.booking.queries import measures
from lapakasik.capacity import queries

from .recorded_day import BRIEFING_MINUTES, record_day

DAY = dt.date(2026, 11, 24)  # a Tuesday


@pytest.fixture
def recorded(db, madiun, cso):
    record_day(madiun, cso, DAY)
    (row,) = measures(madiun, DAY, DAY)
    return row


def test_the_recorded_day_is_measured_by_the_booking_app(recorded):
    assert recorded["bookings"] == 54 and recorded["sessions"] == 9
    assert 0 < recorded["no_show_rate"] < 30
    assert recorded["wait_minutes"] > 0 and recorded["per_hour_group"] > 0


def test_service_times_are_measured_from_the_branch_s_own_verdicts(recorded, madiun):
    measured = queries.measure(madiun, until=DAY)
    assert measured.sources["briefing one_to_many"].startswith("measured")
    assert measured.service.briefing["one_to_many"] == pytest.approx(BRIEFING_MINUTES, rel=0.35)
    assert measured.service.check_for("JKM/death") > measured.service.check_for("JHT/resign")
    assert measured.sources["no_show_rate"].startswith("measured")
    assert measured.behaviour.incomplete_rate > 0


def test_simulating_the_recorded_day_gives_its_measures_back(recorded, madiun):
    plan = queries.day_plan(madiun, DAY)
    measured = queries.measure(madiun, until=DAY)
    what_if = queries.WhatIf(officers=1, mode="one_to_many", group_size=6)
    report = queries.simulate(plan, measured, what_if, seed=2020, replications=40)
    served = round(recorded["bookings"] * (1 - recorded["no_show_rate"] / 100))
    assert report["served"] == pytest.approx(served, rel=0.10)
    tolerance = max(3.0, 0.25 * recorded["wait_minutes"])
    assert abs(report["wait_minutes"]["mean"] - recorded["wait_minutes"]) <= tolerance
    hours = 7  # Madiun's demo opening hours, 08:00–15:00
    recorded_rate = served / hours  # one officer
    assert report["served_per_officer_hour"] == pytest.approx(recorded_rate, rel=0.12)
    assert abs(report["inputs"]["no_show_rate"]["value"] * 100 - recorded["no_show_rate"]) < 10
