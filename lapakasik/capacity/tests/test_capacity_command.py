"""`python -m lapakasik capacity simulate`: the JSON a planner reads, the table, and refused input (exit 2)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapakasik.booking import actions
from lapakasik.booking.tests.conftest import make_claimant, make_session

DAY = dt.date(2026, 12, 8)  # a Tuesday


@pytest.fixture
def booked_day(db, madiun):
    for hour in (9, 10, 11):
        session = make_session(day=DAY, at=dt.time(hour), seats=5, minutes=45)
        for _ in range(5):
            claim = make_claimant()
            actions.book_seat(
                session, claim, by=claim.claimant, now=dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC)
            )
    return madiun


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("capacity", "simulate", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_simulated_day_as_json(booked_day):
    report = json.loads(
        simulate(
            "--branch",
            "madiun",
            "--date",
            str(DAY),
            "--officers",
            "1",
            "--mode",
            "one_to_many",
            "--group-size",
            "5",
            "--seed",
            "7",
            "--format",
            "json",
        )
    )
    assert report["booked"] == 15
    assert report["arrivals"] == 15 - report["no_shows"]
    assert report["served"] + report["unserved_at_closing"] == report["arrivals"]
    assert set(report["wait_minutes"]) == {"mean", "p90"}
    assert 0 < report["officer_utilisation"] <= 1
    assert report["served_per_officer_hour"] == pytest.approx(report["served"] / 7, abs=0.01)
    assert report["inputs"]["no_show_rate"]["source"] == "default"  # no history at this branch yet
    again = simulate(
        "--branch",
        "madiun",
        "--date",
        str(DAY),
        "--officers",
        "1",
        "--mode",
        "one_to_many",
        "--group-size",
        "5",
        "--seed",
        "7",
    )
    assert json.loads(again) == report


def test_replications_and_a_what_if_rate_change_the_day(booked_day):
    report = json.loads(
        simulate(
            "--branch",
            "madiun",
            "--date",
            str(DAY),
            "--officers",
            "2",
            "--mode",
            "one_to_one",
            "--seed",
            "3",
            "--replications",
            "8",
            "--arrivals-per-hour",
            "12",
        )
    )
    assert report["replications"] == 8 and report["booked"] == 0
    assert report["arrivals"] == pytest.approx(12 * 7, rel=0.15)
    low, high = report["ci95"]["wait_minutes_mean"]
    assert low <= report["wait_minutes"]["mean"] <= high and low < high


def test_it_prints_a_table(booked_day):
    table = simulate(
        "--branch",
        "madiun",
        "--date",
        str(DAY),
        "--officers",
        "1",
        "--mode",
        "one_to_many",
        "--group-size",
        "5",
        "--seed",
        "1",
        "--replications",
        "3",
        "--format",
        "table",
    )
    assert "served_per_officer_hour" in table and "95% CI" in table and "one_to_many × 5" in table


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--officers", "0", "--mode", "one_to_one"], "Jumlah petugas minimal 1.\nAt least one officer."),
        (["--officers", "1", "--mode", "one_to_many", "--group-size", "9"], "2 sampai 6"),
        (["--officers", "1", "--mode", "one_to_one", "--group-size", "4"], "the group size must be 1"),
        (["--officers", "1", "--mode", "one_to_many", "--group-size", "5", "--booths", "3"], "booths"),
        (["--officers", "1", "--mode", "one_to_one", "--no-show-rate", "10"], "between 0 and 1"),
    ],
)
def test_impossible_scenarios_exit_with_status_2_and_say_why(booked_day, args, said):
    with pytest.raises(CommandError) as refused:
        simulate("--branch", "madiun", "--date", str(DAY), "--seed", "1", *args)
    assert refused.value.returncode == 2
    assert said in str(refused.value)


def test_a_date_without_sessions_or_an_unknown_branch_exits_with_status_2(booked_day):
    with pytest.raises(CommandError) as refused:
        simulate("--branch", "madiun", "--date", "2026-12-06", "--officers", "1", "--mode", "one_to_one")
    assert refused.value.returncode == 2 and "Tidak ada sesi pada 2026-12-06" in str(refused.value)
    assert "No sessions on 2026-12-06" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        simulate("--branch", "atlantis", "--date", str(DAY), "--officers", "1", "--mode", "one_to_one")
    assert refused.value.returncode == 2 and "atlantis" in str(refused.value)
